import {
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type CloudFormationClient,
  type Stack,
  type StackEvent,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  isInProgress,
  TAG_ENTITY_REF,
} from '@golden-path/plugin-cloudformation-common';
import {
  accountOfArn,
  explainStackFailure,
  isStackEvent,
  isThrottlingError,
} from '@golden-path/plugin-cloudformation-node';
import {
  CloudFormationDeployError,
  isTransientError,
  isValidationError,
} from '../deploy/errors';
import { StackEventStream } from '../deploy/eventStream';
import { pause } from '../deploy/pause';
import { ProgressTracker, formatDuration } from '../deploy/progress';
import {
  DEFAULT_TIMINGS,
  type Checkpoint,
  type DeployLogger,
  type DeployTimings,
} from '../deploy/types';
import { adviseOnDeleteFailure } from './deleteAdvice';
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

const STACK_MISSING = /does not exist/;
const IDEMPOTENCY_KEY = /^[a-zA-Z0-9-]{1,64}$/;

/**
 * Deletes CloudFormation stacks safely: only a stack carrying the entity's ownership tag, never one
 * with termination protection, with the plan (deleted, snapshotted, retained resources) logged
 * first, the stack events streamed with progress, and a failed delete explained by its root cause
 * and what to do. Every step can be wrapped in a {@link Checkpoint}, so a deletion interrupted by a
 * restart watches the same operation again instead of starting another.
 */
export class CloudFormationDeleter {
  private readonly cloudFormation: CloudFormationClient;
  private readonly logger: DeployLogger;
  private readonly timings: DeployTimings;

  constructor(options: CloudFormationDeleterOptions) {
    this.cloudFormation = options.cloudFormation;
    this.logger = options.logger;
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
  }

