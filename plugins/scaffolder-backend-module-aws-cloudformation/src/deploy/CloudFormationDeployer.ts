import type {
  CloudFormationClient,
  Stack,
} from '@aws-sdk/client-cloudformation';
import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  createChangeSet,
  executeChangeSet,
  type ChangeSetRecord,
} from './changeSet';
import type { CloudFormationStacks } from './cloudFormationStacks';
import { CloudFormationDeployError } from './errors';
import { failureError, lastFailure } from './explainFailure';
import { decidePlan, failedStackRefusal, type Plan } from './plan';
import { describeStack, prepareRun, type Run } from './run';
import { SdkCloudFormationStacks } from './sdkCloudFormationStacks';
import { MASK, isSecretLookingKey } from './secrets';
import {
  DEFAULT_TIMINGS,
  type Checkpoint,
  type DeployLogger,
  type DeployRequest,
  type DeployResult,
  type DeployTimings,
} from './types';
import { watch } from './watch';

/** What the engine needs to deploy. */
export type CloudFormationDeployerOptions = {
  cloudFormation: CloudFormationClient;
  /** Explains failed ECS services by their stopped tasks (`ecs:ListTasks`, `ecs:DescribeTasks`). */
  ecs?: ECSClient;
  logger: DeployLogger;
  timings?: Partial<DeployTimings>;
};

const SUCCESS = {
  create: 'CREATE_COMPLETE',
  update: 'UPDATE_COMPLETE',
  delete: 'DELETE_COMPLETE',
} as const;

/**
 * Deploys CloudFormation templates through change sets: decides create, update or recreate
 * from the stack's state and ownership tags, shows the change set, executes it, streams the
 * stack events with progress and heartbeats, and explains failures by their root cause.
 * Every mutating call carries an idempotency token and every step can be wrapped in a
 * {@link Checkpoint}, so a deploy interrupted by a restart resumes the same operation.
 */
export class CloudFormationDeployer {
  private readonly stacks: (log: DeployLogger) => CloudFormationStacks;
  private readonly ecs?: ECSClient;
  private readonly logger: DeployLogger;
  private readonly timings: DeployTimings;

  constructor(options: CloudFormationDeployerOptions) {
    const timings = { ...DEFAULT_TIMINGS, ...options.timings };
    // One per deploy, reporting retries through that deploy's masking log.
    this.stacks = log =>
      new SdkCloudFormationStacks(options.cloudFormation, { timings, log });
    this.ecs = options.ecs;
    this.logger = options.logger;
    this.timings = timings;
  }

  /**
   * Deploys the template. Throws {@link CloudFormationDeployError} with a message naming
   * the cause when the deploy is refused, fails, times out or is cancelled through `signal`.
   */
  async deploy(
    request: DeployRequest,
    options: { checkpoint?: Checkpoint; signal?: AbortSignal } = {},
  ): Promise<DeployResult> {
    const run = prepareRun(request, {
      logger: this.logger,
      stacks: this.stacks,
      ecs: this.ecs,
      timings: this.timings,
      signal: options.signal,
    });
    try {
      return await this.run(run, options.checkpoint ?? ((_key, fn) => fn()));
    } catch (error) {
      throw presentError(run, error);
    }
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
      const outcome = await watch(run, {
        kind: 'delete',
        stackId: plan.stackId,
        since: deletion.since,
        deadline:
          Date.parse(deletion.requestedAt) + request.timeoutMinutes * 60_000,
        resources: [],
        resumed: false,
      });
      if (outcome.status !== SUCCESS.delete) {
        throw await failureError(
          run,
          outcome,
          `Could not delete the failed stack ${request.stackName} before creating it again`,
        );
      }
    }

    const changeSet = await checkpoint(key('change-set'), () =>
      createChangeSet(run, plan),
    );
    if (changeSet.empty) {
      if (request.failOnEmptyChangeSet) {
        throw new CloudFormationDeployError(
          'noChanges',
          `No changes to deploy to stack ${request.stackName}: the template, parameters and tags match what is deployed, and failOnEmptyChangeSet is set.`,
        );
      }
      const stack = await describeStack(run, changeSet.stackId);
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
      const stack = await describeStack(run, changeSet.stackId);
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
      return executeChangeSet(run, changeSet);
    });
    if (resumed) {
      run.log.info(
        `Resuming after a restart: change set ${run.changeSetName} was executed at ${execution.startedAt}; watching stack ${request.stackName} again.`,
      );
    }
    const outcome = await watch(run, {
      kind: changeSet.type === 'CREATE' ? 'create' : 'update',
      stackId: changeSet.stackId,
      since: changeSet.createdAt,
      deadline:
        Date.parse(execution.startedAt) + request.timeoutMinutes * 60_000,
      resources: changeSet.changes.map(change => change.logicalResourceId),
      resumed,
    });
    if (outcome.status !== SUCCESS[outcome.operation.kind]) {
      throw await failureError(
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

  // Reads the stack, then lets decidePlan choose; a failed stack's refusal carries its last failure.
  private async plan(run: Run): Promise<Plan> {
    const { stackName, owner, expectedAccountId } = run.request;
    const stack = await run.stacks.describeStack(stackName, {
      signal: run.signal,
    });
    const decision = decidePlan(stack, owner, { stackName, expectedAccountId });
    if ('refusal' in decision) {
      throw decision.refusal;
    }
    if ('failedStack' in decision) {
      const { stackId, status } = decision.failedStack;
      throw failedStackRefusal(
        stackName,
        status,
        await lastFailure(run, stackId),
      );
    }
    if (decision.note) {
      run.log.info(decision.note);
    }
    return decision.plan;
  }

  private async deleteFailedStack(
    run: Run,
    stackId: string,
  ): Promise<{ since: string; requestedAt: string }> {
    // Events after the newest existing one belong to the delete.
    const page = await run.stacks.describeStackEvents(stackId, undefined, {
      signal: run.signal,
    });
    const newest = page.StackEvents?.[0]?.Timestamp?.getTime() ?? Date.now();
    await run.stacks.deleteStack(
      { stackId, clientRequestToken: `${run.changeSetName}-delete` },
      { signal: run.signal },
    );
    return {
      since: new Date(newest + 1).toISOString(),
      requestedAt: new Date().toISOString(),
    };
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
      await run.stacks.updateTerminationProtection(stack.StackId!, wanted);
      run.log.info(
        `Termination protection of stack ${run.request.stackName} is now ${wanted ? 'on' : 'off'}.`,
      );
      return {};
    });
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
}

// Every error leaves with secret values masked; an abort surfaces as a cancel.
function presentError(run: Run, error: unknown): Error {
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
