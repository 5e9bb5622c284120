import {
  CancelUpdateStackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeEventsCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
  type Change,
  type CloudFormationClient,
  type OperationEvent,
  type Parameter,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  isFailed,
  isInProgress,
  TAG_ENTITY_REF,
  TAG_TEMPLATE_REF,
} from '@golden-path/plugin-cloudformation-common';
import {
  accountOfArn,
  explainStackFailure,
  isStackEvent,
  isThrottlingError,
  type StackFailure,
} from '@golden-path/plugin-cloudformation-node';
import {
  formatChangeTable,
  toChangeRows,
  type ResourceChangeRow,
} from './changeTable';
import { ECS_SERVICE_TYPE, describeStoppedTasks } from './ecsStoppedTasks';
import {
  CloudFormationDeployError,
  isTransientError,
  isValidationError,
} from './errors';
import { StackEventStream } from './eventStream';
import { ProgressTracker, formatDuration } from './progress';
import { pause } from './pause';
import {
  MASK,
  createRedactor,
  isSecretLookingKey,
  maskParameters,
  secretParameterValues,
} from './secrets';
import { digest, readTemplate, type TemplateFacts } from './template';
import {
  DEFAULT_TIMINGS,
  type Checkpoint,
  type DeployLogger,
  type DeployRequest,
  type DeployResult,
  type DeployTimings,
} from './types';

/** What the engine needs to deploy. */
export type CloudFormationDeployerOptions = {
  cloudFormation: CloudFormationClient;
  /** Explains failed ECS services by their stopped tasks (`ecs:ListTasks`, `ecs:DescribeTasks`). */
  ecs?: ECSClient;
  logger: DeployLogger;
  timings?: Partial<DeployTimings>;
};

// What was decided about the stack before changing anything (stored in a checkpoint).
type Plan =
  | { action: 'create'; reviewStackId?: string }
  | {
      action: 'update';
      stackId: string;
      previousParameterKeys: string[];
      templateRef?: string;
    }
  | { action: 'recreate'; stackId: string };

// A change set once CloudFormation finished creating it (stored in a checkpoint).
type ChangeSetRecord = {
  changeSetId: string;
  stackId: string;
  type: 'CREATE' | 'UPDATE';
  /** CloudFormation's clock: stack events from this time on belong to the deploy. */
  createdAt: string;
  empty: boolean;
  changes: ResourceChangeRow[];
};

type Operation = {
  kind: 'create' | 'update' | 'delete';
  stackId: string;
  since: string;
  deadline: number;
  resources: string[];
  /** Watched again after a restart rather than just started. */
  resumed: boolean;
};

type Outcome = {
  status: string;
  stack: Stack;
  operation: Operation;
  /** The operation's events, oldest first. */
  events: StackEvent[];
  operationId?: string;
  /** Why the tasks of failed ECS services stopped, by logical id, read before a rollback removes them. */
  taskStops: Map<string, string>;
};

// One deploy: the request plus what is derived from it once.
type Run = {
  request: DeployRequest;
  template: TemplateFacts;
  descriptions: Record<string, string>;
  redact: (text: string) => string;
  hash: string;
  changeSetName: string;
  signal?: AbortSignal;
  log: DeployLogger;
};

const SUCCESS = {
  create: 'CREATE_COMPLETE',
  update: 'UPDATE_COMPLETE',
  delete: 'DELETE_COMPLETE',
} as const;
const CHANGE_SET_PENDING = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS']);
// CloudFormation's two wordings for "the change set would change nothing".
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;
const STACK_MISSING = /does not exist/;
// It becomes part of change set names and client tokens.
const IDEMPOTENCY_KEY = /^[a-zA-Z0-9-]{1,64}$/;

// What to do about a stack left in a *_FAILED state.
const FAILED_STATE_ADVICE: Record<string, string> = {
  CREATE_FAILED:
    'its creation failed with rollback disabled; inspect the resources, delete the stack, then deploy again',
  ROLLBACK_FAILED:
    'its creation failed and the rollback could not delete every resource; delete the stack (retaining the resources that block it), then deploy again',
  DELETE_FAILED:
    'a delete could not remove every resource; delete the stack again (retaining the resources that block it), then deploy again',
  UPDATE_FAILED:
    'an update failed with rollback disabled; roll it back (`aws cloudformation rollback-stack`) or fix the cause, then deploy again',
  UPDATE_ROLLBACK_FAILED:
    'an update failed and could not roll back; run `aws cloudformation continue-update-rollback` (skipping resources that cannot roll back), then deploy again',
  IMPORT_ROLLBACK_FAILED:
    'a resource import failed and could not roll back; repair the stack in the CloudFormation console, then deploy again',
};

