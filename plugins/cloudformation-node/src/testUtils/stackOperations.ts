import { randomUUID } from 'node:crypto';
import type { ArnScope } from '../resourceArns';
import type { FakeEcs } from './fakeEcs';
import { readFakeTemplate } from './fakeTemplate';
import { addResource, resolveOutputs } from './physicalIds';
import {
  resourceEvent,
  snapshot,
  stackEvent,
  type Change,
  type FakeChangeSet,
  type FakeStack,
} from './stackModel';

/*
 * How stack operations unfold on the fake: every step is scheduled at a real time and applied when
 * a request arrives after it (see StackSimulator.advance).
 */

/** What an operation needs beyond its stack: where ARNs point, and ECS to report stopped tasks. */
export type OperationContext = { scope: ArnScope; ecs: FakeEcs };

/** Executes a change set: resource events in real time, then the final state or the scripted failure. */
export function runOperation(
  context: OperationContext,
  stack: FakeStack,
  changeSet: FakeChangeSet,
  token: string | undefined,
  disableRollback: boolean,
): void {
  const creating = changeSet.type === 'CREATE';
  const verb = creating ? 'CREATE' : 'UPDATE';
  const step = stack.scenario.stepMs ?? 10;
  const start = Date.now();
  const before = snapshot(stack);
  stack.operation = {
    type: creating ? 'CREATE_STACK' : 'UPDATE_STACK',
    id: randomUUID(),
    token,
  };
  stack.updatedAt = creating ? undefined : new Date(start);
  stackEvent(stack, start, `${verb}_IN_PROGRESS`, 'User Initiated');
  stack.templateBody = changeSet.templateBody;
  stack.parameters = changeSet.parameters;
  stack.tags = changeSet.tags;
  stack.capabilities = changeSet.capabilities;

  const working = changeSet.changes.filter(
    change => change.action !== 'Remove',
  );
  const removed = changeSet.changes.filter(
    change => change.action === 'Remove',
  );
  stack.rollback = {
    before,
    touched: working.map(change => change.logicalId),
  };
  const at = (offset: number, apply: () => void) =>
    stack.schedule.push({ at: start + offset, apply });
  const statusOf = (change: Change) =>
    change.action === 'Add' ? 'CREATE' : 'UPDATE';

  at(step, () => {
    const defined = readFakeTemplate(stack.templateBody).resources;
    for (const change of working) {
      if (change.action === 'Add') {
        addResource(
          context.scope,
          stack,
          change.logicalId,
          change.type,
          'CREATE_IN_PROGRESS',
          start + step,
          defined.get(change.logicalId)?.properties,
        );
      }
      resourceEvent(
        stack,
        start + step,
        change.logicalId,
        `${statusOf(change)}_IN_PROGRESS`,
      );
      resourceEvent(
        stack,
        start + step,
        change.logicalId,
        `${statusOf(change)}_IN_PROGRESS`,
        change.action === 'Add' ? 'Resource creation Initiated' : undefined,
      );
    }
  });
  const failing = working.findIndex(
    change => change.logicalId === stack.scenario.failure?.logicalId,
  );
  const finishing = failing < 0 ? working : working.slice(0, failing);
  finishing.forEach((change, index) =>
    at((index + 2) * step, () =>
      resourceEvent(
        stack,
        start + (index + 2) * step,
        change.logicalId,
        `${statusOf(change)}_COMPLETE`,
      ),
    ),
  );
  if (failing >= 0) {
    const failedAt = (failing + 2) * step;
    at(failedAt, () =>
      failOperation(
        context,
        stack,
        working,
        failing,
        start + failedAt,
        changeSet,
        disableRollback,
      ),
    );
    return;
  }
  let offset = (working.length + 2) * step;
  if (!creating) {
    at(offset, () =>
      stackEvent(
        stack,
        start + (working.length + 2) * step,
        'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      ),
    );
    for (const change of removed) {
      offset += step;
      const when = offset;
      at(when, () => {
        resourceEvent(
          stack,
          start + when,
          change.logicalId,
          'DELETE_IN_PROGRESS',
        );
        resourceEvent(stack, start + when, change.logicalId, 'DELETE_COMPLETE');
        stack.resources.delete(change.logicalId);
      });
    }
    offset += step;
  }
  stack.finalStateAt = start + offset;
  at(offset, () => {
    stack.outputs = resolveOutputs(context.scope, stack);
    changeSet.executionStatus = 'EXECUTE_COMPLETE';
    stackEvent(stack, start + offset, `${verb}_COMPLETE`);
  });
}

// The failing resource fails, those still in flight are cancelled, then the stack rolls back
// (or stays failed, or is deleted) as the change set asked.
function failOperation(
  context: OperationContext,
  stack: FakeStack,
  working: Change[],
  failing: number,
  now: number,
  changeSet: FakeChangeSet,
  disableRollback: boolean,
): void {
  const creating = changeSet.type === 'CREATE';
  const verb = creating ? 'create' : 'update';
  const step = stack.scenario.stepMs ?? 10;
  const failed = working[failing];
  const reason = stack.scenario.failure!.reason;
  resourceEvent(
    stack,
    now,
    failed.logicalId,
    `${failed.action === 'Add' ? 'CREATE' : 'UPDATE'}_FAILED`,
    reason,
  );
  if (failed.type === 'AWS::ECS::Service' && stack.scenario.stoppedTaskReason) {
    const service = stack.resources
      .get(failed.logicalId)!
      .physicalId.split(':')
      .slice(5)
      .join(':')
      .replace(/^service\//, '');
    context.ecs.stopTasks(service, stack.scenario.stoppedTaskReason);
  }
  const cancelled = working.slice(failing + 1);
  for (const change of cancelled) {
    resourceEvent(
      stack,
      now + 1,
      change.logicalId,
      `${change.action === 'Add' ? 'CREATE' : 'UPDATE'}_FAILED`,
      `Resource ${verb === 'create' ? 'creation' : 'update'} cancelled`,
    );
  }
  const failedIds = [failed, ...cancelled]
    .map(change => change.logicalId)
    .join(', ');
  changeSet.executionStatus = 'EXECUTE_FAILED';
  const onFailure = creating
    ? changeSet.onStackFailure
    : disableRollback
      ? 'DO_NOTHING'
      : 'ROLLBACK';
  const summary = `The following resource(s) failed to ${verb}: [${failedIds}].`;
  if (onFailure === 'DO_NOTHING') {
    stack.finalStateAt = now + step;
    stack.schedule.push({
      at: now + step,
      apply: () =>
        stackEvent(
          stack,
          now + step,
          `${creating ? 'CREATE' : 'UPDATE'}_FAILED`,
          summary,
        ),
    });
    return;
  }
  if (onFailure === 'DELETE') {
    scheduleDelete(stack, now + step, `${summary} Delete requested by user.`);
    return;
  }
  scheduleRollback(
    stack,
    now + step,
    creating,
    `${summary} Rollback requested by user.`,
  );
}

/** Rolls the stack back to its state before the running operation (a create: to no resources). */
export function scheduleRollback(
  stack: FakeStack,
  start: number,
  creating: boolean,
  reason: string,
): void {
  const step = stack.scenario.stepMs ?? 10;
  const { before, touched } = stack.rollback!;
  stack.operation = { type: 'ROLLBACK', id: randomUUID() };
  let offset = 0;
  const at = (when: number, apply: () => void) =>
    stack.schedule.push({ at: start + when, apply });
  at(0, () =>
    stackEvent(
      stack,
      start,
      creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS',
      reason,
    ),
  );
  for (const logicalId of [...touched].reverse()) {
    offset += step;
    const when = offset;
    const existedBefore = before.resources.has(logicalId);
    at(when, () => {
      const verb = existedBefore ? 'UPDATE' : 'DELETE';
      resourceEvent(stack, start + when, logicalId, `${verb}_IN_PROGRESS`);
      resourceEvent(stack, start + when, logicalId, `${verb}_COMPLETE`);
    });
  }
  offset += step;
  if (!creating) {
    const cleanup = offset;
    at(cleanup, () =>
      stackEvent(
        stack,
        start + cleanup,
        'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      ),
    );
    offset += step;
  }
  const end = offset;
  stack.finalStateAt = start + end;
  at(end, () => {
    Object.assign(stack, {
      templateBody: before.templateBody,
      parameters: before.parameters,
      // A rolled-back first create keeps its tags, as CloudFormation's ROLLBACK_COMPLETE stacks do.
      tags: creating ? stack.tags : before.tags,
      outputs: before.outputs,
    });
    stack.resources = creating ? new Map() : before.resources;
    stackEvent(
      stack,
      start + end,
      creating ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE',
    );
  });
}

/** Deletes the stack's resources, newest first, meeting the scenario's delete failure if any. */
export function scheduleDelete(
  stack: FakeStack,
  start: number,
  reason: string,
  retain: string[] = [],
): void {
  const step = stack.scenario.stepMs ?? 10;
  stack.operation = { type: 'DELETE_STACK', id: randomUUID() };
  const defined = readFakeTemplate(stack.templateBody).resources;
  // Only a user's delete meets the scripted failure; a retry that retains the resource gets past it.
  const failure =
    reason === 'User Initiated' ? stack.scenario.deleteFailure : undefined;
  const blocking =
    failure && (!failure.logicalId || !retain.includes(failure.logicalId))
      ? failure
      : undefined;
  let offset = 0;
  stack.schedule.push({
    at: start,
    apply: () => stackEvent(stack, start, 'DELETE_IN_PROGRESS', reason),
  });
  if (blocking && !blocking.logicalId) {
    scheduleDeleteFailed(stack, start + step, blocking.reason);
    return;
  }
  for (const [logicalId, resource] of [...stack.resources].reverse()) {
    if (resource.status === 'DELETE_COMPLETE') {
      continue;
    }
    offset += step;
    const when = start + offset;
    const policy = defined.get(logicalId)?.deletionPolicy;
    if (blocking?.logicalId === logicalId) {
      stack.schedule.push({
        at: when,
        apply: () => {
          resourceEvent(stack, when, logicalId, 'DELETE_IN_PROGRESS');
          resourceEvent(
            stack,
            when,
            logicalId,
            'DELETE_FAILED',
            blocking.reason,
          );
        },
      });
      scheduleDeleteFailed(
        stack,
        when + step,
        `The following resource(s) failed to delete: [${logicalId}]. `,
      );
      return;
    }
    stack.schedule.push({
      at: when,
      apply: () => {
        if (
          retain.includes(logicalId) ||
          policy === 'Retain' ||
          policy === 'RetainExceptOnCreate'
        ) {
          resourceEvent(stack, when, logicalId, 'DELETE_SKIPPED');
          return;
        }
        resourceEvent(stack, when, logicalId, 'DELETE_IN_PROGRESS');
        resourceEvent(stack, when, logicalId, 'DELETE_COMPLETE');
      },
    });
  }
  const end = start + offset + (stack.resources.size > 0 ? step : 0);
  stack.finalStateAt = end;
  stack.schedule.push({
    at: end,
    apply: () => {
      stackEvent(stack, end, 'DELETE_COMPLETE');
      stack.resources.clear();
      stack.outputs = {};
      stack.deleted = true;
    },
  });
}

function scheduleDeleteFailed(
  stack: FakeStack,
  at: number,
  reason: string,
): void {
  stack.finalStateAt = at;
  stack.schedule.push({
    at,
    apply: () => stackEvent(stack, at, 'DELETE_FAILED', reason),
  });
}