  /**
   * What deleting the stack would do, after the same refusals as {@link CloudFormationDeleter.delete}.
   * Only read calls: DescribeStacks, GetTemplate, ListStackResources.
   */
  async plan(
    request: DeleteRequest,
    signal?: AbortSignal,
  ): Promise<DeletionPlan> {
    const stack = await this.findStack(request.stackName, signal);
    if (!stack?.StackId) {
      return { rows: [] };
    }
    this.checkSafety(request, stack);
    const templateBody = await this.templateOf(stack.StackId, signal);
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

  // Ownership, account, termination protection and state: refused before anything is changed.
  private checkSafety(request: DeleteRequest, stack: Stack): void {
    const { stackName, entityRef, expectedAccountId } = request;
    const status = stack.StackStatus ?? 'UNKNOWN';
    const actualAccount = accountOfArn(stack.StackId ?? '');
    if (
      expectedAccountId &&
      actualAccount &&
      actualAccount !== expectedAccountId
    ) {
      throw refused(
        `The credentials for account ${expectedAccountId} reach account ${actualAccount} (stack ${stack.StackId}); check the aws.accounts configuration. Nothing was deleted.`,
        status,
      );
    }
    const owner = stack.Tags?.find(tag => tag.Key === TAG_ENTITY_REF)?.Value;
    if (owner === undefined) {
      throw refused(
        `Stack ${stackName} (${status}) was not created by Backstage: it has no ${TAG_ENTITY_REF} tag, so it is not deleted. ` +
          'Delete it in the CloudFormation console if it really belongs to this service.',
        status,
      );
    }
    if (owner.toLowerCase() !== entityRef.toLowerCase()) {
      throw refused(
        `Stack ${stackName} (${status}) belongs to ${owner} (tag ${TAG_ENTITY_REF}), not to ${entityRef}, so it is not deleted. Nothing was changed.`,
        status,
      );
    }
    if (stack.EnableTerminationProtection) {
      throw refused(
        `Stack ${stackName} has termination protection on, so it is not deleted. If it really should go, turn protection off ` +
          `(aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${stackName}, ` +
          'or in the CloudFormation console: Stack actions → Edit termination protection), then run the task again.',
        status,
      );
    }
    if (
      isInProgress(status) &&
      status !== 'DELETE_IN_PROGRESS' &&
      status !== 'REVIEW_IN_PROGRESS'
    ) {
      throw refused(
        `Stack ${stackName} is busy: ${status}. Wait for it to finish, then run the task again.`,
        status,
      );
    }
    if (request.retainResources.length > 0 && status !== 'DELETE_FAILED') {
      throw refused(
        `retainResources is only accepted for a stack in DELETE_FAILED (CloudFormation's rule); stack ${stackName} is ${status}. ` +
          "Delete it without retainResources; resources that must stay need DeletionPolicy: Retain in the stack's template.",
        status,
      );
    }
  }

  private async requestDeletion(
    request: DeleteRequest,
    stackId: string,
    signal?: AbortSignal,
  ): Promise<Requested> {
    // Events after the newest existing one belong to this delete.
    const page = await this.call(
      () =>
        this.cloudFormation.send(
          new DescribeStackEventsCommand({ StackName: stackId }),
          { abortSignal: signal },
        ),
      signal,
    );
    const newest = page.StackEvents?.[0]?.Timestamp?.getTime() ?? Date.now();
    this.logger.info(`Deleting stack ${request.stackName}.`);
    try {
      await this.call(
        () =>
          this.cloudFormation.send(
            new DeleteStackCommand({
              StackName: stackId,
              ClientRequestToken: `backstage-delete-${request.idempotencyKey}`,
              RoleARN: request.roleArn,
              ...(request.retainResources.length
                ? { RetainResources: request.retainResources }
                : {}),
            }),
          ),
        undefined,
      );
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
        this.call(
          () =>
            this.cloudFormation.send(
              new DescribeStackEventsCommand({
                StackName: stackId,
                NextToken: nextToken,
              }),
              { abortSignal: signal },
            ),
          signal,
        ),
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
        if (isValidationError(error, STACK_MISSING)) {
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
    try {
      const { Stacks } = await this.call(
        () =>
          this.cloudFormation.send(
            new DescribeStacksCommand({ StackName: stackId }),
          ),
        undefined,
      );
      return Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
    } catch (error) {
      if (isValidationError(error, STACK_MISSING)) {
        return 'DELETE_COMPLETE';
      }
      throw error;
    }
  }

  private async findStack(
    stackName: string,
    signal?: AbortSignal,
  ): Promise<Stack | undefined> {
    try {
      const { Stacks } = await this.call(
        () =>
          this.cloudFormation.send(
            new DescribeStacksCommand({ StackName: stackName }),
            { abortSignal: signal },
          ),
        signal,
      );
      return Stacks?.[0];
    } catch (error) {
      if (isValidationError(error, STACK_MISSING)) {
        return undefined;
      }
      throw error;
    }
  }

  private async templateOf(
    stackId: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const { TemplateBody } = await this.call(
      () =>
        this.cloudFormation.send(
          new GetTemplateCommand({
            StackName: stackId,
            TemplateStage: 'Original',
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    return TemplateBody;
  }

  private async resourcesOf(
    stackId: string,
    signal?: AbortSignal,
  ): Promise<StackResourceSummary[]> {
    const resources: StackResourceSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(
        () =>
          this.cloudFormation.send(
            new ListStackResourcesCommand({
              StackName: stackId,
              NextToken: nextToken,
            }),
            { abortSignal: signal },
          ),
        signal,
        // The plan has a fallback; a failing listing need not be waited out.
        1,
      );
      resources.push(...(page.StackResourceSummaries ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return resources;
  }

  // Throttling and dropped connections are waited out; every call here is read-only or carries a token.
  private async call<T>(
    send: () => Promise<T>,
    signal: AbortSignal | undefined,
    maxAttempts = this.timings.maxTransientAttempts,
  ): Promise<T> {
    let throttledDelay = this.timings.initialPollMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (signal?.aborted) {
          throw new CloudFormationDeployError(
            'cancelled',
            'The task was cancelled.',
          );
        }
        if (isThrottlingError(error)) {
          throttledDelay = Math.min(
            throttledDelay * 2,
            this.timings.maxThrottledDelayMs,
          );
          await pause(throttledDelay, signal);
          continue;
        }
        if (isTransientError(error) && attempt < maxAttempts) {
          this.logger.warn(
            `A request to CloudFormation failed (${(error as Error).message || (error as Error).name}); trying again.`,
          );
          await pause(this.timings.initialPollMs * attempt, signal);
          continue;
        }
        throw error;
      }
    }
  }
}

function refused(
  message: string,
  stackStatus: string,
): CloudFormationDeployError {
  return new CloudFormationDeployError('refused', message, { stackStatus });
}
