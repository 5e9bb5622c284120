import { isFailed } from '@golden-path/plugin-cloudformation-common';
import {
  explainStackFailure,
  type StackFailure,
} from '@golden-path/plugin-cloudformation-node';
import { ECS_SERVICE_TYPE } from './ecsStoppedTasks';
import { CloudFormationDeployError } from './errors';
import { FAILED_STATE_ADVICE } from './plan';
import type { Run } from './run';
import { STATE_NOTES, captureStoppedTasks, type Outcome } from './watch';

/**
 * The error for a failed operation: `headline`, the root cause (with why the tasks of a failed
 * ECS service stopped) and what the stack's final state means.
 */
export async function failureError(
  run: Run,
  outcome: Outcome,
  headline: string,
): Promise<CloudFormationDeployError> {
  const failure = await rootCause(run, outcome);
  let taskStops: string | undefined;
  if (failure?.resourceType === ECS_SERVICE_TYPE) {
    const event = outcome.events.find(
      e =>
        e.LogicalResourceId === failure.logicalResourceId &&
        isFailed(e.ResourceStatus ?? ''),
    );
    if (!outcome.taskStops.has(failure.logicalResourceId) && event) {
      await captureStoppedTasks(run, event, outcome.taskStops);
    }
    taskStops = outcome.taskStops.get(failure.logicalResourceId);
  }
  const note =
    STATE_NOTES[outcome.status] ?? FAILED_STATE_ADVICE[outcome.status];
  const message =
    `${headline}: ${failure?.summary ?? `the stack ended ${outcome.status}.`}` +
    (taskStops ? ` Its tasks stopped: ${taskStops}.` : '') +
    ` The stack is ${outcome.status}${note ? `: ${note}` : ''}.`;
  return new CloudFormationDeployError('stackFailed', message, {
    stackStatus: outcome.status,
    ...(failure ? { failure } : {}),
  });
}

/** Why the stack's last operation failed, from its recent events; `undefined` when unknown or unreadable. */
export async function lastFailure(
  run: Run,
  stackId: string,
): Promise<StackFailure | undefined> {
  try {
    const page = await run.stacks.describeStackEvents(stackId, undefined, {
      signal: run.signal,
    });
    return explainStackFailure(page.StackEvents ?? []);
  } catch {
    // The refusal stands on its own; the cause is a bonus.
    return undefined;
  }
}

// CloudFormation's failed-events filter when the endpoint has it; the streamed stack events otherwise.
async function rootCause(
  run: Run,
  outcome: Outcome,
): Promise<StackFailure | undefined> {
  if (outcome.operation.kind !== 'delete') {
    try {
      const failed = await run.stacks.describeFailedEvents(
        outcome.operation.stackId,
        outcome.operationId,
        run.request.stackName,
        { signal: run.signal, letRequestFinish: true },
      );
      const since = Date.parse(outcome.operation.since);
      const ofOperation = failed
        .filter(event => (event.Timestamp?.getTime() ?? 0) >= since)
        .sort(
          (a, b) =>
            (b.Timestamp?.getTime() ?? 0) - (a.Timestamp?.getTime() ?? 0),
        );
      const failure = explainStackFailure(ofOperation);
      if (failure) {
        return failure;
      }
    } catch (error) {
      if (run.signal?.aborted) {
        throw error;
      }
      // Endpoints without DescribeEvents (older regions, local emulators, missing IAM permission).
    }
  }
  return explainStackFailure([...outcome.events].reverse());
}