// What a stack left in a state after a failure or a cancel means for the user.
const STATE_NOTES: Record<string, string> = {
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
 * Deploys CloudFormation templates through change sets: decides create, update or recreate
 * from the stack's state and ownership tags, shows the change set, executes it, streams the
 * stack events with progress and heartbeats, and explains failures by their root cause.
 * Every mutating call carries an idempotency token and every step can be wrapped in a
 * {@link Checkpoint}, so a deploy interrupted by a restart resumes the same operation.
 */
export class CloudFormationDeployer {
  private readonly cloudFormation: CloudFormationClient;
  private readonly ecs?: ECSClient;
  private readonly logger: DeployLogger;
  private readonly timings: DeployTimings;
  // Extra delay while CloudFormation throttles; doubles per throttle, halves per success.
  private throttleDelayMs = 0;

  constructor(options: CloudFormationDeployerOptions) {
    this.cloudFormation = options.cloudFormation;
    this.ecs = options.ecs;
    this.logger = options.logger;
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
  }

  /**
   * Deploys the template. Throws {@link CloudFormationDeployError} with a message naming
   * the cause when the deploy is refused, fails, times out or is cancelled through `signal`.
   */
  async deploy(
    request: DeployRequest,
    options: { checkpoint?: Checkpoint; signal?: AbortSignal } = {},
  ): Promise<DeployResult> {
    const run = this.prepare(request, options.signal);
    try {
      return await this.run(run, options.checkpoint ?? ((_key, fn) => fn()));
    } catch (error) {
      throw this.presentError(run, error);
    }
  }

  private prepare(request: DeployRequest, signal?: AbortSignal): Run {
    if (!IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
      throw new Error(
        `idempotencyKey must be 1-64 letters, digits or hyphens, got "${request.idempotencyKey}"`,
      );
    }
    const template = readTemplate(request.templateBody);
    const noEcho = Object.keys(template.parameters).filter(
      key => template.parameters[key].noEcho,
    );
    const redact = createRedactor(
      secretParameterValues(request.parameters, noEcho),
    );
    // Masked values: the hash ends up in names and task state, where even a digest of a secret has no place.
    const hash = digest(
      request.stackName,
      request.templateBody,
      JSON.stringify(sortKeys(maskParameters(request.parameters, noEcho))),
      JSON.stringify(sortKeys(request.tags)),
      JSON.stringify([...request.capabilities].sort()),
      request.roleArn ?? '',
      request.onFailure,
    );
    const descriptions = Object.fromEntries(
      template.resources.flatMap(resource =>
        resource.description
          ? [[resource.logicalId, resource.description]]
          : [],
      ),
    );
    return {
      request,
      template,
      descriptions,
      redact,
      hash,
      changeSetName: `backstage-${request.idempotencyKey}-${hash.slice(0, 8)}`,
      signal,
      log: {
        info: message => this.logger.info(redact(message)),
        warn: message => this.logger.warn(redact(message)),
      },
    };
  }

  private async run(run: Run, checkpoint: Checkpoint): Promise<DeployResult> {
    const { request } = run;
    const key = (step: string) =>
      `cloudformation-${step}:${request.stackName}:${run.hash.slice(0, 16)}`;

    const plan = await checkpoint(key('plan'), () => this.plan(run));
    if (plan.action === 'recreate') {
      const deletion = await checkpoint(key('delete-failed-stack'), () =>
        this.deleteFailedStack(run, plan.stackId),
      );
      const outcome = await this.watch(run, {
        kind: 'delete',
        stackId: plan.stackId,
        since: deletion.since,
        deadline:
          Date.parse(deletion.requestedAt) + request.timeoutMinutes * 60_000,
        resources: [],
        resumed: false,
      });
      if (outcome.status !== SUCCESS.delete) {
        throw await this.failureError(
          run,
          outcome,
          `Could not delete the failed stack ${request.stackName} before creating it again`,
        );
      }
    }

    const changeSet = await checkpoint(key('change-set'), () =>
      this.createChangeSet(run, plan),
    );
    if (changeSet.empty) {
      if (request.failOnEmptyChangeSet) {
        throw new CloudFormationDeployError(
          'noChanges',
          `No changes to deploy to stack ${request.stackName}: the template, parameters and tags match what is deployed, and failOnEmptyChangeSet is set.`,
        );
      }
      const stack = await this.describeStack(run, changeSet.stackId);
      await this.applyTerminationProtection(
        run,
        stack,
        checkpoint,
        key('termination-protection'),
      );
      run.log.info(
        `No changes: stack ${request.stackName} stays ${stack.StackStatus}.`,
      );
      return this.result(run, stack, changeSet, {
        changed: false,
        executed: false,
      });
    }
    if (!request.execute) {
      const stack = await this.describeStack(run, changeSet.stackId);
      run.log.info(
        `Change set ${run.changeSetName} is ready for review and was not executed (execute: false). ` +
          `Execute it from the CloudFormation console or with: aws cloudformation execute-change-set --change-set-name ${changeSet.changeSetId}`,
      );
      return this.result(run, stack, changeSet, {
        changed: true,
        executed: false,
      });
    }

    let resumed = true;
    const execution = await checkpoint(key('execute'), () => {
      resumed = false;
      return this.executeChangeSet(run, changeSet);
    });
    if (resumed) {
      run.log.info(
        `Resuming after a restart: change set ${run.changeSetName} was executed at ${execution.startedAt}; watching stack ${request.stackName} again.`,
      );
    }
    const outcome = await this.watch(run, {
      kind: changeSet.type === 'CREATE' ? 'create' : 'update',
      stackId: changeSet.stackId,
      since: changeSet.createdAt,
      deadline:
        Date.parse(execution.startedAt) + request.timeoutMinutes * 60_000,
      resources: changeSet.changes.map(change => change.logicalResourceId),
      resumed,
    });
    if (outcome.status !== SUCCESS[outcome.operation.kind]) {
      throw await this.failureError(
        run,
        outcome,
        `Deploying stack ${request.stackName} failed`,
      );
    }
    await this.applyTerminationProtection(
      run,
      outcome.stack,
      checkpoint,
      key('termination-protection'),
    );
    const result = this.result(run, outcome.stack, changeSet, {
      changed: true,
      executed: true,
    });
    run.log.info(`Stack ${request.stackName} is ${result.stackStatus}.`);
    return result;
  }

  // Create, update or recreate — or refuse, before anything is changed.
  private async plan(run: Run): Promise<Plan> {
    const { stackName, owner } = run.request;
    const stack = await this.findStack(run, stackName);
    if (!stack?.StackId) {
      run.log.info(`Stack ${stackName} does not exist yet: creating it.`);
      return { action: 'create' };
    }
    this.checkAccount(run, stack.StackId);
    const status = stack.StackStatus ?? 'UNKNOWN';
    const stackOwner = stack.Tags?.find(
      tag => tag.Key === TAG_ENTITY_REF,
    )?.Value;
    const ownedByUs =
      stackOwner !== undefined &&
      stackOwner.toLowerCase() === owner.entityRef.toLowerCase();
    const ownership = () =>
      this.ownershipRefusal(stackName, status, stackOwner, owner.entityRef);

    if (status === 'REVIEW_IN_PROGRESS') {
      // Only a change set is waiting there; it has no resources, so it is reused unless someone else's.
      if (stackOwner !== undefined && !ownedByUs) {
        throw ownership();
      }
      return { action: 'create', reviewStackId: stack.StackId };
    }
    if (isInProgress(status)) {
      const since = (
        stack.LastUpdatedTime ?? stack.CreationTime
      )?.toISOString();
      const operation = stack.LastOperations?.[0];
      const running = operation?.OperationType
        ? ` (operation ${[operation.OperationType, operation.OperationId].filter(Boolean).join(' ')})`
        : '';
      throw new CloudFormationDeployError(
        'refused',
        `Stack ${stackName} is busy: ${status}${since ? ` since ${since}` : ''}${running}. Wait for it to finish, then run the task again.`,
        { stackStatus: status },
      );
    }
    if (status === 'ROLLBACK_COMPLETE') {
      if (!ownedByUs) {
        throw ownership();
      }
      run.log.info(
        `Stack ${stackName} is ROLLBACK_COMPLETE from a failed first create: deleting it, then creating it again.`,
      );
      return { action: 'recreate', stackId: stack.StackId };
    }
    if (isFailed(status)) {
      const cause = await this.lastFailure(run, stack.StackId);
      throw new CloudFormationDeployError(
        'refused',
        `Stack ${stackName} is ${status}: ${FAILED_STATE_ADVICE[status] ?? 'repair it in the CloudFormation console, then deploy again'}.` +
          (cause ? ` The last operation failed because: ${cause.summary}` : ''),
        { stackStatus: status, ...(cause ? { failure: cause } : {}) },
      );
    }
    if (!ownedByUs) {
      throw ownership();
    }
    run.log.info(`Stack ${stackName} is ${status}: updating it.`);
    const templateRef = stack.Tags?.find(
      tag => tag.Key === TAG_TEMPLATE_REF,
    )?.Value;
    return {
      action: 'update',
      stackId: stack.StackId,
      previousParameterKeys: (stack.Parameters ?? []).flatMap(parameter =>
        parameter.ParameterKey ? [parameter.ParameterKey] : [],
      ),
      ...(templateRef ? { templateRef } : {}),
    };
  }

  private ownershipRefusal(
    stackName: string,
    status: string,
    stackOwner: string | undefined,
    entityRef: string,
  ) {
    const message =
      stackOwner === undefined
        ? `Stack ${stackName} (${status}) exists but was not created by Backstage: it has no ${TAG_ENTITY_REF} tag, so it is not modified. ` +
          `Choose another stack name, or tag the stack ${TAG_ENTITY_REF}=${entityRef} to hand it to ${entityRef}.`
        : `Stack ${stackName} (${status}) belongs to ${stackOwner} (tag ${TAG_ENTITY_REF}), not to ${entityRef}, so it is not modified. Choose another stack name.`;
    return new CloudFormationDeployError('refused', message, {
      stackStatus: status,
    });
  }

  private async deleteFailedStack(
    run: Run,
    stackId: string,
  ): Promise<{ since: string; requestedAt: string }> {
    // Events after the newest existing one belong to the delete.
    const page = await this.call(run, signal =>
      this.cloudFormation.send(
        new DescribeStackEventsCommand({ StackName: stackId }),
        { abortSignal: signal },
      ),
    );
    const newest = page.StackEvents?.[0]?.Timestamp?.getTime() ?? Date.now();
    await this.call(run, signal =>
      this.cloudFormation.send(
        new DeleteStackCommand({
          StackName: stackId,
          ClientRequestToken: `${run.changeSetName}-delete`,
        }),
        { abortSignal: signal },
      ),
    );
    return {
      since: new Date(newest + 1).toISOString(),
      requestedAt: new Date().toISOString(),
    };
  }

  private async createChangeSet(
    run: Run,
    plan: Plan,
  ): Promise<ChangeSetRecord> {
    const { request } = run;
    const type = plan.action === 'update' ? 'UPDATE' : 'CREATE';
    // A stack CloudFormation creates for this change set is ours to remove if the deploy stops here.
    const ownsReviewStack =
      type === 'CREATE' && !(plan.action === 'create' && plan.reviewStackId);
    let created: { Id?: string; StackId?: string };
    try {
      created = await this.call(run, signal =>
        this.cloudFormation.send(
          new CreateChangeSetCommand({
            StackName: request.stackName,
            ChangeSetName: run.changeSetName,
            ClientToken: `${run.changeSetName}-create`,
            ChangeSetType: type,
            TemplateBody: request.templateBody,
            Parameters: this.parametersFor(run, plan),
            Capabilities: request.capabilities,
            RoleARN: request.roleArn,
            Tags: this.tagsFor(run, plan),
            // Only creations take OnStackFailure; updates pass DisableRollback on execution.
            OnStackFailure: type === 'CREATE' ? request.onFailure : undefined,
            Description: `Backstage deploy of ${request.owner.entityRef}`,
          }),
          { abortSignal: signal },
        ),
      );
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (plan.action === 'update' && isValidationError(error, NO_CHANGES)) {
        // Some endpoints reject an empty update outright instead of failing the change set.
        return this.emptyChangeSet(run, '', plan.stackId, 'UPDATE');
      }
      if ((error as Error).name === 'InsufficientCapabilitiesException') {
        throw new CloudFormationDeployError(
          'changeSetFailed',
          `${message} Add them to the \`capabilities\` input.`,
        );
      }
      if (isValidationError(error)) {
        throw new CloudFormationDeployError(
          'changeSetFailed',
          `CloudFormation rejected the change set for stack ${request.stackName}: ${message}`,
        );
      }
      throw error;
    }
    const changeSetId = created.Id ?? run.changeSetName;
    const stackId =
      created.StackId ??
      (plan.action === 'create' ? request.stackName : plan.stackId);
    const discard = () =>
      this.discardChangeSet(run, changeSetId, stackId, ownsReviewStack);
    try {
      this.checkAccount(run, stackId);
    } catch (error) {
      await discard();
      throw error;
    }
    run.log.info(
      `Creating change set ${run.changeSetName} (${type}) for stack ${request.stackName}…`,
    );

    let described;
    try {
      described = await this.waitForChangeSet(run, changeSetId, stackId);
    } catch (error) {
      await discard();
      throw error;
    }
    if (described.Status === 'FAILED') {
      await discard();
      const reason = described.StatusReason ?? 'CloudFormation gave no reason';
      if (NO_CHANGES.test(reason)) {
        return this.emptyChangeSet(run, changeSetId, stackId, type);
      }
      throw new CloudFormationDeployError(
        'changeSetFailed',
        `CloudFormation could not create the change set for stack ${request.stackName}: ${reason} ` +
          `The change set was deleted${ownsReviewStack ? ' and so was the empty stack made for it' : ''}; nothing was deployed.`,
      );
    }

    const changes = toChangeRows(described.Changes);
    run.log.info(
      `Change set ${run.changeSetName} for stack ${request.stackName}: ${changes.length} resource change(s).`,
    );
    for (const line of formatChangeTable(changes, run.descriptions)) {
      run.log.info(line);
    }
    return {
      changeSetId,
      stackId,
      type,
      createdAt: (described.CreationTime ?? new Date()).toISOString(),
      empty: false,
      changes,
    };
  }

  private emptyChangeSet(
    run: Run,
    changeSetId: string,
    stackId: string,
    type: 'CREATE' | 'UPDATE',
  ): ChangeSetRecord {
    run.log.info(
      `No changes: stack ${run.request.stackName} already matches the template and parameters.`,
    );
    return {
      changeSetId,
      stackId,
      type,
      createdAt: new Date().toISOString(),
      empty: true,
      changes: [],
    };
  }

  // Polls until CloudFormation finished computing the change set, then reads all its pages.
  private async waitForChangeSet(
    run: Run,
    changeSetId: string,
    stackId: string,
  ) {
    const deadline = Date.now() + run.request.timeoutMinutes * 60_000;
    const describe = (nextToken?: string) =>
      this.call(run, signal =>
        this.cloudFormation.send(
          new DescribeChangeSetCommand({
            ChangeSetName: changeSetId,
            StackName: stackId,
            NextToken: nextToken,
          }),
          { abortSignal: signal },
        ),
      );
    // CloudFormation takes a few seconds for any change set, so the first look waits too.
    let delay = this.timings.initialPollMs;
    let described;
    do {
      await this.pause(run, delay);
      delay = Math.min(
        delay * this.timings.pollBackoff,
        this.timings.maxPollMs,
      );
      if (run.signal?.aborted) {
        throw new CloudFormationDeployError(
          'cancelled',
          'The task was cancelled before the change set was executed; nothing was deployed.',
        );
      }
      if (Date.now() >= deadline) {
        throw new CloudFormationDeployError(
          'timedOut',
          `CloudFormation did not finish creating change set ${run.changeSetName} within ${run.request.timeoutMinutes} minutes; it was deleted.`,
        );
      }
      described = await describe();
    } while (CHANGE_SET_PENDING.has(described.Status ?? ''));
    const changes: Change[] = [...(described.Changes ?? [])];
    for (let page = described; page.NextToken;) {
      page = await describe(page.NextToken);
      changes.push(...(page.Changes ?? []));
    }
    return { ...described, Changes: changes };
  }

  private async discardChangeSet(
    run: Run,
    changeSetId: string,
    stackId: string,
    deleteReviewStack: boolean,
  ): Promise<void> {
    await this.call(
      run,
      () =>
        this.cloudFormation.send(
          new DeleteChangeSetCommand({
            ChangeSetName: changeSetId,
            StackName: stackId,
          }),
        ),
      { cancellable: false },
    );
    if (deleteReviewStack) {
      await this.call(
        run,
        () =>
          this.cloudFormation.send(
            new DeleteStackCommand({
              StackName: stackId,
              ClientRequestToken: `${run.changeSetName}-discard`,
            }),
          ),
        { cancellable: false },
      );
    }
    run.log.info(
      `Deleted change set ${run.changeSetName}${deleteReviewStack ? ` and the empty stack ${run.request.stackName} made for it` : ''}.`,
    );
  }

  private async executeChangeSet(
    run: Run,
    changeSet: ChangeSetRecord,
  ): Promise<{ startedAt: string }> {
    const { request } = run;
    run.log.info(
      `Executing change set ${run.changeSetName} on stack ${request.stackName}.`,
    );
    try {
      // Not cancellable: once sent, the operation is CloudFormation's; a cancel is handled while watching.
      await this.call(
        run,
        () =>
          this.cloudFormation.send(
            new ExecuteChangeSetCommand({
              ChangeSetName: changeSet.changeSetId,
              StackName: changeSet.stackId,
              ClientRequestToken: `${run.changeSetName}-execute`,
              DisableRollback:
                changeSet.type === 'UPDATE' &&
                request.onFailure === 'DO_NOTHING'
                  ? true
                  : undefined,
            }),
          ),
        { cancellable: false },
      );
    } catch (error) {
      // A retry after a lost response finds the change set already executing.
      if ((error as Error).name !== 'InvalidChangeSetStatusException') {
        throw error;
      }
      const current = await this.call(run, () =>
        this.cloudFormation.send(
          new DescribeChangeSetCommand({
            ChangeSetName: changeSet.changeSetId,
            StackName: changeSet.stackId,
          }),
        ),
      );
      if (!current.ExecutionStatus?.startsWith('EXECUTE_')) {
        throw error;
      }
    }
    return { startedAt: new Date().toISOString() };
  }

  // Streams the operation's events until the stack settles, the task is cancelled or time runs out.
  private async watch(run: Run, operation: Operation): Promise<Outcome> {
    const { stackName } = run.request;
    const stream = new StackEventStream(
      nextToken =>
        this.call(run, signal =>
          this.cloudFormation.send(
            new DescribeStackEventsCommand({
              StackName: operation.stackId,
              NextToken: nextToken,
            }),
            {
              abortSignal: signal,
            },
          ),
        ),
      new Date(operation.since),
    );
    const progress = new ProgressTracker(operation.resources);
    const events: StackEvent[] = [];
    const taskStops = new Map<string, string>();
    const started = Date.now();
    let operationId: string | undefined;
    let status: string | undefined;
    let delay = this.timings.initialPollMs;
    let lastLog = Date.now();
    const absorb = async (fresh: StackEvent[]) => {
      for (const event of fresh) {
        events.push(event);
        progress.record(event);
        run.log.info(this.formatEvent(run, event));
        const line = progress.progressLine();
        if (line) {
          run.log.info(line);
        }
        if (isStackEvent(event)) {
          // The operation the execution started, not the change set's (REVIEW_IN_PROGRESS) one.
          if (
            event.ResourceStatus ===
            `${operation.kind.toUpperCase()}_IN_PROGRESS`
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
          await this.captureStoppedTasks(run, event, taskStops);
        }
      }
      if (fresh.length > 0) {
        lastLog = Date.now();
      }
    };

    // A fresh operation has nothing to show yet; a resumed one may have finished meanwhile.
    let wait = operation.resumed ? 0 : delay;
    while (!status) {
      const untilHeartbeat = this.timings.heartbeatMs - (Date.now() - lastLog);
      await this.pause(
        run,
        Math.max(
          0,
          Math.min(wait, untilHeartbeat, operation.deadline - Date.now()),
        ),
      );
      delay = Math.min(
        delay * this.timings.pollBackoff,
        this.timings.maxPollMs,
      );
      wait = delay;
      if (run.signal?.aborted) {
        return this.stopWaiting(run, operation, 'cancelled');
      }
      if (Date.now() >= operation.deadline) {
        return this.stopWaiting(run, operation, 'timedOut');
      }
      try {
        await absorb(await stream.poll());
        if (status) {
          break;
        }
        if (Date.now() - lastLog >= this.timings.heartbeatMs) {
          // Also a safety net: trust the stack's status should its final event be missing.
          const stack = await this.describeStack(run, operation.stackId);
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
    const stack = await this.describeStack(run, operation.stackId, {
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

  // Cancel or timeout: cancel an update, say what state the stack is left in, and stop.
  private async stopWaiting(
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
        await this.call(
          run,
          () =>
            this.cloudFormation.send(
              new CancelUpdateStackCommand({
                StackName: operation.stackId,
                ClientRequestToken: `${run.changeSetName}-cancel`,
              }),
            ),
          { cancellable: false },
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
    const stack = await this.describeStack(run, operation.stackId, {
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

  private async failureError(
    run: Run,
    outcome: Outcome,
    headline: string,
  ): Promise<CloudFormationDeployError> {
    const failure = await this.rootCause(run, outcome);
    let taskStops: string | undefined;
    if (failure?.resourceType === ECS_SERVICE_TYPE) {
      const event = outcome.events.find(
        e =>
          e.LogicalResourceId === failure.logicalResourceId &&
          isFailed(e.ResourceStatus ?? ''),
      );
      if (!outcome.taskStops.has(failure.logicalResourceId) && event) {
        await this.captureStoppedTasks(run, event, outcome.taskStops);
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

  // CloudFormation's failed-events filter when the endpoint has it; the streamed stack events otherwise.
  private async rootCause(
    run: Run,
    outcome: Outcome,
  ): Promise<StackFailure | undefined> {
    if (outcome.operation.kind !== 'delete') {
      try {
        const failed: StackEvent[] = [];
        let nextToken: string | undefined;
        do {
          const page = await this.call(run, () =>
            this.cloudFormation.send(
              new DescribeEventsCommand({
                StackName: outcome.operation.stackId,
                OperationId: outcome.operationId,
                Filters: { FailedEvents: true },
                NextToken: nextToken,
              }),
            ),
          );
          failed.push(
            ...(page.OperationEvents ?? []).map(event =>
              toStackEvent(event, run.request.stackName),
            ),
          );
          nextToken = page.NextToken;
        } while (nextToken);
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

  private async captureStoppedTasks(
    run: Run,
    event: StackEvent,
    into: Map<string, string>,
  ): Promise<void> {
    if (!this.ecs || !event.LogicalResourceId) {
      return;
    }
    try {
      const reason = await describeStoppedTasks(this.ecs, event);
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

  private async lastFailure(
    run: Run,
    stackId: string,
  ): Promise<StackFailure | undefined> {
    try {
      const page = await this.call(run, signal =>
        this.cloudFormation.send(
          new DescribeStackEventsCommand({ StackName: stackId }),
          { abortSignal: signal },
        ),
      );
      return explainStackFailure(page.StackEvents ?? []);
    } catch {
      // The refusal stands on its own; the cause is a bonus.
      return undefined;
    }
  }

  private async applyTerminationProtection(
    run: Run,
    stack: Stack,
    checkpoint: Checkpoint,
    key: string,
  ): Promise<void> {
    const wanted = run.request.terminationProtection;
    if (
      wanted === undefined ||
      (stack.EnableTerminationProtection ?? false) === wanted
    ) {
      return;
    }
    await checkpoint(key, async () => {
      await this.call(
        run,
        () =>
          this.cloudFormation.send(
            new UpdateTerminationProtectionCommand({
              StackName: stack.StackId,
              EnableTerminationProtection: wanted,
            }),
          ),
        { cancellable: false },
      );
      run.log.info(
        `Termination protection of stack ${run.request.stackName} is now ${wanted ? 'on' : 'off'}.`,
      );
      return {};
    });
  }

  private async findStack(
    run: Run,
    stackName: string,
  ): Promise<Stack | undefined> {
    try {
      const { Stacks } = await this.call(run, signal =>
        this.cloudFormation.send(
          new DescribeStacksCommand({ StackName: stackName }),
          { abortSignal: signal },
        ),
      );
      return Stacks?.[0];
    } catch (error) {
      if (isValidationError(error, STACK_MISSING)) {
        return undefined;
      }
      throw error;
    }
  }

  private async describeStack(
    run: Run,
    stackId: string,
    options: { cancellable?: boolean } = {},
  ): Promise<Stack> {
    const { Stacks } = await this.call(
      run,
      signal =>
        this.cloudFormation.send(
          new DescribeStacksCommand({ StackName: stackId }),
          { abortSignal: signal },
        ),
      options,
    );
    const stack = Stacks?.[0];
    if (!stack) {
      throw new Error(`CloudFormation returned no stack for ${stackId}`);
    }
    return stack;
  }

  private parametersFor(run: Run, plan: Plan): Parameter[] {
    const { parameters } = run.request;
    const given = Object.entries(parameters).map(([key, value]) => ({
      ParameterKey: key,
      ParameterValue: value,
    }));
    if (plan.action !== 'update') {
      return given;
    }
    // Like `aws cloudformation deploy`: parameters left out keep their deployed value.
    const kept = plan.previousParameterKeys
      .filter(key => key in run.template.parameters && !(key in parameters))
      .map(key => ({ ParameterKey: key, UsePreviousValue: true }));
    return [...given, ...kept];
  }

  private tagsFor(run: Run, plan: Plan) {
    const { tags, owner } = run.request;
    // The template that created the stack stays its template of record.
    const templateRef =
      (plan.action === 'update' ? plan.templateRef : undefined) ??
      owner.templateRef;
    return [
      ...Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      { Key: TAG_ENTITY_REF, Value: owner.entityRef },
      ...(templateRef ? [{ Key: TAG_TEMPLATE_REF, Value: templateRef }] : []),
    ];
  }

  private checkAccount(run: Run, stackId: string): void {
    const expected = run.request.expectedAccountId;
    const actual = accountOfArn(stackId);
    if (expected && actual && actual !== expected) {
      throw new CloudFormationDeployError(
        'refused',
        `The credentials for account ${expected} reach account ${actual} (stack ${stackId}); check the aws.accounts configuration. Nothing was deployed.`,
      );
    }
  }

  private result(
    run: Run,
    stack: Stack,
    changeSet: ChangeSetRecord,
    flags: { changed: boolean; executed: boolean },
  ): DeployResult {
    const outputs: Record<string, string> = {};
    for (const output of stack.Outputs ?? []) {
      if (output.OutputKey) {
        outputs[output.OutputKey] = isSecretLookingKey(output.OutputKey)
          ? MASK
          : run.redact(output.OutputValue ?? '');
      }
    }
    if (Object.keys(outputs).length > 0) {
      run.log.info(
        `Outputs: ${Object.entries(outputs)
          .map(([key, value]) => `${key}=${value}`)
          .join(', ')}`,
      );
    }
    return {
      stackId: stack.StackId ?? changeSet.stackId,
      stackName: run.request.stackName,
      stackStatus: stack.StackStatus ?? 'UNKNOWN',
      ...(changeSet.changeSetId ? { changeSetId: changeSet.changeSetId } : {}),
      ...flags,
      outputs,
      changes: changeSet.changes,
    };
  }

  private formatEvent(run: Run, event: StackEvent): string {
    const id = event.LogicalResourceId ?? 'unknown';
    const description = run.descriptions[id];
    const reason = event.ResourceStatusReason
      ? `: ${event.ResourceStatusReason}`
      : '';
    return `${event.ResourceStatus ?? 'UNKNOWN'} ${id} (${event.ResourceType ?? 'unknown type'}${description ? `, "${description}"` : ''})${reason}`;
  }

  /**
   * Sends one request with the deploy's own patience on top of the SDK's retries: throttling
   * backs off further and never fails the deploy; dropped connections are tried again a few
   * times. Every request is idempotent (read-only or carrying a token), so repeating is safe.
   */
  private async call<T>(
    run: Run,
    send: (signal?: AbortSignal) => Promise<T>,
    options: { cancellable?: boolean } = {},
  ): Promise<T> {
    const signal = options.cancellable === false ? undefined : run.signal;
    for (let attempt = 1; ; attempt++) {
      try {
        const output = await send(signal);
        this.throttleDelayMs =
          this.throttleDelayMs / 2 < this.timings.initialPollMs
            ? 0
            : this.throttleDelayMs / 2;
        return output;
      } catch (error) {
        if (signal?.aborted) {
          throw new CloudFormationDeployError(
            'cancelled',
            'The task was cancelled.',
          );
        }
        if (isThrottlingError(error)) {
          const first = this.throttleDelayMs === 0;
          this.throttleDelayMs = Math.min(
            Math.max(this.throttleDelayMs * 2, this.timings.initialPollMs * 2),
            this.timings.maxThrottledDelayMs,
          );
          if (first) {
            run.log.warn(
              `CloudFormation is throttling requests; slowing down (up to ${formatDuration(this.timings.maxThrottledDelayMs)} between calls).`,
            );
          }
          await this.pause(run, 0, signal);
          continue;
        }
        if (
          isTransientError(error) &&
          attempt < this.timings.maxTransientAttempts
        ) {
          run.log.warn(
            `A request to CloudFormation failed (${(error as Error).message || (error as Error).name}); trying again.`,
          );
          await this.pause(run, this.timings.initialPollMs * attempt, signal);
          continue;
        }
        throw error;
      }
    }
  }

  // Waits `ms` (longer while throttled); returns early when the task is cancelled.
  private pause(
    run: Run,
    ms: number,
    signal: AbortSignal | undefined = run.signal,
  ): Promise<void> {
    return pause(Math.max(ms, this.throttleDelayMs), signal);
  }

  // Every error leaves with secret values masked; an abort surfaces as a cancel.
  private presentError(run: Run, error: unknown): Error {
    const presented = error instanceof Error ? error : new Error(String(error));
    if (
      run.signal?.aborted &&
      !(presented instanceof CloudFormationDeployError)
    ) {
      return new CloudFormationDeployError(
        'cancelled',
        `The task was cancelled: ${run.redact(presented.message)}`,
      );
    }
    presented.message = run.redact(presented.message);
    if (presented.stack) {
      presented.stack = run.redact(presented.stack);
    }
    return presented;
  }
}

// DescribeEvents reports operation events; explainStackFailure reads stack events.
function toStackEvent(event: OperationEvent, stackName: string): StackEvent {
  return {
    StackId: event.StackId,
    EventId: event.EventId,
    StackName: stackName,
    OperationId: event.OperationId,
    LogicalResourceId: event.LogicalResourceId,
    PhysicalResourceId: event.PhysicalResourceId,
    ResourceType: event.ResourceType,
    Timestamp: event.Timestamp,
    ResourceStatus: event.ResourceStatus,
    ResourceStatusReason:
      event.ResourceStatusReason ?? event.ValidationStatusReason,
    HookType: event.HookType,
    HookStatus: event.HookStatus,
    HookStatusReason: event.HookStatusReason,
    HookFailureMode: event.HookFailureMode,
  };
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => a.localeCompare(b)),
  );
}
