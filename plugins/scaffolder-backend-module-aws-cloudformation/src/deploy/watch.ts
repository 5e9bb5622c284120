import type { Stack, StackEvent } from '@aws-sdk/client-cloudformation';
import {
  isFailed,
  isInProgress,
} from '@golden-path/plugin-cloudformation-common';
import { isStackEvent } from '@golden-path/plugin-cloudformation-node';
import { ECS_SERVICE_TYPE, describeStoppedTasks } from './ecsStoppedTasks';
import { CloudFormationDeployError, isValidationError } from './errors';
import { StackEventStream } from './eventStream';
import { ProgressTracker, formatDuration } from './progress';
import { describeStack, type Run } from './run';

/** One stack operation being watched. */
export type Operation = {
  kind: 'create' | 'update' | 'delete';
  stackId: string;
  since: string;
  deadline: number;
  resources: string[];
  /** Watched again after a restart rather than just started. */
  resumed: boolean;
};

/** How a watched operation ended. */
export type Outcome = {
  status: string;
  stack: Stack;
  operation: Operation;
  /** The operation's events, oldest first. */
  events: StackEvent[];
  operationId?: string;
  /** Why the tasks of failed ECS services stopped, by logical id, read before a rollback removes them. */
  taskStops: Map<string, string>;
};

/** What a stack left in a state after a failure or a cancel means for the user. */
export const STATE_NOTES: Record<string, string> = {
  ROLLBACK_COMPLETE:
    'nothing was kept; the next deploy for this entity deletes the stack and creates it again',
  ROLLBACK_IN_PROGRESS: 'CloudFormation is deleting what it created',
  UPDATE_ROLLBACK_COMPLETE:
    'the stack is back on its previous version and keeps running it',
  UPDATE_ROLLBACK_IN_PROGRESS:
    'CloudFormation is rolling the update back to the previous version',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS:
    'the rollback is done and CloudFormation is removing the new resources',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS:
    'the update already succeeded; CloudFormation is removing replaced resources',
  CREATE_IN_PROGRESS:
    'CloudFormation cannot cancel a stack creation, so it carries on in AWS',
  DELETE_IN_PROGRESS: 'CloudFormation carries on deleting it',
  DELETE_COMPLETE: 'the stack was deleted (onFailure: DELETE)',
  CREATE_FAILED:
    'its resources were left as they are for inspection (onFailure: DO_NOTHING)',
  UPDATE_FAILED:
    'its resources were left as they are for inspection (onFailure: DO_NOTHING)',
};

/**
 * Streams the operation's events into the log, with progress and heartbeats, until the stack
 * settles. A cancel or the deadline stops waiting (cancelling an update) and throws.
 */
export async function watch(run: Run, operation: Operation): Promise<Outcome> {
  const { stackName } = run.request;
  const { timings } = run;
  const stream = new StackEventStream(
    nextToken =>
      run.stacks.describeStackEvents(operation.stackId, nextToken, {
        signal: run.signal,
      }),
    new Date(operation.since),
  );
  const progress = new ProgressTracker(operation.resources);
  const events: StackEvent[] = [];
  const taskStops = new Map<string, string>();
  const started = Date.now();
  let operationId: string | undefined;
  let status: string | undefined;
  let delay = timings.initialPollMs;
  let lastLog = Date.now();
  const absorb = async (fresh: StackEvent[]) => {
    for (const event of fresh) {
      events.push(event);
      progress.record(event);
      run.log.info(formatEvent(run, event));
      const line = progress.progressLine();
      if (line) {
        run.log.info(line);
      }
      if (isStackEvent(event)) {
        // The operation the execution started, not the change set's (REVIEW_IN_PROGRESS) one.
        if (
          event.ResourceStatus === `${operation.kind.toUpperCase()}_IN_PROGRESS`
        ) {
          operationId ??= event.OperationId;
        }
        if (!isInProgress(event.ResourceStatus ?? '')) {
          status = event.ResourceStatus;
        }
      } else if (
        event.ResourceType === ECS_SERVICE_TYPE &&
        isFailed(event.ResourceStatus ?? '') &&
        !taskStops.has(event.LogicalResourceId ?? '')
      ) {
        // Read now: the rollback may delete the cluster and its stopped tasks with it.
        await captureStoppedTasks(run, event, taskStops);
      }
    }
    if (fresh.length > 0) {
      lastLog = Date.now();
    }
  };

  // A fresh operation has nothing to show yet; a resumed one may have finished meanwhile.
  let wait = operation.resumed ? 0 : delay;
  while (!status) {
    const untilHeartbeat = timings.heartbeatMs - (Date.now() - lastLog);
    await run.stacks.pause(
      Math.max(
        0,
        Math.min(wait, untilHeartbeat, operation.deadline - Date.now()),
      ),
      run.signal,
    );
    delay = Math.min(delay * timings.pollBackoff, timings.maxPollMs);
    wait = delay;
    if (run.signal?.aborted) {
      return stopWaiting(run, operation, 'cancelled');
    }
    if (Date.now() >= operation.deadline) {
      return stopWaiting(run, operation, 'timedOut');
    }
    try {
      await absorb(await stream.poll());
      if (status) {
        break;
      }
      if (Date.now() - lastLog >= timings.heartbeatMs) {
        // Also a safety net: trust the stack's status should its final event be missing.
        const stack = await describeStack(run, operation.stackId);
        const current = stack.StackStatus ?? 'UNKNOWN';
        if (!isInProgress(current)) {
          await absorb(await stream.poll());
          status = current;
          break;
        }
        const working = progress.inProgress(Date.now());
        run.log.info(
          `Still working on stack ${stackName}: ${current} for ${formatDuration(Date.now() - started)}` +
            (operation.resources.length
              ? `, ${progress.completed()} of ${operation.resources.length} resources complete`
              : '') +
            (working.length ? `; in progress: ${working.join(', ')}` : '') +
            '.',
        );
        lastLog = Date.now();
      }
    } catch (error) {
      // Cancelled mid-request: the next turn cancels the operation.
      if (!run.signal?.aborted) {
        throw error;
      }
    }
  }
  const stack = await describeStack(run, operation.stackId, {
    cancellable: false,
  });
  return {
    status: stack.StackStatus ?? status,
    stack,
    operation,
    events,
    operationId,
    taskStops,
  };
}

