import type {
  CloudFormationClient,
  StackEvent,
  StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import type { CloudFormationStacks } from '../deploy/cloudFormationStacks';
import { CloudFormationDeployError } from '../deploy/errors';
import { StackEventStream } from '../deploy/eventStream';
import { pause } from '../deploy/pause';
import { ProgressTracker, formatDuration } from '../deploy/progress';
import { isInProgress } from '@golden-path/plugin-cloudformation-common';
import {
  explainStackFailure,
  isStackEvent,
} from '@golden-path/plugin-cloudformation-node';
import {
  SdkCloudFormationStacks,
  isStackMissing,
} from '../deploy/sdkCloudFormationStacks';
import {
  DEFAULT_TIMINGS,
  type Checkpoint,
  type DeployLogger,
  type DeployTimings,
} from '../deploy/types';
import { adviseOnDeleteFailure } from './deleteAdvice';
import { checkDeleteSafety } from './safety';
import {
  formatDeletionPlan,
  planDeletion,
  snapshotNote,
  templateResourceSummaries,
} from './deletionPlan';
import type {
  DeleteRequest,
  DeleteResult,
  DeletionPlan,
  DeletionPlanRow,
} from './types';

/** What the engine needs to delete stacks. */
export type CloudFormationDeleterOptions = {
  cloudFormation: CloudFormationClient;
  logger: DeployLogger;
  timings?: Partial<DeployTimings>;
};

// Stored in a checkpoint: the stack this attempt deletes and when it asked.
type Requested = { stackId: string; since: string; requestedAt: string };

const IDEMPOTENCY_KEY = /^[a-zA-Z0-9-]{1,64}$/;

/**
 * Deletes CloudFormation stacks safely: only a stack carrying the entity's ownership tag, never one
 * with termination protection, with the plan (deleted, snapshotted, retained resources) logged
 * first, the stack events streamed with progress, and a failed delete explained by its root cause
 * and what to do. Every step can be wrapped in a {@link Checkpoint}, so a deletion interrupted by a
 * restart watches the same operation again instead of starting another.
 */
export class CloudFormationDeleter {
  private readonly stacks: CloudFormationStacks;
  private readonly logger: DeployLogger;
  private readonly timings: DeployTimings;

  constructor(options: CloudFormationDeleterOptions) {
    this.logger = options.logger;
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.stacks = new SdkCloudFormationStacks(options.cloudFormation, {
      timings: this.timings,
      log: this.logger,
    });
  }

  /**
   * What deleting the stack would do, after the same refusals as {@link CloudFormationDeleter.delete}.
   * Only read calls: DescribeStacks, GetTemplate, ListStackResources.
   */
  async plan(
    request: DeleteRequest,
    signal?: AbortSignal,
  ): Promise<DeletionPlan> {
    const stack = await this.stacks.describeStack(request.stackName, {
      signal,
    });
    if (!stack?.StackId) {
      return { rows: [] };
    }
    checkDeleteSafety(request, stack);
    const templateBody = await this.stacks.getTemplate(stack.StackId, {
      signal,
    });
    let resources: StackResourceSummary[];
    try {
      resources = await this.resourcesOf(stack.StackId, signal);
    } catch (error) {
      if (signal?.aborted) {
        throw error;
      }
      // Seen with local emulators (moto answers an HTML error page) and IAM policies without the permission.
      this.logger.warn(
        `Could not list the live resources of stack ${request.stackName} (${(error as Error).message}); the plan lists the resources of its template instead.`,
      );
      resources = templateResourceSummaries(templateBody);
    }
    return {
      stackId: stack.StackId,
      stackStatus: stack.StackStatus,
      rows: planDeletion(templateBody, resources, request.retainResources),
    };
  }

  /**
   * Deletes the stack and waits until it is gone. Throws {@link CloudFormationDeployError}: `refused`
   * when ownership, termination protection, the account or the stack's state forbid it (nothing
   * is changed), `stackFailed` with the root cause and what to do when CloudFormation cannot delete
   * a resource, `cancelled` or `timedOut` when waiting stops.
   */
  async delete(
    request: DeleteRequest,
    options: { checkpoint?: Checkpoint; signal?: AbortSignal } = {},
  ): Promise<DeleteResult> {
    if (!IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
      throw new Error(
        `idempotencyKey must be 1-64 letters, digits or hyphens, got "${request.idempotencyKey}"`,
      );
    }
    const checkpoint: Checkpoint = options.checkpoint ?? ((_key, fn) => fn());
    const { signal } = options;
    const key = (step: string) =>
      `cloudformation-delete-${step}:${request.stackName}:${request.idempotencyKey}`;

    const plan = await checkpoint(key('plan'), () =>
      this.plan(request, signal),
    );
    if (!plan.stackId) {
      this.logger.info(
        `Stack ${request.stackName} does not exist: nothing to delete.`,
      );
      return {
        stackName: request.stackName,
        stackStatus: 'NOT_FOUND',
        deleted: false,
        plan: [],
      };
    }
    for (const line of formatDeletionPlan(request.stackName, plan.rows)) {
      this.logger.info(line);
    }

    let resumed = true;
    const requested = await checkpoint<Requested>(key('request'), () => {
      resumed = false;
      return this.requestDeletion(request, plan.stackId!, signal);
    });
    if (resumed) {
      this.logger.info(
        `Resuming after a restart: the deletion of stack ${request.stackName} was requested at ${requested.requestedAt}; watching it again.`,
      );
    }
    const outcome = await this.watch(
      request,
      requested,
      plan.rows,
      resumed,
      signal,
    );
    if (outcome.status !== 'DELETE_COMPLETE') {
      throw this.failure(request, outcome.status, outcome.events, plan.rows);
    }
    const kept = plan.rows.filter(row => row.fate !== 'delete');
    this.logger.info(
      `Stack ${request.stackName} is DELETE_COMPLETE.` +
        (kept.length
          ? ` Kept: ${kept.map(row => `${row.logicalResourceId} (${row.fate === 'snapshot' ? snapshotNote(row) : 'retained'})`).join('; ')}.`
          : ''),
    );
    return {
      stackId: plan.stackId,
      stackName: request.stackName,
      stackStatus: 'DELETE_COMPLETE',
      deleted: true,
      plan: plan.rows,
    };
  }

  private async requestDeletion(
    request: DeleteRequest,
    stackId: string,
    signal?: AbortSignal,
  ): Promise<Requested> {
    // Events after the newest existing one belong to this delete.
    const page = await this.stacks.describeStackEvents(stackId, undefined, {
      signal,
    });
    const newest = page.StackEvents?.[0]?.Timestamp?.getTime() ?? Date.now();
    this.logger.info(`Deleting stack ${request.stackName}.`);
    try {
      await this.stacks.deleteStack({
        stackId,
        clientRequestToken: `backstage-delete-${request.idempotencyKey}`,
        roleArn: request.roleArn,
        retainResources: request.retainResources,
      });
    } catch (error) {
      // Endpoints that delete synchronously (moto) answer a resource's failure here; what counts is whether the stack went.
      const status = await this.statusOf(stackId);
      const message = (error as Error).message;
      if (status !== 'DELETE_COMPLETE') {
        throw new CloudFormationDeployError(
          'stackFailed',
          `CloudFormation refused to delete stack ${request.stackName}: ${message} The stack is ${status}; nothing more was deleted. ` +
            'Fix what CloudFormation reports, then run the task again.',
          { stackStatus: status },
        );
      }
      this.logger.warn(
        `CloudFormation answered the delete of stack ${request.stackName} with an error (${message}), but the stack is gone.`,
      );
    }
    return {
      stackId,
      since: new Date(newest + 1).toISOString(),
      requestedAt: new Date().toISOString(),
    };
  }

  private async watch(
    request: DeleteRequest,
    requested: Requested,
    rows: DeletionPlanRow[],
    resumed: boolean,
    signal?: AbortSignal,
  ): Promise<{ status: string; events: StackEvent[] }> {
    const { stackId } = requested;
    const stream = new StackEventStream(
      nextToken =>
        this.stacks.describeStackEvents(stackId, nextToken, { signal }),
      new Date(requested.since),
    );
    const progress = new ProgressTracker(
      rows.map(row => row.logicalResourceId),
    );
    const deadline =
      Date.parse(requested.requestedAt) + request.timeoutMinutes * 60_000;
    const events: StackEvent[] = [];
    const started = Date.now();
    let lastLog = Date.now();
    let delay = this.timings.initialPollMs;
    let wait = resumed ? 0 : delay;
    for (;;) {
      await pause(
        Math.max(
          0,
          Math.min(
            wait,
            this.timings.heartbeatMs - (Date.now() - lastLog),
            deadline - Date.now(),
          ),
        ),
        signal,
      );
      delay = Math.min(
        delay * this.timings.pollBackoff,
        this.timings.maxPollMs,
      );
      wait = delay;
      if (signal?.aborted) {
        throw this.stopped(request, 'cancelled', await this.statusOf(stackId));
      }
      if (Date.now() >= deadline) {
        throw this.stopped(request, 'timedOut', await this.statusOf(stackId));
      }
      let fresh: StackEvent[];
      try {
        fresh = await stream.poll();
      } catch (error) {
        if (isStackMissing(error)) {
          // No stack left to have events: it is gone.
          return { status: 'DELETE_COMPLETE', events };
        }
        throw error;
      }
      let final: string | undefined;
      for (const event of fresh) {
        events.push(event);
        progress.record(event);
        this.logger.info(
          `${event.ResourceStatus ?? 'UNKNOWN'} ${event.LogicalResourceId ?? 'unknown'} (${event.ResourceType ?? 'unknown type'})${event.ResourceStatusReason ? `: ${event.ResourceStatusReason}` : ''}`,
        );
        const line = progress.progressLine();
        if (line) {
          this.logger.info(line);
        }
        if (isStackEvent(event) && !isInProgress(event.ResourceStatus ?? '')) {
          final = event.ResourceStatus;
        }
      }
      if (fresh.length > 0) {
        lastLog = Date.now();
      }
      if (final) {
        return { status: final, events };
      }
      if (Date.now() - lastLog >= this.timings.heartbeatMs) {
        // Also a safety net: trust the stack's status should its final event be missing.
        const status = await this.statusOf(stackId);
        if (!isInProgress(status)) {
          return { status, events };
        }
        const working = progress.inProgress(Date.now());
        this.logger.info(
          `Still deleting stack ${request.stackName}: ${status} for ${formatDuration(Date.now() - started)}, ` +
            `${progress.completed()} of ${rows.length} resources done${working.length ? `; in progress: ${working.join(', ')}` : ''}.`,
        );
        lastLog = Date.now();
      }
    }
  }

  private failure(
    request: DeleteRequest,
    status: string,
    events: StackEvent[],
    rows: DeletionPlanRow[],
  ): CloudFormationDeployError {
    const failure = explainStackFailure([...events].reverse());
    const physicalIds = Object.fromEntries(
      rows.flatMap(row =>
        row.physicalResourceId
          ? [[row.logicalResourceId, row.physicalResourceId]]
          : [],
      ),
    );
    const message =
      `Deleting stack ${request.stackName} failed: ${failure?.summary ?? `the stack ended ${status}.`} ` +
      (failure
        ? adviseOnDeleteFailure(failure, physicalIds)
        : 'Look at the stack events in the CloudFormation console, fix the cause and run the task again.') +
      ` The stack is ${status}; the resources CloudFormation already deleted stay deleted.`;
    return new CloudFormationDeployError('stackFailed', message, {
      stackStatus: status,
      ...(failure ? { failure } : {}),
    });
  }

  private stopped(
    request: DeleteRequest,
    why: 'cancelled' | 'timedOut',
    status: string,
  ): CloudFormationDeployError {
    const reason =
      why === 'cancelled'
        ? 'The task was cancelled'
        : `Stack ${request.stackName} was not deleted within ${request.timeoutMinutes} minutes`;
    this.logger.warn(
      `${reason}; stopped waiting. CloudFormation carries on deleting the stack (${status}).`,
    );
    return new CloudFormationDeployError(
      why,
      `${reason}; stack ${request.stackName} is ${status}, and CloudFormation carries on deleting it.`,
      { stackStatus: status },
    );
  }

  // By stack id CloudFormation keeps answering for deleted stacks (for 90 days); "does not exist" means long gone.
  private async statusOf(stackId: string): Promise<string> {
    const stack = await this.stacks.describeStack(stackId);
    return stack ? (stack.StackStatus ?? 'UNKNOWN') : 'DELETE_COMPLETE';
  }

  private async resourcesOf(
    stackId: string,
    signal?: AbortSignal,
  ): Promise<StackResourceSummary[]> {
    const resources: StackResourceSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.stacks.listStackResources(stackId, nextToken, {
        signal,
        // The plan has a fallback; a failing listing need not be waited out.
        once: true,
      });
      resources.push(...(page.StackResourceSummaries ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return resources;
  }
}
