import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readTemplate, type TemplateFacts } from '../deploy/template';
import { parseTemplate } from '../validation/parseTemplate';
import { parseQueryRequest, queryError, queryResponse } from './queryProtocol';

/** How one stack behaves on the fake endpoint. Times are milliseconds of real time. */
export type FakeStackScenario = {
  /** A stack already there when the test starts. */
  existing?: {
    status: string;
    statusReason?: string;
    tags?: Record<string, string>;
    /** Its deployed template; updates are diffed against it. */
    templateBody?: string;
    parameters?: Record<string, string>;
    /** A resource failure in its history (for `*_FAILED` and `ROLLBACK_COMPLETE` stacks). */
    failure?: { logicalId: string; resourceType: string; reason: string };
    /** Termination protection is on. */
    terminationProtection?: boolean;
  };
  /** Time CloudFormation takes to compute a change set (default 0). */
  changeSetDelayMs?: number;
  /** The change set ends `FAILED` with this reason. */
  changeSetFailure?: string;
  /** Time between resource events while executing (default 10). */
  stepMs?: number;
  /** This resource fails with this reason while executing; resources still in flight are cancelled. */
  failure?: { logicalId: string; reason: string };
  /** The failing ECS service's tasks stopped with this reason (answered by ECS ListTasks/DescribeTasks). */
  stoppedTaskReason?: string;
  /** Replacement reported for modified resources (default `False`). */
  replacements?: Record<string, 'True' | 'False' | 'Conditional'>;
  /**
   * A stack deletion fails: this resource ends `DELETE_FAILED` with this reason (the resources deleted
   * before it stay deleted, the rest stay), or, without `logicalId`, the stack itself fails before
   * deleting anything (as for an export another stack imports). A later delete that retains the
   * resource succeeds.
   */
  deleteFailure?: { logicalId?: string; reason: string };
};

export type FakeCloudFormationOptions = {
  accountId?: string;
  region?: string;
  /** `DescribeStackEvents` page size (CloudFormation: 100). */
  eventPageSize?: number;
  /** `ListStackResources` page size (CloudFormation: 100). */
  resourcePageSize?: number;
  /** Whether the endpoint knows `DescribeEvents` (otherwise it answers `InvalidAction`, like older endpoints). */
  describeEvents?: boolean;
  /** Time every answer waits, to stand in for a real region's latency in benchmarks (default 0). */
  latencyMs?: number;
};

/**
 * More CloudFormation actions for the fake, kept in their own files (e.g. drift detection): an
 * extension answers the actions it knows (undefined for the others) and may add fields to
 * `DescribeStacks`' stacks.
 */
export type FakeCloudFormationExtension = {
  handle(
    action: string,
    params: Record<string, unknown>,
  ): Record<string, unknown> | undefined;
  describeStack?(stackId: string): Record<string, unknown>;
};

/** One request the endpoint received. */
export type RecordedCall = {
  service: 'cloudformation' | 'ecs';
  action: string;
  /** Stack name the request was about, when it named one. */
  stack?: string;
  params: Record<string, unknown>;
  at: number;
  fault?: 'throttled' | 'reset';
};

/** A stack as the test sees it. */
export type FakeStackView = {
  id: string;
  status: string;
  tags: Record<string, string>;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  terminationProtection: boolean;
  events: FakeEvent[];
  changeSetCount: number;
  /** When the latest operation reached its final state (set when it was scheduled). */
  finalStateAt?: number;
  /** The stack's resources as ListStackResources reports them. */
  resources: Array<{ logicalId: string; type: string; physicalId: string }>;
};

export type FakeEvent = {
  EventId: string;
  StackId: string;
  StackName: string;
  OperationId?: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  Timestamp: Date;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ClientRequestToken?: string;
};

type FakeResource = {
  type: string;
  physicalId: string;
  status: string;
  reason?: string;
  updatedAt: Date;
};

type ResourceDefinition = {
  type: string;
  json: string;
  properties: Record<string, unknown>;
  policy?: string;
};

type Change = {
  logicalId: string;
  type: string;
  action: 'Add' | 'Modify' | 'Remove';
  replacement?: string;
};

type FakeChangeSet = {
  id: string;
  name: string;
  clientToken?: string;
  stackId: string;
  type: 'CREATE' | 'UPDATE';
  createdAt: Date;
  readyAt: number;
  failure?: string;
  executionStatus: string;
  executeToken?: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
  capabilities: string[];
  onStackFailure: string;
  changes: Change[];
};

type Snapshot = Pick<
  FakeStack,
  'templateBody' | 'parameters' | 'tags' | 'outputs'
> & { resources: Map<string, FakeResource> };

type FakeStack = {
  id: string;
  name: string;
  status: string;
  statusReason?: string;
  createdAt: Date;
  updatedAt?: Date;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
  capabilities: string[];
  resources: Map<string, FakeResource>;
  outputs: Record<string, string>;
  terminationProtection: boolean;
  events: FakeEvent[];
  changeSets: Map<string, FakeChangeSet>;
  schedule: Array<{ at: number; apply: () => void }>;
  operation?: { type: string; id: string; token?: string };
  /** The stack before the running update and the resources it changes, for a rollback. */
  rollback?: { before: Snapshot; touched: string[] };
  finalStateAt?: number;
  deleted: boolean;
  scenario: FakeStackScenario;
};

/** An AWS error the fake answers (extensions throw it too). */
export class FakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const EMPTY_CHANGE_SET =
  "The submitted information didn't contain changes. Submit different information to create a change set.";
const IAM_TYPES = /^AWS::IAM::/;
// The property that names a resource of the type; CloudFormation makes a name up when it is left out.
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::ECS::Service': 'ServiceName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::SQS::Queue': 'QueueName',
};

/**
 * A scripted CloudFormation endpoint: a real HTTP server speaking the AWS Query protocol
 * (form-encoded requests, XML responses) that the AWS SDK and the AWS CLI talk to unchanged.
 * Stacks move through realistic event sequences in real time (creates, updates, failures with
 * cancellation noise and rollbacks, deletes, cancelled updates); tests script each stack with a
 * {@link FakeStackScenario} and inject throttling and connection resets. Stacks read back the way an
 * entity page reads them (`DescribeStacks` with outputs in the formats AWS returns, `ListStackResources`,
 * `DescribeStackEvents`, `GetTemplate`). It also answers ECS `ListTasks`/`DescribeTasks` (JSON
 * protocol) for failed services. Every request is recorded.
 */
