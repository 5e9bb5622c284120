import type { StackEvent } from '@aws-sdk/client-cloudformation';
import {
  isFailed,
  OPERATION_SUCCEEDED_STATUSES,
} from '@golden-path/plugin-cloudformation-common';
import { isOperationStart, isStackEvent } from './stackEvents';

/** Why a stack operation failed: the first resource that failed, in one sentence. */
export type StackFailure = {
  logicalResourceId: string;
  resourceType?: string;
  status: string;
  reason: string;
  /** One human sentence, e.g. `Database (AWS::RDS::DBInstance) failed to create: …`. */
  summary: string;
};

// CloudFormation stops the resources still in flight once one fails; these are consequences, not causes.
const CANCELLATION =
  /^Resource (creation|update|deletion|import) cancelled\.?$/i;
const VERBS: Record<string, string> = {
  CREATE: 'create',
  UPDATE: 'update',
  DELETE: 'delete',
  IMPORT: 'import',
};

/**
 * Names the root cause of a stack's latest operation from its events (newest first, as
 * `DescribeStackEvents` returns them): the earliest resource or hook failure that is not
 * "Resource creation cancelled" noise, else the stack's own failure reason. Returns
 * `undefined` when the latest operation did not fail.
 */
export function explainStackFailure(
  events: StackEvent[],
): StackFailure | undefined {
  const operation = latestOperation(events);
  const stackStatus = operation.find(isStackEvent)?.ResourceStatus;
  if (stackStatus && OPERATION_SUCCEEDED_STATUSES.has(stackStatus)) {
    return undefined;
  }
  const chronological = [...operation].reverse();
  const resourceFailures = chronological.filter(
    event => !isStackEvent(event) && isFailure(event),
  );
  const cause =
    resourceFailures.find(event => !CANCELLATION.test(reasonOf(event))) ??
    chronological.find(
      event =>
        isStackEvent(event) && isFailure(event) && reasonOf(event) !== '',
    ) ??
    resourceFailures[0];
  return cause ? describe(cause) : undefined;
}

// Events from the newest back to the stack event that started the latest operation.
function latestOperation(events: StackEvent[]): StackEvent[] {
  const start = events.findIndex(isOperationStart);
  return start < 0 ? events : events.slice(0, start + 1);
}

function isFailure(event: StackEvent): boolean {
  if (
    event.HookStatus === 'HOOK_COMPLETE_FAILED' ||
    event.HookStatus === 'HOOK_FAILED'
  ) {
    // A hook in WARN mode reports without stopping the operation.
    return event.HookFailureMode !== 'WARN';
  }
  const status = event.ResourceStatus ?? '';
  // A rollback starting names the failure that caused it (e.g. an early validation error).
  return (
    isFailed(status) ||
    (isStackEvent(event) && status.endsWith('ROLLBACK_IN_PROGRESS'))
  );
}

function isHookFailure(event: StackEvent): boolean {
  return Boolean(event.HookStatus && event.HookStatusReason);
}

function reasonOf(event: StackEvent): string {
  const reason = isHookFailure(event)
    ? event.HookStatusReason
    : event.ResourceStatusReason;
  return (reason ?? '').replace(/\s+/g, ' ').trim();
}

function describe(event: StackEvent): StackFailure {
  const logicalResourceId =
    event.LogicalResourceId ?? event.StackName ?? 'unknown';
  const status =
    (isHookFailure(event) ? event.HookStatus : event.ResourceStatus) ??
    'UNKNOWN';
  const reason = reasonOf(event) || 'CloudFormation gave no reason';
  const sentence = /[.!?]$/.test(reason) ? reason : `${reason}.`;
  const resource = `${logicalResourceId} (${event.ResourceType ?? 'unknown type'})`;
  let summary: string;
  if (isStackEvent(event)) {
    summary = `Stack ${logicalResourceId} failed (${status}): ${sentence}`;
  } else if (isHookFailure(event)) {
    summary = `${resource} was stopped by hook${event.HookType ? ` ${event.HookType}` : ''}: ${sentence}`;
  } else {
    summary = `${resource} failed to ${VERBS[status.split('_')[0]] ?? 'change'}: ${sentence}`;
  }
  return {
    logicalResourceId,
    ...(event.ResourceType ? { resourceType: event.ResourceType } : {}),
    status,
    reason,
    summary,
  };
}