/** Reads why the tasks of a failed ECS service stopped into `into`; a failure to read is only logged. */
export async function captureStoppedTasks(
  run: Run,
  event: StackEvent,
  into: Map<string, string>,
): Promise<void> {
  if (!run.ecs || !event.LogicalResourceId) {
    return;
  }
  try {
    const reason = await describeStoppedTasks(run.ecs, event);
    if (reason) {
      into.set(event.LogicalResourceId, reason);
      run.log.warn(`Tasks of ${event.LogicalResourceId} stopped: ${reason}`);
    }
  } catch (error) {
    run.log.warn(
      `Could not read why the tasks of ${event.LogicalResourceId} stopped: ${(error as Error).message}`,
    );
  }
}

// Cancel or timeout: cancel an update, say what state the stack is left in, and stop.
async function stopWaiting(
  run: Run,
  operation: Operation,
  why: 'cancelled' | 'timedOut',
): Promise<never> {
  const { stackName, timeoutMinutes } = run.request;
  const reason =
    why === 'cancelled'
      ? 'The task was cancelled'
      : `Stack ${stackName} did not finish within ${timeoutMinutes} minutes`;
  if (operation.kind === 'update') {
    try {
      await run.stacks.cancelUpdateStack(
        operation.stackId,
        `${run.changeSetName}-cancel`,
      );
      run.log.warn(
        `${reason}: asked CloudFormation to cancel the update of stack ${stackName} (CancelUpdateStack).`,
      );
    } catch (error) {
      if (!isValidationError(error)) {
        throw error;
      }
      run.log.warn(
        `${reason}, but the update of stack ${stackName} can no longer be cancelled: ${(error as Error).message}`,
      );
    }
  } else {
    run.log.warn(`${reason}; stopped waiting for stack ${stackName}.`);
  }
  const stack = await describeStack(run, operation.stackId, {
    cancellable: false,
  });
  const status = stack.StackStatus ?? 'UNKNOWN';
  const note = STATE_NOTES[status];
  run.log.info(
    `Stack ${stackName} is left ${status}${note ? `: ${note}` : ''}.`,
  );
  throw new CloudFormationDeployError(
    why,
    `${reason}; stack ${stackName} is ${status}${note ? ` (${note})` : ''}.`,
    {
      stackStatus: status,
    },
  );
}

function formatEvent(run: Run, event: StackEvent): string {
  const id = event.LogicalResourceId ?? 'unknown';
  const description = run.descriptions[id];
  const reason = event.ResourceStatusReason
    ? `: ${event.ResourceStatusReason}`
    : '';
  return `${event.ResourceStatus ?? 'UNKNOWN'} ${id} (${event.ResourceType ?? 'unknown type'}${description ? `, "${description}"` : ''})${reason}`;
}