export class FakeCloudFormation {
  readonly calls: RecordedCall[] = [];
  private readonly stacks: FakeStack[] = [];
  private readonly scenarios = new Map<string, FakeStackScenario>();
  private readonly faults: Array<{
    kind: 'throttled' | 'reset';
    action?: string;
    remaining: number;
  }> = [];
  private readonly stoppedTasks = new Map<
    string,
    Array<{ taskArn: string; reason: string }>
  >();
  private readonly accountId: string;
  private readonly region: string;
  private readonly extensions: FakeCloudFormationExtension[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeCloudFormationOptions,
  ) {
    this.accountId = options.accountId ?? '123456789012';
    this.region = options.region ?? 'us-east-1';
  }

  /** Starts the endpoint on a free port of 127.0.0.1. */
  static async start(
    options: FakeCloudFormationOptions = {},
  ): Promise<FakeCloudFormation> {
    const server = http.createServer();
    const fake = new FakeCloudFormation(server, options);
    server.on('request', (req, res) => fake.handle(req, res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Scripts a stack; an `existing` stack is created right away. */
  scenario(stackName: string, scenario: FakeStackScenario): void {
    this.scenarios.set(stackName, scenario);
    if (scenario.existing) {
      this.createExisting(stackName, scenario);
    }
  }

  /** Changes the time every answer waits (see {@link FakeCloudFormationOptions.latencyMs}). */
  setLatency(latencyMs: number): void {
    this.options.latencyMs = latencyMs;
  }

  /** Adds actions (and DescribeStacks fields) kept in other files. */
  extend(extension: FakeCloudFormationExtension): void {
    this.extensions.push(extension);
  }

  /** The next `count` CloudFormation requests (of `action`, if given) are throttled. */
  throttle(count: number, action?: string): void {
    this.faults.push({ kind: 'throttled', action, remaining: count });
  }

  /** The next `count` CloudFormation requests (of `action`, if given) have their connection reset. */
  resetConnections(count: number, action?: string): void {
    this.faults.push({ kind: 'reset', action, remaining: count });
  }

  /** The latest stack of that name (live, or deleted when none is live). */
  stack(stackName: string): FakeStackView | undefined {
    this.advance(Date.now());
    const stack =
      this.live(stackName) ??
      [...this.stacks]
        .reverse()
        .find(candidate => candidate.name === stackName);
    if (!stack) {
      return undefined;
    }
    return {
      id: stack.id,
      status: stack.status,
      tags: Object.fromEntries(stack.tags.map(tag => [tag.Key, tag.Value])),
      parameters: { ...stack.parameters },
      outputs: { ...stack.outputs },
      terminationProtection: stack.terminationProtection,
      events: [...stack.events],
      changeSetCount: stack.changeSets.size,
      finalStateAt: stack.finalStateAt,
      resources: [...stack.resources].map(([logicalId, resource]) => ({
        logicalId,
        type: resource.type,
        physicalId: resource.physicalId,
      })),
    };
  }

  /** Requests about a stack, of one action if given. */
  callsFor(stackName: string, action?: string): RecordedCall[] {
    return this.calls.filter(
      call => call.stack === stackName && (!action || call.action === action),
    );
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    if (this.options.latencyMs) {
      await new Promise(resolve => setTimeout(resolve, this.options.latencyMs));
    }
    const target = req.headers['x-amz-target'];
    if (
      typeof target === 'string' &&
      target.startsWith('AmazonEC2ContainerService')
    ) {
      this.handleEcs(target.split('.')[1], body, res);
      return;
    }
    const { action, params } = parseQueryRequest(body);
    const stack =
      typeof params.StackName === 'string'
        ? stackNameOf(params.StackName)
        : undefined;
    const fault = this.takeFault(action);
    this.calls.push({
      service: 'cloudformation',
      action,
      stack,
      params,
      at: Date.now(),
      ...(fault ? { fault } : {}),
    });
    const reply = (status: number, xml: string) => {
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(xml);
    };
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'throttled') {
      reply(400, queryError('Throttling', 'Rate exceeded'));
      return;
    }
    this.advance(Date.now());
    try {
      reply(200, queryResponse(action, this.dispatch(action, params)));
    } catch (error) {
      if (error instanceof FakeError) {
        reply(error.status, queryError(error.code, error.message));
      } else {
        reply(500, queryError('InternalFailure', String(error), 'Receiver'));
      }
    }
  }

  private takeFault(action: string): 'throttled' | 'reset' | undefined {
    const fault = this.faults.find(
      candidate =>
        candidate.remaining > 0 &&
        (!candidate.action || candidate.action === action),
    );
    if (!fault) {
      return undefined;
    }
    fault.remaining--;
    return fault.kind;
  }

  private dispatch(
    action: string,
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    switch (action) {
      case 'DescribeStacks':
        return {
          Stacks: [this.describeStack(this.find(String(params.StackName)))],
        };
      case 'CreateChangeSet':
        return this.createChangeSet(params);
      case 'DescribeChangeSet':
        return this.describeChangeSet(params);
      case 'ExecuteChangeSet':
        return this.executeChangeSet(params);
      case 'DeleteChangeSet': {
        const { stack, changeSet } = this.findChangeSet(params);
        stack.changeSets.delete(changeSet.id);
        return {};
      }
      case 'DescribeStackEvents':
        return this.describeStackEvents(params);
      case 'ListStackResources':
        return this.listStackResources(params);
      case 'GetTemplate':
        return this.getTemplate(params);
      case 'DescribeEvents':
        return this.describeEvents(params);
      case 'DeleteStack':
        return this.deleteStack(params);
      case 'CancelUpdateStack':
        return this.cancelUpdate(params);
      case 'UpdateTerminationProtection': {
        const stack = this.find(String(params.StackName));
        stack.terminationProtection =
          params.EnableTerminationProtection === 'true';
        return { StackId: stack.id };
      }
      case 'GetTemplateSummary': {
        const body =
          typeof params.TemplateBody === 'string'
            ? params.TemplateBody
            : this.find(String(params.StackName)).templateBody;
        const facts = readTemplate(body);
        return {
          Parameters: Object.entries(facts.parameters).map(
            ([key, parameter]) => ({
              ParameterKey: key,
              ParameterType: 'String',
              NoEcho: parameter.noEcho,
            }),
          ),
          ResourceTypes: facts.resources.map(resource => resource.type),
        };
      }
      default: {
        for (const extension of this.extensions) {
          const result = extension.handle(action, params);
          if (result) {
            return result;
          }
        }
        throw new FakeError(
          'InvalidAction',
          `Could not find operation ${action} for version 2010-05-15`,
        );
      }
    }
  }

  // --- stacks -------------------------------------------------------------------------

  private live(name: string): FakeStack | undefined {
    return this.stacks.find(stack => stack.name === name && !stack.deleted);
  }

  private find(nameOrId: string): FakeStack {
    const stack = nameOrId.startsWith('arn:')
      ? this.stacks.find(candidate => candidate.id === nameOrId)
      : this.live(nameOrId);
    if (!stack) {
      throw new FakeError(
        'ValidationError',
        `Stack with id ${nameOrId} does not exist`,
      );
    }
    return stack;
  }

  private newStack(name: string, status: string, at: Date): FakeStack {
    const stack: FakeStack = {
      id: `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${name}/${randomUUID()}`,
      name,
      status,
      createdAt: at,
      templateBody: '',
      parameters: {},
      tags: [],
      capabilities: [],
      resources: new Map(),
      outputs: {},
      terminationProtection: false,
      events: [],
      changeSets: new Map(),
      schedule: [],
      deleted: false,
      scenario: this.scenarios.get(name) ?? {},
    };
    this.stacks.push(stack);
    return stack;
  }

  private createExisting(name: string, scenario: FakeStackScenario): void {
    const existing = scenario.existing!;
    const started = Date.now() - 10 * 60_000;
    const stack = this.newStack(name, existing.status, new Date(started));
    stack.tags = Object.entries(existing.tags ?? {}).map(([Key, Value]) => ({
      Key,
      Value,
    }));
    stack.parameters = { ...existing.parameters };
    stack.templateBody = existing.templateBody ?? '';
    stack.terminationProtection = existing.terminationProtection ?? false;
    stack.operation = {
      type: existing.status.startsWith('UPDATE')
        ? 'UPDATE_STACK'
        : 'CREATE_STACK',
      id: randomUUID(),
    };
    this.stackEvent(stack, started, 'CREATE_IN_PROGRESS', 'User Initiated');
    if (stack.templateBody && existing.status !== 'ROLLBACK_COMPLETE') {
      const defined = definitions(stack.templateBody);
      for (const resource of readTemplate(stack.templateBody).resources) {
        this.addResource(
          stack,
          resource.logicalId,
          resource.type,
          'CREATE_COMPLETE',
          started,
          defined.get(resource.logicalId)?.properties,
        );
        this.resourceEvent(
          stack,
          started + 60_000,
          resource.logicalId,
          'CREATE_COMPLETE',
        );
      }
    }
    const updated = existing.status.startsWith('UPDATE');
    if (updated && existing.status !== 'UPDATE_IN_PROGRESS') {
      this.stackEvent(
        stack,
        started + 120_000,
        'UPDATE_IN_PROGRESS',
        'User Initiated',
      );
    }
    if (existing.failure) {
      const { logicalId, resourceType, reason } = existing.failure;
      this.addResource(
        stack,
        logicalId,
        resourceType,
        'CREATE_FAILED',
        started,
      );
      this.resourceEvent(
        stack,
        started + 180_000,
        logicalId,
        updated ? 'UPDATE_FAILED' : 'CREATE_FAILED',
        reason,
      );
    }
    this.stackEvent(
      stack,
      started + 300_000,
      existing.status,
      existing.statusReason,
    );
    if (existing.status === 'ROLLBACK_COMPLETE') {
      stack.resources.clear();
    }
  }

  private describeStack(stack: FakeStack): Record<string, unknown> {
    const noEcho = stack.templateBody
      ? readTemplate(stack.templateBody).parameters
      : {};
    const descriptions = outputDescriptions(stack.templateBody);
    return {
      StackId: stack.id,
      StackName: stack.name,
      CreationTime: stack.createdAt,
      LastUpdatedTime: stack.updatedAt,
      StackStatus: stack.status,
      StackStatusReason: stack.statusReason,
      Parameters: Object.entries(stack.parameters).map(([key, value]) => ({
        ParameterKey: key,
        ParameterValue: noEcho[key]?.noEcho ? '****' : value,
      })),
      Tags: stack.tags,
      Outputs: Object.entries(stack.outputs).map(
        ([OutputKey, OutputValue]) => ({
          OutputKey,
          OutputValue,
          Description: descriptions[OutputKey],
        }),
      ),
      Capabilities: stack.capabilities,
      EnableTerminationProtection: stack.terminationProtection,
      LastOperations: stack.operation
        ? [
            {
              OperationType: stack.operation.type,
              OperationId: stack.operation.id,
            },
          ]
        : undefined,
      ...Object.assign(
        {},
        ...this.extensions.map(extension =>
          extension.describeStack?.(stack.id),
        ),
      ),
    };
  }

  private describeStackEvents(
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const stack = this.find(String(params.StackName));
    const newestFirst = [...stack.events].reverse();
    const start = Number(params.NextToken ?? 0);
    const size = this.options.eventPageSize ?? 100;
    const end = start + size;
    return {
      StackEvents: newestFirst.slice(start, end),
      NextToken: end < newestFirst.length ? String(end) : undefined,
    };
  }

  private listStackResources(
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const stack = this.find(String(params.StackName));
    const summaries = [...stack.resources].map(([logicalId, resource]) => ({
      LogicalResourceId: logicalId,
      PhysicalResourceId: resource.physicalId,
      ResourceType: resource.type,
      LastUpdatedTimestamp: resource.updatedAt,
      ResourceStatus: resource.status,
      ResourceStatusReason: resource.reason,
      DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
    }));
    const start = Number(params.NextToken ?? 0);
    const end = start + (this.options.resourcePageSize ?? 100);
    return {
      StackResourceSummaries: summaries.slice(start, end),
      NextToken: end < summaries.length ? String(end) : undefined,
    };
  }

  // The stack's (or a change set's) template as submitted. The fake expands no transforms, so the
  // Processed stage answers the same text as the Original one.
  private getTemplate(
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const templateBody =
      params.ChangeSetName !== undefined
        ? this.findChangeSet(params).changeSet.templateBody
        : this.find(String(params.StackName)).templateBody;
    return {
      TemplateBody: templateBody || undefined,
      StagesAvailable: ['Original', 'Processed'],
    };
  }

  private describeEvents(
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    if (!this.options.describeEvents) {
      throw new FakeError(
        'InvalidAction',
        'Could not find operation DescribeEvents for version 2010-05-15',
      );
    }
    const stack = this.find(String(params.StackName));
    const filters = (params.Filters ?? {}) as Record<string, unknown>;
    const events = [...stack.events]
      .reverse()
      .filter(
        event =>
          !params.OperationId || event.OperationId === params.OperationId,
      )
      .filter(
        event =>
          filters.FailedEvents !== 'true' ||
          event.ResourceStatus.endsWith('_FAILED'),
      );
    return {
      OperationEvents: events.map(event => ({
        ...event,
        EventType: event.ResourceStatus.endsWith('_FAILED')
          ? 'PROVISIONING_ERROR'
          : 'STACK_EVENT',
      })),
    };
  }

  // --- change sets ----------------------------------------------------------------------

  private createChangeSet(
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const name = String(params.StackName);
    const changeSetName = String(params.ChangeSetName);
    const type = params.ChangeSetType === 'UPDATE' ? 'UPDATE' : 'CREATE';
    const clientToken = params.ClientToken as string | undefined;
    let stack = this.live(name);
    const repeated =
      stack &&
      [...stack.changeSets.values()].find(
        changeSet => changeSet.name === changeSetName,
      );
    if (repeated) {
      if (clientToken && repeated.clientToken === clientToken) {
        return { Id: repeated.id, StackId: repeated.stackId };
      }
      throw new FakeError(
        'AlreadyExistsException',
        `ChangeSet ${changeSetName} already exists`,
      );
    }
    if (type === 'UPDATE' && !stack) {
      throw new FakeError('ValidationError', `Stack [${name}] does not exist`);
    }
    if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') {
      throw new FakeError(
        'ValidationError',
        `Stack [${name}] already exists and cannot be created again with the changeSet [${changeSetName}].`,
      );
    }
    const templateBody = String(params.TemplateBody ?? '');
    const facts = readTemplate(templateBody);
    const parameters = this.resolveParameters(
      params,
      facts,
      type === 'UPDATE' ? stack : undefined,
    );
    const capabilities = (params.Capabilities as string[] | undefined) ?? [];
    if (
      facts.resources.some(resource => IAM_TYPES.test(resource.type)) &&
      !capabilities.some(c => c.startsWith('CAPABILITY_') && c.includes('IAM'))
    ) {
      throw new FakeError(
        'InsufficientCapabilitiesException',
        'Requires capabilities : [CAPABILITY_IAM]',
      );
    }
    const now = new Date();
    if (!stack) {
      stack = this.newStack(name, 'REVIEW_IN_PROGRESS', now);
      stack.operation = { type: 'CREATE_CHANGESET', id: randomUUID() };
      this.stackEvent(
        stack,
        now.getTime(),
        'REVIEW_IN_PROGRESS',
        'User Initiated',
      );
    }
    const tags =
      (params.Tags as Array<{ Key: string; Value: string }> | undefined) ?? [];
    const changeSet: FakeChangeSet = {
      id: `arn:aws:cloudformation:${this.region}:${this.accountId}:changeSet/${changeSetName}/${randomUUID()}`,
      name: changeSetName,
      clientToken,
      stackId: stack.id,
      type,
      createdAt: now,
      readyAt: now.getTime() + (stack.scenario.changeSetDelayMs ?? 0),
      executionStatus: 'UNAVAILABLE',
      templateBody,
      parameters,
      tags,
      capabilities,
      onStackFailure: String(params.OnStackFailure ?? 'ROLLBACK'),
      changes: [],
    };
    changeSet.changes = this.diff(stack, changeSet);
    changeSet.failure =
      stack.scenario.changeSetFailure ??
      (changeSet.changes.length === 0 ? EMPTY_CHANGE_SET : undefined);
    stack.changeSets.set(changeSet.id, changeSet);
    return { Id: changeSet.id, StackId: stack.id };
  }

  private resolveParameters(
    params: Record<string, unknown>,
    facts: TemplateFacts,
    previous?: FakeStack,
  ): Record<string, string> {
    const given =
      (params.Parameters as Array<Record<string, string>> | undefined) ?? [];
    const values: Record<string, string> = {};
    for (const parameter of given) {
      const key = parameter.ParameterKey;
      if (!(key in facts.parameters)) {
        throw new FakeError(
          'ValidationError',
          `Parameters: [${key}] do not exist in the template`,
        );
      }
      if (parameter.UsePreviousValue === 'true') {
        if (!previous || !(key in previous.parameters)) {
          throw new FakeError(
            'ValidationError',
            `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
          );
        }
        values[key] = previous.parameters[key];
      } else {
        values[key] = parameter.ParameterValue ?? '';
      }
    }
    const missing = Object.keys(facts.parameters).filter(
      key => !(key in values) && !facts.parameters[key].hasDefault,
    );
    if (missing.length > 0) {
      throw new FakeError(
        'ValidationError',
        `Parameters: [${missing.join(', ')}] must have values`,
      );
    }
    return values;
  }

  private diff(stack: FakeStack, changeSet: FakeChangeSet): Change[] {
    const next = definitions(changeSet.templateBody);
    if (changeSet.type === 'CREATE') {
      return [...next].map(([logicalId, definition]) => ({
        logicalId,
        type: definition.type,
        action: 'Add',
      }));
    }
    const current = definitions(stack.templateBody);
    const changedParameters = Object.keys({
      ...stack.parameters,
      ...changeSet.parameters,
    }).filter(key => stack.parameters[key] !== changeSet.parameters[key]);
    const tagsChanged =
      JSON.stringify(sortTags(stack.tags)) !==
      JSON.stringify(sortTags(changeSet.tags));
    const changes: Change[] = [];
    for (const [logicalId, definition] of next) {
      const before = current.get(logicalId);
      if (!before) {
        changes.push({ logicalId, type: definition.type, action: 'Add' });
      } else if (
        before.json !== definition.json ||
        tagsChanged ||
        changedParameters.some(
          key =>
            definition.json.includes(`"${key}"`) ||
            definition.json.includes(`\${${key}}`),
        )
      ) {
        changes.push({
          logicalId,
          type: definition.type,
          action: 'Modify',
          replacement: stack.scenario.replacements?.[logicalId] ?? 'False',
        });
      }
    }
    for (const [logicalId, definition] of current) {
      if (!next.has(logicalId)) {
        changes.push({ logicalId, type: definition.type, action: 'Remove' });
      }
    }
    return changes;
  }

  private findChangeSet(params: Record<string, unknown>): {
    stack: FakeStack;
    changeSet: FakeChangeSet;
  } {
    const wanted = String(params.ChangeSetName);
    for (const stack of this.stacks) {
      for (const changeSet of stack.changeSets.values()) {
        if (
          changeSet.id === wanted ||
          (changeSet.name === wanted &&
            !stack.deleted &&
            stackNameOf(String(params.StackName)) === stack.name)
        ) {
          return { stack, changeSet };
        }
      }
    }
    throw new FakeError(
      'ChangeSetNotFound',
      `ChangeSet [${wanted}] does not exist`,
      404,
    );
  }

  private describeChangeSet(
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const { stack, changeSet } = this.findChangeSet(params);
    const ready = refresh(changeSet);
    return {
      ChangeSetName: changeSet.name,
      ChangeSetId: changeSet.id,
      StackId: stack.id,
      StackName: stack.name,
      CreationTime: changeSet.createdAt,
      Status: !ready
        ? 'CREATE_IN_PROGRESS'
        : changeSet.failure
          ? 'FAILED'
          : 'CREATE_COMPLETE',
      StatusReason: ready ? changeSet.failure : undefined,
      ExecutionStatus: changeSet.executionStatus,
      Parameters: Object.entries(changeSet.parameters).map(
        ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
      ),
      Tags: changeSet.tags,
      Capabilities: changeSet.capabilities,
      Changes: ready
        ? changeSet.changes.map(change => ({
            Type: 'Resource',
            ResourceChange: {
              Action: change.action,
              LogicalResourceId: change.logicalId,
              ResourceType: change.type,
              Replacement: change.replacement,
            },
          }))
        : [],
    };
  }

  private executeChangeSet(
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const { stack, changeSet } = this.findChangeSet(params);
    const token = params.ClientRequestToken as string | undefined;
    refresh(changeSet);
    if (
      changeSet.executionStatus !== 'AVAILABLE' ||
      (stack.status.endsWith('_IN_PROGRESS') &&
        stack.status !== 'REVIEW_IN_PROGRESS')
    ) {
      if (token && changeSet.executeToken === token) {
        return {};
      }
      throw new FakeError(
        'InvalidChangeSetStatus',
        `ChangeSet [${changeSet.id}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
      );
    }
    changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
    changeSet.executeToken = token;
    this.runOperation(
      stack,
      changeSet,
      token,
      params.DisableRollback === 'true',
    );
    return {};
  }

  // --- operations -----------------------------------------------------------------------

  private runOperation(
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
    this.stackEvent(stack, start, `${verb}_IN_PROGRESS`, 'User Initiated');
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
      const defined = definitions(stack.templateBody);
      for (const change of working) {
        if (change.action === 'Add') {
          this.addResource(
            stack,
            change.logicalId,
            change.type,
            'CREATE_IN_PROGRESS',
            start + step,
            defined.get(change.logicalId)?.properties,
          );
        }
        this.resourceEvent(
          stack,
          start + step,
          change.logicalId,
          `${statusOf(change)}_IN_PROGRESS`,
        );
        this.resourceEvent(
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
        this.resourceEvent(
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
        this.failOperation(
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
        this.stackEvent(
          stack,
          start + (working.length + 2) * step,
          'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
        ),
      );
      for (const change of removed) {
        offset += step;
        const when = offset;
        at(when, () => {
          this.resourceEvent(
            stack,
            start + when,
            change.logicalId,
            'DELETE_IN_PROGRESS',
          );
          this.resourceEvent(
            stack,
            start + when,
            change.logicalId,
            'DELETE_COMPLETE',
          );
          stack.resources.delete(change.logicalId);
        });
      }
      offset += step;
    }
    stack.finalStateAt = start + offset;
    at(offset, () => {
      stack.outputs = this.resolveOutputs(stack);
      changeSet.executionStatus = 'EXECUTE_COMPLETE';
      this.stackEvent(stack, start + offset, `${verb}_COMPLETE`);
    });
  }

  // The failing resource fails, those still in flight are cancelled, then the stack rolls back
  // (or stays failed, or is deleted) as the change set asked.
  private failOperation(
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
    this.resourceEvent(
      stack,
      now,
      failed.logicalId,
      `${failed.action === 'Add' ? 'CREATE' : 'UPDATE'}_FAILED`,
      reason,
    );
    if (
      failed.type === 'AWS::ECS::Service' &&
      stack.scenario.stoppedTaskReason
    ) {
      const service = stack.resources
        .get(failed.logicalId)!
        .physicalId.split(':')
        .slice(5)
        .join(':')
        .replace(/^service\//, '');
      this.stoppedTasks.set(
        service,
        [1, 2, 3].map(n => ({
          taskArn: `arn:aws:ecs:${this.region}:${this.accountId}:task/${service.split('/')[0]}/${randomUUID().replace(/-/g, '')}${n}`,
          reason: stack.scenario.stoppedTaskReason!,
        })),
      );
    }
    const cancelled = working.slice(failing + 1);
    for (const change of cancelled) {
      this.resourceEvent(
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
          this.stackEvent(
            stack,
            now + step,
            `${creating ? 'CREATE' : 'UPDATE'}_FAILED`,
            summary,
          ),
      });
      return;
    }
    if (onFailure === 'DELETE') {
      this.scheduleDelete(
        stack,
        now + step,
        `${summary} Delete requested by user.`,
      );
      return;
    }
    this.scheduleRollback(
      stack,
      now + step,
      creating,
      `${summary} Rollback requested by user.`,
    );
  }

  private scheduleRollback(
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
      this.stackEvent(
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
        this.resourceEvent(
          stack,
          start + when,
          logicalId,
          `${verb}_IN_PROGRESS`,
        );
        this.resourceEvent(stack, start + when, logicalId, `${verb}_COMPLETE`);
      });
    }
    offset += step;
    if (!creating) {
      const cleanup = offset;
      at(cleanup, () =>
        this.stackEvent(
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
      this.stackEvent(
        stack,
        start + end,
        creating ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE',
      );
    });
  }

  private scheduleDelete(
    stack: FakeStack,
    start: number,
    reason: string,
    retain: string[] = [],
  ): void {
    const step = stack.scenario.stepMs ?? 10;
    stack.operation = { type: 'DELETE_STACK', id: randomUUID() };
    const defined = definitions(stack.templateBody);
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
      apply: () => this.stackEvent(stack, start, 'DELETE_IN_PROGRESS', reason),
    });
    if (blocking && !blocking.logicalId) {
      this.scheduleDeleteFailed(stack, start + step, blocking.reason);
      return;
    }
    for (const [logicalId, resource] of [...stack.resources].reverse()) {
      if (resource.status === 'DELETE_COMPLETE') {
        continue;
      }
      offset += step;
      const when = start + offset;
      const policy = defined.get(logicalId)?.policy;
      if (blocking?.logicalId === logicalId) {
        stack.schedule.push({
          at: when,
          apply: () => {
            this.resourceEvent(stack, when, logicalId, 'DELETE_IN_PROGRESS');
            this.resourceEvent(
              stack,
              when,
              logicalId,
              'DELETE_FAILED',
              blocking.reason,
            );
          },
        });
        this.scheduleDeleteFailed(
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
            this.resourceEvent(stack, when, logicalId, 'DELETE_SKIPPED');
            return;
          }
          this.resourceEvent(stack, when, logicalId, 'DELETE_IN_PROGRESS');
          this.resourceEvent(stack, when, logicalId, 'DELETE_COMPLETE');
        },
      });
    }
    const end = start + offset + (stack.resources.size > 0 ? step : 0);
    stack.finalStateAt = end;
    stack.schedule.push({
      at: end,
      apply: () => {
        this.stackEvent(stack, end, 'DELETE_COMPLETE');
        stack.resources.clear();
        stack.outputs = {};
        stack.deleted = true;
      },
    });
  }

  private scheduleDeleteFailed(
    stack: FakeStack,
    at: number,
    reason: string,
  ): void {
    stack.finalStateAt = at;
    stack.schedule.push({
      at,
      apply: () => this.stackEvent(stack, at, 'DELETE_FAILED', reason),
    });
  }

  private deleteStack(
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const nameOrId = String(params.StackName);
    const stack = nameOrId.startsWith('arn:')
      ? this.stacks.find(candidate => candidate.id === nameOrId)
      : this.live(nameOrId);
    // Deleting a stack that is gone (or going) succeeds, as in CloudFormation; a DELETE_FAILED one is tried again.
    if (
      !stack ||
      stack.deleted ||
      stack.status === 'DELETE_IN_PROGRESS' ||
      stack.status === 'DELETE_COMPLETE'
    ) {
      return {};
    }
    const retain = (params.RetainResources as string[] | undefined) ?? [];
    if (retain.length > 0 && stack.status !== 'DELETE_FAILED') {
      throw new FakeError(
        'ValidationError',
        `Invalid operation on stack [${stack.id}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state`,
      );
    }
    if (stack.terminationProtection) {
      throw new FakeError(
        'ValidationError',
        `Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`,
      );
    }
    if (
      stack.status.endsWith('_IN_PROGRESS') &&
      stack.status !== 'REVIEW_IN_PROGRESS'
    ) {
      throw new FakeError(
        'ValidationError',
        `Stack [${stack.name}] cannot be deleted while in status ${stack.status}`,
      );
    }
    this.scheduleDelete(stack, Date.now(), 'User Initiated', retain);
    this.advance(Date.now());
    return {};
  }

  private cancelUpdate(
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const stack = this.find(String(params.StackName));
    if (stack.status !== 'UPDATE_IN_PROGRESS') {
      throw new FakeError(
        'ValidationError',
        `CancelUpdateStack cannot be called from current stack status ${stack.status}`,
      );
    }
    const changeSet = [...stack.changeSets.values()].find(
      candidate => candidate.executionStatus === 'EXECUTE_IN_PROGRESS',
    );
    stack.schedule = [];
    const now = Date.now();
    for (const [logicalId, resource] of stack.resources) {
      if (resource.status.endsWith('_IN_PROGRESS')) {
        this.resourceEvent(
          stack,
          now,
          logicalId,
          'UPDATE_FAILED',
          'Resource update cancelled',
        );
      }
    }
    if (changeSet) {
      changeSet.executionStatus = 'EXECUTE_FAILED';
    }
    this.scheduleRollback(stack, now, false, 'Stack update cancelled');
    this.advance(now);
    return {};
  }

  /** Applies every scheduled step that is due, oldest first. */
  private advance(now: number): void {
    for (;;) {
      let next: { stack: FakeStack; index: number } | undefined;
      for (const stack of this.stacks) {
        stack.schedule.forEach((item, index) => {
          if (
            item.at <= now &&
            (!next || item.at < next.stack.schedule[next.index].at)
          ) {
            next = { stack, index };
          }
        });
      }
      if (!next) {
        return;
      }
      const [item] = next.stack.schedule.splice(next.index, 1);
      item.apply();
    }
  }

  private stackEvent(
    stack: FakeStack,
    at: number,
    status: string,
    reason?: string,
  ): void {
    stack.status = status;
    stack.statusReason = reason;
    stack.events.push({
      EventId: randomUUID(),
      StackId: stack.id,
      StackName: stack.name,
      OperationId: stack.operation?.id,
      LogicalResourceId: stack.name,
      PhysicalResourceId: stack.id,
      ResourceType: 'AWS::CloudFormation::Stack',
      Timestamp: new Date(at),
      ResourceStatus: status,
      ResourceStatusReason: reason,
      ClientRequestToken: stack.operation?.token,
    });
  }

  private resourceEvent(
    stack: FakeStack,
    at: number,
    logicalId: string,
    status: string,
    reason?: string,
  ): void {
    const resource = stack.resources.get(logicalId);
    if (resource) {
      Object.assign(resource, { status, reason, updatedAt: new Date(at) });
    }
    stack.events.push({
      EventId: `${logicalId}-${randomUUID()}`,
      StackId: stack.id,
      StackName: stack.name,
      OperationId: stack.operation?.id,
      LogicalResourceId: logicalId,
      PhysicalResourceId: resource?.physicalId ?? '',
      ResourceType:
        resource?.type ??
        definitions(stack.templateBody).get(logicalId)?.type ??
        'AWS::CloudFormation::WaitConditionHandle',
      Timestamp: new Date(at),
      ResourceStatus: status,
      ResourceStatusReason: reason,
      ClientRequestToken: stack.operation?.token,
    });
  }

  private addResource(
    stack: FakeStack,
    logicalId: string,
    type: string,
    status: string,
    at: number,
    properties: Record<string, unknown> = {},
  ): void {
    stack.resources.set(logicalId, {
      type,
      physicalId: this.physicalId(stack, logicalId, type, properties),
      status,
      updatedAt: new Date(at),
    });
  }

  // The physical id CloudFormation reports: the name the template gives the resource, or one made up
  // from the stack and logical id; an ARN for the types whose physical id is their ARN.
  private physicalId(
    stack: FakeStack,
    logicalId: string,
    type: string,
    properties: Record<string, unknown>,
  ): string {
    const suffix = randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
    const given = properties[NAME_PROPERTIES[type] ?? ''];
    const name =
      typeof given === 'string'
        ? given
        : `${stack.name}-${logicalId}-${suffix}`;
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`;
    switch (type) {
      case 'AWS::ECS::Service': {
        // Ref of a cluster is its name; a literal may be a name or an ARN.
        const cluster =
          this.refValue(stack, properties.Cluster)?.split('/').pop() ??
          `${stack.name}-cluster`;
        return arn(
          'ecs',
          `service/${cluster}/${typeof given === 'string' ? given : `${stack.name}-${logicalId}`}`,
        );
      }
      case 'AWS::SecretsManager::Secret':
        // Secrets Manager appends six random characters to the name in the ARN.
        return arn(
          'secretsmanager',
          `secret:${name}-${suffix.slice(0, 6).toLowerCase()}`,
        );
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      case 'AWS::ElasticLoadBalancingV2::TargetGroup': {
        // Load balancer and target group names have at most 32 characters.
        const shortName =
          typeof given === 'string'
            ? given
            : `${stack.name.slice(0, 5)}-${logicalId.slice(0, 5)}-${suffix}`;
        const kind = type.endsWith('LoadBalancer')
          ? `loadbalancer/${properties.Type === 'network' ? 'net' : 'app'}`
          : 'targetgroup';
        return arn(
          'elasticloadbalancing',
          `${kind}/${shortName}/${hexDigest(name, 16)}`,
        );
      }
      case 'AWS::S3::Bucket':
      case 'AWS::RDS::DBInstance':
      case 'AWS::ECR::Repository':
        // Names these services only accept in lowercase.
        return name.toLowerCase();
      default:
        return name;
    }
  }

  private refValue(stack: FakeStack, value: unknown): string | undefined {
    if (typeof value === 'string') {
      return value;
    }
    const ref = (value as Record<string, unknown> | undefined)?.Ref;
    return typeof ref === 'string'
      ? stack.resources.get(ref)?.physicalId
      : undefined;
  }

  // Output values the way CloudFormation resolves the common forms (parameters, pseudo parameters,
  // Ref, Fn::GetAtt, Fn::Sub, Fn::Join); anything else gets a stand-in.
  private resolveOutputs(stack: FakeStack): Record<string, string> {
    const defined = definitions(stack.templateBody);
    const byName = (name: string): string | undefined => {
      const pseudo: Record<string, string> = {
        'AWS::Region': this.region,
        'AWS::AccountId': this.accountId,
        'AWS::Partition': 'aws',
        'AWS::URLSuffix': 'amazonaws.com',
        'AWS::StackName': stack.name,
        'AWS::StackId': stack.id,
      };
      const [logicalId, attribute] = name.split(/\.(.*)/s);
      return (
        pseudo[name] ??
        stack.parameters[name] ??
        (attribute
          ? this.attribute(stack, logicalId, attribute, defined)
          : stack.resources.get(name)?.physicalId)
      );
    };
    const resolve = (value: unknown): string | undefined => {
      if (
        typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean'
      ) {
        return String(value);
      }
      const expression = (value ?? {}) as Record<string, unknown>;
      if (typeof expression.Ref === 'string') {
        return byName(expression.Ref);
      }
      if (Array.isArray(expression['Fn::GetAtt'])) {
        return byName(expression['Fn::GetAtt'].map(String).join('.'));
      }
      if (expression['Fn::Sub'] !== undefined) {
        const [text, variables] = Array.isArray(expression['Fn::Sub'])
          ? [
              String(expression['Fn::Sub'][0]),
              (expression['Fn::Sub'][1] ?? {}) as Record<string, unknown>,
            ]
          : [String(expression['Fn::Sub']), {} as Record<string, unknown>];
        return text.replace(
          /\$\{(!?)([^}]+)\}/g,
          (whole, literal: string, name: string) =>
            literal
              ? `\${${name}}`
              : ((name in variables
                  ? resolve(variables[name])
                  : byName(name)) ?? whole),
        );
      }
      if (
        Array.isArray(expression['Fn::Join']) &&
        Array.isArray(expression['Fn::Join'][1])
      ) {
        const parts = expression['Fn::Join'][1].map(resolve);
        return parts.every(part => part !== undefined)
          ? parts.join(String(expression['Fn::Join'][0]))
          : undefined;
      }
      return undefined;
    };
    return Object.fromEntries(
      Object.entries(readTemplate(stack.templateBody).outputs).map(
        ([key, value]) => [key, resolve(value) ?? `fake-${key}`],
      ),
    );
  }

  // Fn::GetAtt in the formats AWS returns for the attributes stacks commonly output.
  private attribute(
    stack: FakeStack,
    logicalId: string,
    attribute: string,
    defined: Map<string, ResourceDefinition>,
  ): string | undefined {
    const resource = stack.resources.get(logicalId);
    if (!resource) {
      return undefined;
    }
    const { physicalId, type } = resource;
    const properties = defined.get(logicalId)?.properties ?? {};
    // Stable per resource, so every output naming the same attribute agrees.
    const hash = (length: number) =>
      hexDigest(`${physicalId}/${attribute}`, length);
    const arn = (service: string, name: string) =>
      `arn:aws:${service}:${this.region}:${this.accountId}:${name}`;
    switch (`${type}.${attribute}`) {
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName': {
        const name = physicalId.split('/')[2] ?? physicalId;
        const digits = String(parseInt(hash(12), 16)).slice(0, 10);
        return `${properties.Scheme === 'internal' ? 'internal-' : ''}${name}-${digits}.${this.region}.elb.amazonaws.com`.toLowerCase();
      }
      case 'AWS::RDS::DBInstance.Endpoint.Address':
        return `${physicalId}.${hash(12)}.${this.region}.rds.amazonaws.com`;
      case 'AWS::RDS::DBInstance.Endpoint.Port':
        return String(
          properties.Port ??
            defaultDatabasePort(String(properties.Engine ?? '')),
        );
      case 'AWS::RDS::DBInstance.MasterUserSecret.SecretArn': {
        // RDS names the secrets it manages rds!db-<uuid>.
        const id = hash(32);
        const uuid = [
          id.slice(0, 8),
          id.slice(8, 12),
          id.slice(12, 16),
          id.slice(16, 20),
          id.slice(20),
        ].join('-');
        return arn('secretsmanager', `secret:rds!db-${uuid}-${hash(6)}`);
      }
      case 'AWS::ECR::Repository.RepositoryUri':
        return `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com/${physicalId}`;
      case 'AWS::ECS::Service.Name':
        return physicalId.split('/').pop();
      default:
        break;
    }
    if (attribute.endsWith('Arn')) {
      if (physicalId.startsWith('arn:')) {
        return physicalId;
      }
      const [, service, kind] = type.toLowerCase().split('::');
      return arn(service, `${kind}/${physicalId}`);
    }
    return `${physicalId}.${attribute}`;
  }

  // --- ECS (JSON protocol) --------------------------------------------------------------

  private handleEcs(
    action: string,
    body: string,
    res: http.ServerResponse,
  ): void {
    const params = JSON.parse(body || '{}') as Record<string, unknown>;
    this.calls.push({ service: 'ecs', action, params, at: Date.now() });
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(payload));
    };
    const service = `${params.cluster}/${params.serviceName ?? ''}`;
    if (action === 'ListTasks') {
      reply(200, {
        taskArns: (this.stoppedTasks.get(service) ?? []).map(
          task => task.taskArn,
        ),
      });
      return;
    }
    if (action === 'DescribeTasks') {
      const wanted = new Set(params.tasks as string[]);
      const tasks = [...this.stoppedTasks.values()]
        .flat()
        .filter(task => wanted.has(task.taskArn));
      reply(200, {
        tasks: tasks.map(task => ({
          taskArn: task.taskArn,
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          stopCode: 'TaskFailedToStart',
          stoppedReason: task.reason,
          stoppedAt: Date.now() / 1000,
          containers: [{ name: 'app', lastStatus: 'STOPPED' }],
        })),
        failures: [],
      });
      return;
    }
    reply(400, {
      __type: 'InvalidParameterException',
      message: `Unsupported action ${action}`,
    });
  }
}

function stackNameOf(nameOrId: string): string {
  // arn:aws:cloudformation:region:account:stack/name/uuid
  return nameOrId.startsWith('arn:')
    ? (nameOrId.split(':')[5]?.split('/')[1] ?? nameOrId)
    : nameOrId;
}

function definitions(templateBody: string): Map<string, ResourceDefinition> {
  if (!templateBody) {
    return new Map();
  }
  const resources = ((parseTemplate(templateBody) as Record<string, unknown>)
    .Resources ?? {}) as Record<string, Record<string, unknown>>;
  return new Map(
    Object.entries(resources).map(([logicalId, definition]) => [
      logicalId,
      {
        type: String(definition.Type),
        json: JSON.stringify(definition),
        properties: (definition.Properties ?? {}) as Record<string, unknown>,
        ...(typeof definition.DeletionPolicy === 'string'
          ? { policy: definition.DeletionPolicy }
          : {}),
      },
    ]),
  );
}

// The template's output descriptions by output name.
function outputDescriptions(
  templateBody: string,
): Record<string, string | undefined> {
  const outputs = templateBody
    ? ((parseTemplate(templateBody) as Record<string, unknown>).Outputs ?? {})
    : {};
  return Object.fromEntries(
    Object.entries(
      outputs as Record<string, Record<string, unknown> | null>,
    ).map(([key, output]) => [
      key,
      typeof output?.Description === 'string' ? output.Description : undefined,
    ]),
  );
}

// The port RDS gives an engine when the template names none.
function defaultDatabasePort(engine: string): number {
  return /postgres/.test(engine)
    ? 5432
    : /oracle/.test(engine)
      ? 1521
      : /sqlserver/.test(engine)
        ? 1433
        : 3306;
}

function hexDigest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

// A change set becomes executable once CloudFormation finished computing it; returns whether it did.
function refresh(changeSet: FakeChangeSet): boolean {
  const ready = Date.now() >= changeSet.readyAt;
  if (
    ready &&
    changeSet.executionStatus === 'UNAVAILABLE' &&
    !changeSet.failure
  ) {
    changeSet.executionStatus = 'AVAILABLE';
  }
  return ready;
}

function snapshot(stack: FakeStack): Snapshot {
  return {
    templateBody: stack.templateBody,
    parameters: { ...stack.parameters },
    tags: [...stack.tags],
    outputs: { ...stack.outputs },
    resources: new Map(
      [...stack.resources].map(([id, resource]) => [id, { ...resource }]),
    ),
  };
}

function sortTags(tags: Array<{ Key: string; Value: string }>) {
  return [...tags].sort((a, b) => a.Key.localeCompare(b.Key));
}
