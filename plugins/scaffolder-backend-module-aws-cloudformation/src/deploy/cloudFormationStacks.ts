import type {
  CreateChangeSetInput,
  DescribeChangeSetOutput,
  DescribeStackEventsOutput,
  ExecuteChangeSetInput,
  ListStackResourcesOutput,
  Stack,
  StackEvent,
} from '@aws-sdk/client-cloudformation';

/** How one call reacts to a cancelled task. */
export type CallOptions = {
  /**
   * The task's cancel signal: once it aborts, no more retries (the call fails as cancelled) and
   * the request in flight is aborted too. Left out for calls that must finish (cleanups, execute).
   */
  signal?: AbortSignal;
  /** A cancel stops the retries but lets the request in flight finish. */
  letRequestFinish?: boolean;
  /** One try for a dropped connection: the caller has a fallback. */
  once?: boolean;
};

/**
 * The CloudFormation calls the deploy and delete engines make, one verb each. The
 * implementation over the SDK ({@link SdkCloudFormationStacks}) waits out throttling and
 * repeats dropped connections; every mutating verb carries an idempotency token, so a repeat is
 * safe.
 */
export interface CloudFormationStacks {
  /** The stack by name or id; `undefined` when CloudFormation says it does not exist. */
  describeStack(
    stackName: string,
    options?: CallOptions,
  ): Promise<Stack | undefined>;
  /** One page of the stack's events, newest first. */
  describeStackEvents(
    stackId: string,
    nextToken: string | undefined,
    options?: CallOptions,
  ): Promise<Pick<DescribeStackEventsOutput, 'StackEvents' | 'NextToken'>>;
  /** The failed events of one operation (`DescribeEvents`), every page, as stack events. */
  describeFailedEvents(
    stackId: string,
    operationId: string | undefined,
    stackName: string,
    options?: CallOptions,
  ): Promise<StackEvent[]>;
  createChangeSet(
    input: CreateChangeSetInput,
    options?: CallOptions,
  ): Promise<{ Id?: string; StackId?: string }>;
  /** One page of the change set's description. */
  describeChangeSet(
    changeSetId: string,
    stackId: string,
    nextToken?: string,
    options?: CallOptions,
  ): Promise<DescribeChangeSetOutput>;
  executeChangeSet(
    input: ExecuteChangeSetInput,
    options?: CallOptions,
  ): Promise<void>;
  deleteChangeSet(
    changeSetId: string,
    stackId: string,
    options?: CallOptions,
  ): Promise<void>;
  deleteStack(
    input: {
      stackId: string;
      clientRequestToken: string;
      roleArn?: string;
      retainResources?: string[];
    },
    options?: CallOptions,
  ): Promise<void>;
  cancelUpdateStack(
    stackId: string,
    clientRequestToken: string,
    options?: CallOptions,
  ): Promise<void>;
  updateTerminationProtection(
    stackId: string,
    enabled: boolean,
    options?: CallOptions,
  ): Promise<void>;
  /** The template the stack was deployed with, as written (`TemplateStage: Original`). */
  getTemplate(
    stackId: string,
    options?: CallOptions,
  ): Promise<string | undefined>;
  /** One page of the stack's live resources. */
  listStackResources(
    stackId: string,
    nextToken: string | undefined,
    options?: CallOptions,
  ): Promise<
    Pick<ListStackResourcesOutput, 'StackResourceSummaries' | 'NextToken'>
  >;
  /**
   * Waits `ms`, longer while CloudFormation throttles (so polling slows down with the calls);
   * returns early when `signal` aborts.
   */
  pause(ms: number, signal?: AbortSignal): Promise<void>;
}
