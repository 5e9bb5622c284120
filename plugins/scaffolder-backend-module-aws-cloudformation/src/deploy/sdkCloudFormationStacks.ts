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
  GetTemplateCommand,
  ListStackResourcesCommand,
  UpdateTerminationProtectionCommand,
  type CloudFormationClient,
  type CreateChangeSetInput,
  type ExecuteChangeSetInput,
  type OperationEvent,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { CallOptions, CloudFormationStacks } from './cloudFormationStacks';
import { isThrottlingError } from '@golden-path/plugin-cloudformation-node';
import {
  CloudFormationDeployError,
  isTransientError,
  isValidationError,
} from './errors';
import { pause } from './pause';
import { formatDuration } from './progress';
import type { DeployLogger, DeployTimings } from './types';

const STACK_MISSING = /does not exist/;

/** Whether CloudFormation answered that the stack does not exist (or no longer does). */
export function isStackMissing(error: unknown): boolean {
  return isValidationError(error, STACK_MISSING);
}

/**
 * {@link CloudFormationStacks} over the SDK's client, with the engine's own patience on top of
 * the SDK's retries: throttling backs off further and never fails a call; dropped connections
 * are tried again a few times. Every request is idempotent (read-only or carrying a token), so
 * repeating is safe.
 */
export class SdkCloudFormationStacks implements CloudFormationStacks {
  // Extra delay while CloudFormation throttles; doubles per throttle, halves per success.
  private throttleDelayMs = 0;

  constructor(
    private readonly client: CloudFormationClient,
    private readonly options: {
      timings: DeployTimings;
      /** Where the slowing down and the retries are reported. */
      log: DeployLogger;
    },
  ) {}

  async describeStack(stackName: string, options?: CallOptions) {
    try {
      const { Stacks } = await this.call(
        abortSignal =>
          this.client.send(
            new DescribeStacksCommand({ StackName: stackName }),
            {
              abortSignal,
            },
          ),
        options,
      );
      return Stacks?.[0];
    } catch (error) {
      if (isStackMissing(error)) {
        return undefined;
      }
      throw error;
    }
  }

  describeStackEvents(
    stackId: string,
    nextToken: string | undefined,
    options?: CallOptions,
  ) {
    return this.call(
      abortSignal =>
        this.client.send(
          new DescribeStackEventsCommand({
            StackName: stackId,
            NextToken: nextToken,
          }),
          { abortSignal },
        ),
      options,
    );
  }

  async describeFailedEvents(
    stackId: string,
    operationId: string | undefined,
    stackName: string,
    options?: CallOptions,
  ) {
    const failed: StackEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(
        abortSignal =>
          this.client.send(
            new DescribeEventsCommand({
              StackName: stackId,
              OperationId: operationId,
              Filters: { FailedEvents: true },
              NextToken: nextToken,
            }),
            { abortSignal },
          ),
        options,
      );
      failed.push(
        ...(page.OperationEvents ?? []).map(event =>
          toStackEvent(event, stackName),
        ),
      );
      nextToken = page.NextToken;
    } while (nextToken);
    return failed;
  }

  createChangeSet(input: CreateChangeSetInput, options?: CallOptions) {
    return this.call(
      abortSignal =>
        this.client.send(new CreateChangeSetCommand(input), { abortSignal }),
      options,
    );
  }

  describeChangeSet(
    changeSetId: string,
    stackId: string,
    nextToken?: string,
    options?: CallOptions,
  ) {
    return this.call(
      abortSignal =>
        this.client.send(
          new DescribeChangeSetCommand({
            ChangeSetName: changeSetId,
            StackName: stackId,
            NextToken: nextToken,
          }),
          { abortSignal },
        ),
      options,
    );
  }

  async executeChangeSet(input: ExecuteChangeSetInput, options?: CallOptions) {
    await this.call(
      abortSignal =>
        this.client.send(new ExecuteChangeSetCommand(input), { abortSignal }),
      options,
    );
  }

  async deleteChangeSet(
    changeSetId: string,
    stackId: string,
    options?: CallOptions,
  ) {
    await this.call(
      abortSignal =>
        this.client.send(
          new DeleteChangeSetCommand({
            ChangeSetName: changeSetId,
            StackName: stackId,
          }),
          { abortSignal },
        ),
      options,
    );
  }

  async deleteStack(
    input: {
      stackId: string;
      clientRequestToken: string;
      roleArn?: string;
      retainResources?: string[];
    },
    options?: CallOptions,
  ) {
    await this.call(
      abortSignal =>
        this.client.send(
          new DeleteStackCommand({
            StackName: input.stackId,
            ClientRequestToken: input.clientRequestToken,
            RoleARN: input.roleArn,
            ...(input.retainResources?.length
              ? { RetainResources: input.retainResources }
              : {}),
          }),
          { abortSignal },
        ),
      options,
    );
  }

  async cancelUpdateStack(
    stackId: string,
    clientRequestToken: string,
    options?: CallOptions,
  ) {
    await this.call(
      abortSignal =>
        this.client.send(
          new CancelUpdateStackCommand({
            StackName: stackId,
            ClientRequestToken: clientRequestToken,
          }),
          { abortSignal },
        ),
      options,
    );
  }

  async updateTerminationProtection(
    stackId: string,
    enabled: boolean,
    options?: CallOptions,
  ) {
    await this.call(
      abortSignal =>
        this.client.send(
          new UpdateTerminationProtectionCommand({
            StackName: stackId,
            EnableTerminationProtection: enabled,
          }),
          { abortSignal },
        ),
      options,
    );
  }

  async getTemplate(stackId: string, options?: CallOptions) {
    const { TemplateBody } = await this.call(
      abortSignal =>
        this.client.send(
          new GetTemplateCommand({
            StackName: stackId,
            TemplateStage: 'Original',
          }),
          { abortSignal },
        ),
      options,
    );
    return TemplateBody;
  }

  listStackResources(
    stackId: string,
    nextToken: string | undefined,
    options?: CallOptions,
  ) {
    return this.call(
      abortSignal =>
        this.client.send(
          new ListStackResourcesCommand({
            StackName: stackId,
            NextToken: nextToken,
          }),
          { abortSignal },
        ),
      options,
    );
  }

  pause(ms: number, signal?: AbortSignal): Promise<void> {
    return pause(Math.max(ms, this.throttleDelayMs), signal);
  }

  private async call<T>(
    send: (abortSignal?: AbortSignal) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const { timings, log } = this.options;
    const { signal } = options;
    const maxAttempts = options.once ? 1 : timings.maxTransientAttempts;
    for (let attempt = 1; ; attempt++) {
      try {
        const output = await send(
          options.letRequestFinish ? undefined : signal,
        );
        this.throttleDelayMs =
          this.throttleDelayMs / 2 < timings.initialPollMs
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
            Math.max(this.throttleDelayMs * 2, timings.initialPollMs * 2),
            timings.maxThrottledDelayMs,
          );
          if (first) {
            log.warn(
              `CloudFormation is throttling requests; slowing down (up to ${formatDuration(timings.maxThrottledDelayMs)} between calls).`,
            );
          }
          await this.pause(0, signal);
          continue;
        }
        if (isTransientError(error) && attempt < maxAttempts) {
          log.warn(
            `A request to CloudFormation failed (${(error as Error).message || (error as Error).name}); trying again.`,
          );
          await this.pause(timings.initialPollMs * attempt, signal);
          continue;
        }
        throw error;
      }
    }
  }
}

// DescribeEvents reports operation events; the failure explanation reads stack events.
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
