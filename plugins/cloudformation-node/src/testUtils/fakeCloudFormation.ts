import {
  AMZ_JSON,
  FakeHttpServer,
  jsonParams,
  jsonTargetAction,
  type FakeReply,
  type FakeRequest,
} from './fakeHttpServer';
import {
  createChangeSet,
  describeChangeSet,
  executeChangeSet,
} from './changeSets';
import { parseQueryRequest, queryError, queryResponse } from './queryProtocol';
import type { FakeStackScenario } from './scenarios';
import { FakeError, stackNameOf } from './stackModel';
import {
  describeEvents,
  describeStack,
  describeStackEvents,
  getTemplate,
  getTemplateSummary,
  listStackResources,
} from './stackReads';
import { StackSimulator, type FakeStackView } from './stackSimulator';

export { FakeError, type FakeEvent } from './stackModel';
export type { FakeStackScenario } from './scenarios';
export type { FakeStackView } from './stackSimulator';

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
  private readonly simulator: StackSimulator;
  private readonly faults: Array<{
    kind: 'throttled' | 'reset';
    action?: string;
    remaining: number;
  }> = [];
  private readonly extensions: FakeCloudFormationExtension[] = [];
  private server?: FakeHttpServer;

  private constructor(private readonly options: FakeCloudFormationOptions) {
    this.simulator = new StackSimulator(
      {
        partition: 'aws',
        accountId: options.accountId ?? '123456789012',
        region: options.region ?? 'us-east-1',
      },
      options,
    );
  }

  /** Starts the endpoint on a free port of 127.0.0.1. */
  static async start(
    options: FakeCloudFormationOptions = {},
  ): Promise<FakeCloudFormation> {
    const fake = new FakeCloudFormation(options);
    fake.server = await FakeHttpServer.start(
      (request, reply) => fake.handle(request, reply),
      () => fake.options.latencyMs ?? 0,
    );
    return fake;
  }

  get url(): string {
    return this.server!.url;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  /** Scripts a stack; an `existing` stack is created right away. */
  scenario(stackName: string, scenario: FakeStackScenario): void {
    this.simulator.script(stackName, scenario);
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
    return this.simulator.view(stackName);
  }

  /** Requests about a stack, of one action if given. */
  callsFor(stackName: string, action?: string): RecordedCall[] {
    return this.calls.filter(
      call => call.stack === stackName && (!action || call.action === action),
    );
  }

  private handle(request: FakeRequest, reply: FakeReply): void {
    const target = request.headers['x-amz-target'];
    if (
      typeof target === 'string' &&
      target.startsWith('AmazonEC2ContainerService')
    ) {
      const action = jsonTargetAction(request);
      const params = jsonParams(request);
      this.calls.push({ service: 'ecs', action, params, at: Date.now() });
      const { status, payload } = this.simulator.ecs.answer(action, params);
      reply(status, AMZ_JSON, JSON.stringify(payload));
      return;
    }
    const { action, params } = parseQueryRequest(request.body);
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
    const xml = (status: number, text: string) =>
      reply(status, 'text/xml', text);
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault === 'throttled') {
      xml(400, queryError('Throttling', 'Rate exceeded'));
      return;
    }
    this.simulator.advance(Date.now());
    try {
      xml(200, queryResponse(action, this.dispatch(action, params)));
    } catch (error) {
      if (error instanceof FakeError) {
        xml(error.status, queryError(error.code, error.message));
      } else {
        xml(500, queryError('InternalFailure', String(error), 'Receiver'));
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
    const simulator = this.simulator;
    switch (action) {
      case 'DescribeStacks': {
        const stack = simulator.find(String(params.StackName));
        const extensionFields = Object.assign(
          {},
          ...this.extensions.map(extension =>
            extension.describeStack?.(stack.id),
          ),
        );
        return { Stacks: [describeStack(stack, extensionFields)] };
      }
      case 'CreateChangeSet':
        return createChangeSet(simulator, params);
      case 'DescribeChangeSet':
        return describeChangeSet(simulator, params);
      case 'ExecuteChangeSet':
        return executeChangeSet(simulator, params);
      case 'DeleteChangeSet': {
        const { stack, changeSet } = simulator.findChangeSet(params);
        stack.changeSets.delete(changeSet.id);
        return {};
      }
      case 'DescribeStackEvents':
        return describeStackEvents(simulator, params);
      case 'ListStackResources':
        return listStackResources(simulator, params);
      case 'GetTemplate':
        return getTemplate(simulator, params);
      case 'DescribeEvents':
        return describeEvents(simulator, params);
      case 'DeleteStack':
        return simulator.deleteStack(params);
      case 'CancelUpdateStack':
        return simulator.cancelUpdate(params);
      case 'UpdateTerminationProtection': {
        const stack = simulator.find(String(params.StackName));
        stack.terminationProtection =
          params.EnableTerminationProtection === 'true';
        return { StackId: stack.id };
      }
      case 'GetTemplateSummary':
        return getTemplateSummary(simulator, params);
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
}
