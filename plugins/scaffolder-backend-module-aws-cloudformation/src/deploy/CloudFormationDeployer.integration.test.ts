import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ECSClient } from '@aws-sdk/client-ecs';
import {
  TAG_ENTITY_REF,
  TAG_TEMPLATE_REF,
} from '@golden-path/plugin-cloudformation-common';
import {
  FakeCloudFormation,
  type FakeCloudFormationOptions,
} from '@golden-path/plugin-cloudformation-node/testUtils';
import { CloudFormationDeployer } from './CloudFormationDeployer';
import { CloudFormationDeployError } from './errors';
import type { Checkpoint, DeployRequest, DeployTimings } from './types';

jest.setTimeout(30_000);

const ENTITY = 'component:default/payments';
const PASSWORD = 'Sup3r-Secret-Pw-81';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const FAST: Partial<DeployTimings> = {
  initialPollMs: 5,
  maxPollMs: 20,
  maxThrottledDelayMs: 40,
  heartbeatMs: 60_000,
};

const TEMPLATE = `
Parameters:
  Env:
    Type: String
  DbPassword:
    Type: String
    NoEcho: true
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      backstage:description: Assets bucket
    Properties:
      Tags:
        - Key: env
          Value: !Ref Env
  Queue:
    Type: AWS::SQS::Queue
  Service:
    Type: AWS::ECS::Service
    Properties:
      DesiredCount: 2
Outputs:
  BucketName:
    Value: !Ref Bucket
  QueueArn:
    Value: !GetAtt Queue.Arn
  ConnectionString:
    Value: !Sub 'postgres://app:\${DbPassword}@db'
  Echo:
    Value: !Ref DbPassword
`;

// v2: Queue removed, Topic added, Service modified.
const TEMPLATE_V2 = TEMPLATE.replace(
  '  Queue:\n    Type: AWS::SQS::Queue\n',
  '  Topic:\n    Type: AWS::SNS::Topic\n',
)
  .replace('DesiredCount: 2', 'DesiredCount: 3')
  .replace('  QueueArn:\n    Value: !GetAtt Queue.Arn\n', '');

let fake: FakeCloudFormation;
let clients: Array<{ destroy(): void }> = [];

async function startFake(options: FakeCloudFormationOptions = {}) {
  fake = await FakeCloudFormation.start(options);
}

afterEach(async () => {
  clients.forEach(client => client.destroy());
  clients = [];
  await fake?.stop();
});

function captureLog() {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      info: (message: string) => lines.push(message),
      warn: (message: string) => lines.push(`WARN ${message}`),
    },
    text: () => lines.join('\n'),
  };
}

function deployer(
  log = captureLog(),
  options: { timings?: Partial<DeployTimings>; maxAttempts?: number } = {},
) {
  const cloudFormation = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials,
    maxAttempts: options.maxAttempts,
  });
  const ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials,
  });
  clients.push(cloudFormation, ecs);
  return new CloudFormationDeployer({
    cloudFormation,
    ecs,
    logger: log.logger,
    timings: { ...FAST, ...options.timings },
  });
}

function request(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    stackName: 'payments',
    templateBody: TEMPLATE,
    parameters: { Env: 'prod', DbPassword: PASSWORD },
    tags: { team: 'payments' },
    capabilities: [],
    onFailure: 'ROLLBACK',
    timeoutMinutes: 5,
    execute: true,
    failOnEmptyChangeSet: false,
    owner: {
      entityRef: ENTITY,
      templateRef: 'template:default/aws-fargate-rds-service',
    },
    expectedAccountId: '123456789012',
    idempotencyKey: 'task-1',
    ...overrides,
  };
}

const OWNED = {
  [TAG_ENTITY_REF]: ENTITY,
  team: 'payments',
  [TAG_TEMPLATE_REF]: 'template:default/aws-fargate-rds-service',
};

// The "STATUS LogicalId" heads of the event lines, in log order.
function eventHeads(lines: string[]): string[] {
  return lines
    .filter(line => /^[A-Z_]+_(IN_PROGRESS|COMPLETE|FAILED) \S+ \(/.test(line))
    .map(line => line.split(' ').slice(0, 2).join(' '));
}

function expectNoSecret(text: string) {
  expect(text).not.toContain(PASSWORD);
}

describe('CloudFormationDeployer against the scripted CloudFormation endpoint', () => {
  it('creates a stack, streaming every event once and in order, with progress, outputs and ownership tags', async () => {
    await startFake({ eventPageSize: 3 });
    fake.scenario('payments', { stepMs: 15, changeSetDelayMs: 30 });
    const log = captureLog();

    const result = await deployer(log).deploy(request());

    expect(result).toMatchObject({
      stackName: 'payments',
      stackStatus: 'CREATE_COMPLETE',
      changed: true,
      executed: true,
    });
    expect(result.stackId).toBe(fake.stack('payments')!.id);
    expect(result.changeSetId).toMatch(
      /^arn:aws:cloudformation:us-east-1:123456789012:changeSet\/backstage-task-1-/,
    );
    expect(
      result.changes.map(
        change => `${change.action} ${change.logicalResourceId}`,
      ),
    ).toEqual(['add Bucket', 'add Queue', 'add Service']);
    const stack = fake.stack('payments')!;
    expect(eventHeads(log.lines)).toEqual(
      stack.events.map(
        event => `${event.ResourceStatus} ${event.LogicalResourceId}`,
      ),
    );
    expect(log.lines).toContain('Progress: 3 of 3 resources complete');
    expect(log.text()).toContain(
      'CREATE_COMPLETE Bucket (AWS::S3::Bucket, "Assets bucket")',
    );
    expect(stack.tags).toEqual(OWNED);
    expect(result.outputs.BucketName).toBe(stack.outputs.BucketName);
    expect(result.outputs.QueueArn).toMatch(
      /^arn:aws:sqs:us-east-1:123456789012:queue\//,
    );
    // The NoEcho value comes back through outputs; it must not leave the engine.
    expect(result.outputs.Echo).toBe('****');
    expect(result.outputs.ConnectionString).toBe('postgres://app:****@db');
    expectNoSecret(log.text());
    expectNoSecret(JSON.stringify(result));
  });

  it('updates a stack it owns: logs the change table and keeps parameters left out', async () => {
    await startFake();
    fake.scenario('payments', {
      existing: {
        status: 'UPDATE_COMPLETE',
        tags: OWNED,
        templateBody: TEMPLATE,
        parameters: { Env: 'prod', DbPassword: PASSWORD },
      },
      replacements: { Service: 'Conditional' },
    });
    const log = captureLog();

    const result = await deployer(log).deploy(
      request({ templateBody: TEMPLATE_V2, parameters: { Env: 'prod' } }),
    );

    expect(result.stackStatus).toBe('UPDATE_COMPLETE');
    expect(result.changes).toEqual([
      {
        action: 'add',
        logicalResourceId: 'Topic',
        resourceType: 'AWS::SNS::Topic',
        replacement: '-',
      },
      {
        action: 'modify',
        logicalResourceId: 'Service',
        resourceType: 'AWS::ECS::Service',
        replacement: 'conditional',
      },
      {
        action: 'remove',
        logicalResourceId: 'Queue',
        resourceType: 'AWS::SQS::Queue',
        replacement: '-',
      },
    ]);
    expect(log.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Action\s+Replacement\s+Logical ID\s+Type/),
        expect.stringMatching(
          /^modify\s+conditional\s+Service\s+AWS::ECS::Service/,
        ),
        expect.stringMatching(/^remove\s+-\s+Queue\s+AWS::SQS::Queue/),
        'Progress: 3 of 3 resources complete',
      ]),
    );
    const [createCall] = fake.callsFor('payments', 'CreateChangeSet');
    expect(createCall.params.Parameters).toEqual(
      expect.arrayContaining([
        { ParameterKey: 'DbPassword', UsePreviousValue: 'true' },
        { ParameterKey: 'Env', ParameterValue: 'prod' },
      ]),
    );
    expect(fake.stack('payments')!.parameters.DbPassword).toBe(PASSWORD);
  });

  it('succeeds with "no changes" on an empty change set and deletes it; fails when asked to', async () => {
    await startFake();
    fake.scenario('payments', {
      existing: {
        status: 'CREATE_COMPLETE',
        tags: OWNED,
        templateBody: TEMPLATE,
        parameters: { Env: 'prod', DbPassword: PASSWORD },
      },
    });
    const log = captureLog();

    const result = await deployer(log).deploy(request());

    expect(result).toMatchObject({
      changed: false,
      executed: false,
      stackStatus: 'CREATE_COMPLETE',
      changes: [],
    });
    expect(log.text()).toContain('No changes');
    expect(fake.stack('payments')!.changeSetCount).toBe(0);
    expect(fake.callsFor('payments', 'ExecuteChangeSet')).toHaveLength(0);

    const strict = deployer().deploy(
      request({ failOnEmptyChangeSet: true, idempotencyKey: 'task-2' }),
    );
    await expect(strict).rejects.toMatchObject({
      kind: 'noChanges',
      message: expect.stringContaining('No changes to deploy'),
    });
  });

  it("fails a FAILED change set with CloudFormation's reason and leaves nothing behind", async () => {
    await startFake();
    fake.scenario('payments', {
      changeSetFailure:
        'Template format error: Unresolved resource dependencies [Vpc] in the Resources block of the template',
    });

    const error = await deployer()
      .deploy(request())
      .catch(e => e);

    expect(error).toBeInstanceOf(CloudFormationDeployError);
    expect(error.kind).toBe('changeSetFailed');
    expect(error.message).toContain('Unresolved resource dependencies [Vpc]');
    expect(error.message).toContain('nothing was deployed');
    const stack = fake.stack('payments')!;
    expect(stack.changeSetCount).toBe(0);
    expect(stack.status).toBe('DELETE_COMPLETE');
  });

  it.each([
    ['with the DescribeEvents failed-events filter', true],
    ['falling back to stack events where DescribeEvents is missing', false],
  ])(
    'names the root cause among "Resource creation cancelled" noise, %s',
    async (_label, describeEvents) => {
      await startFake({ describeEvents });
      fake.scenario('payments', {
        failure: {
          logicalId: 'Queue',
          reason: `Resource handler returned message: "Access denied for sqs:CreateQueue" (password ${PASSWORD})`,
        },
      });
      const log = captureLog();

      const error = await deployer(log)
        .deploy(request())
        .catch(e => e);

      expect(error.kind).toBe('stackFailed');
      expect(error.details.failure).toMatchObject({
        logicalResourceId: 'Queue',
        resourceType: 'AWS::SQS::Queue',
        status: 'CREATE_FAILED',
      });
      expect(error.message).toMatch(
        /^Deploying stack payments failed: Queue \(AWS::SQS::Queue\) failed to create: Resource handler returned message: "Access denied for sqs:CreateQueue"/,
      );
      expect(error.message).toContain(
        'The stack is ROLLBACK_COMPLETE: nothing was kept',
      );
      expect(error.message).not.toContain('cancelled');
      expect(log.text()).toContain(
        'CREATE_FAILED Service (AWS::ECS::Service): Resource creation cancelled',
      );
      const describeEventsCalls = fake.callsFor('payments', 'DescribeEvents');
      expect(describeEventsCalls).toHaveLength(1);
      expect(describeEventsCalls[0].params.Filters).toEqual({
        FailedEvents: 'true',
      });
      // Scoped to the create operation, not to the change set's.
      const created = fake
        .stack('payments')!
        .events.find(
          event =>
            event.ResourceStatus === 'CREATE_IN_PROGRESS' &&
            event.LogicalResourceId === 'payments',
        );
      expect(describeEventsCalls[0].params.OperationId).toBe(
        created!.OperationId,
      );
      expectNoSecret(error.message);
      expectNoSecret(error.stack);
      expectNoSecret(log.text());
    },
  );

  it('adds why the tasks of a failed ECS service stopped', async () => {
    await startFake({ describeEvents: true });
    fake.scenario('payments', {
      failure: {
        logicalId: 'Service',
        reason:
          'Resource handler returned message: "Error occurred during operation \'ECS Deployment Circuit Breaker was triggered\'."',
      },
      stoppedTaskReason:
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed',
    });

    const error = await deployer()
      .deploy(request())
      .catch(e => e);

    expect(error.message).toContain(
      'Service (AWS::ECS::Service) failed to create',
    );
    expect(error.message).toContain(
      'Its tasks stopped: ResourceInitializationError: unable to pull secrets or registry auth',
    );
    expect(
      fake.calls
        .filter(call => call.service === 'ecs')
        .map(call => call.action),
    ).toEqual(['ListTasks', 'DescribeTasks']);
  });

  it('recreates a ROLLBACK_COMPLETE stack it owns: deletes it, then creates it', async () => {
    await startFake();
    fake.scenario('payments', {
      existing: {
        status: 'ROLLBACK_COMPLETE',
        tags: OWNED,
        templateBody: TEMPLATE,
        failure: {
          logicalId: 'Queue',
          resourceType: 'AWS::SQS::Queue',
          reason: 'Access denied',
        },
      },
    });
    const oldId = fake.stack('payments')!.id;
    const log = captureLog();

    const result = await deployer(log).deploy(request());

    expect(result.stackStatus).toBe('CREATE_COMPLETE');
    expect(result.stackId).not.toBe(oldId);
    expect(
      fake.calls
        .filter(call => call.action === 'DeleteStack')
        .map(call => call.params.StackName),
    ).toEqual([oldId]);
    expect(log.text()).toContain(
      'DELETE_COMPLETE payments (AWS::CloudFormation::Stack)',
    );
  });

  it.each([
    [
      'owned by another entity',
      { [TAG_ENTITY_REF]: 'component:default/billing' },
      'belongs to component:default/billing',
    ],
    ['not created by Backstage', {}, 'was not created by Backstage'],
  ])('never modifies a stack %s', async (_label, tags, message) => {
    await startFake();
    fake.scenario('payments', {
      existing: {
        status: 'UPDATE_COMPLETE',
        tags,
        templateBody: TEMPLATE,
        parameters: { Env: 'prod', DbPassword: PASSWORD },
      },
    });

    const error = await deployer()
      .deploy(request())
      .catch(e => e);

    expect(error.kind).toBe('refused');
    expect(error.message).toContain(message);
    expect(fake.calls.map(call => call.action)).toEqual(['DescribeStacks']);
  });

  it('refuses to recreate a ROLLBACK_COMPLETE stack of another entity', async () => {
    await startFake();
    fake.scenario('payments', {
      existing: {
        status: 'ROLLBACK_COMPLETE',
        tags: { [TAG_ENTITY_REF]: 'component:default/billing' },
      },
    });

    await expect(deployer().deploy(request())).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('billing'),
    });
    expect(fake.calls.map(call => call.action)).toEqual(['DescribeStacks']);
  });

  it('refuses a stack with an operation in progress, saying what runs', async () => {
    await startFake();
    fake.scenario('payments', {
      existing: {
        status: 'UPDATE_IN_PROGRESS',
        tags: OWNED,
        templateBody: TEMPLATE,
      },
    });

    const error = await deployer()
      .deploy(request())
      .catch(e => e);

    expect(error.kind).toBe('refused');
    expect(error.message).toMatch(
      /^Stack payments is busy: UPDATE_IN_PROGRESS since \S+ \(operation UPDATE_STACK [0-9a-f-]+\)\. Wait for it to finish/,
    );
    expect(fake.callsFor('payments', 'CreateChangeSet')).toHaveLength(0);
  });

  it('refuses a *_FAILED stack and explains what to do and why it failed', async () => {
    await startFake();
    fake.scenario('payments', {
      existing: {
        status: 'UPDATE_ROLLBACK_FAILED',
        tags: OWNED,
        templateBody: TEMPLATE,
        failure: {
          logicalId: 'Service',
          resourceType: 'AWS::ECS::Service',
          reason: 'Service arn:x did not stabilize',
        },
      },
    });

    const error = await deployer()
      .deploy(request())
      .catch(e => e);

    expect(error.kind).toBe('refused');
    expect(error.message).toContain('continue-update-rollback');
    expect(error.message).toContain(
      'The last operation failed because: Service (AWS::ECS::Service) failed to update: Service arn:x did not stabilize.',
    );
    expect(fake.callsFor('payments', 'CreateChangeSet')).toHaveLength(0);
  });

  it('rides out throttling bursts without failing, slowing down', async () => {
    await startFake();
    fake.scenario('payments', { stepMs: 20 });
    fake.throttle(12, 'DescribeStackEvents');
    const log = captureLog();

    // SDK retries off: the engine's own patience is under test.
    const result = await deployer(log, { maxAttempts: 1 }).deploy(request());

    expect(result.stackStatus).toBe('CREATE_COMPLETE');
    expect(fake.calls.filter(call => call.fault === 'throttled')).toHaveLength(
      12,
    );
    expect(log.lines.filter(line => line.includes('throttling'))).toHaveLength(
      1,
    );
    expect(eventHeads(log.lines)).toEqual(
      fake
        .stack('payments')!
        .events.map(
          event => `${event.ResourceStatus} ${event.LogicalResourceId}`,
        ),
    );
  });

  it('survives connection resets, with the SDK and the engine retrying', async () => {
    await startFake();
    fake.scenario('payments', { stepMs: 20 });
    fake.resetConnections(3, 'CreateChangeSet');
    fake.resetConnections(7, 'DescribeStackEvents');

    const result = await deployer().deploy(request());

    expect(result.stackStatus).toBe('CREATE_COMPLETE');
    expect(fake.calls.filter(call => call.fault === 'reset')).toHaveLength(10);
    // The retried CreateChangeSet carried the same token: one change set.
    expect(
      new Set(
        fake
          .callsFor('payments', 'CreateChangeSet')
          .map(call => call.params.ClientToken),
      ).size,
    ).toBe(1);
  });

  it('keeps a slow stack visibly alive with heartbeats while polling with backoff', async () => {
    await startFake();
    fake.scenario('payments', { stepMs: 250 });
    const log = captureLog();
    const timings = {
      initialPollMs: 20,
      maxPollMs: 80,
      pollBackoff: 1.5,
      heartbeatMs: 150,
    };

    const result = await deployer(log, { timings }).deploy(request());

    expect(result.stackStatus).toBe('CREATE_COMPLETE');
    const heartbeats = log.lines.filter(line =>
      line.startsWith('Still working on stack payments: CREATE_IN_PROGRESS'),
    );
    expect(heartbeats.length).toBeGreaterThan(0);
    expect(heartbeats).toContainEqual(
      expect.stringMatching(
        /\d of 3 resources complete; in progress: \w+ \(AWS::[A-Za-z:]+\) for \d+s/,
      ),
    );
    // Polls back off to maxPollMs: never more than the ramp plus one per maxPollMs of waiting.
    const polls = fake.callsFor('payments', 'DescribeStackEvents');
    const waited = polls[polls.length - 1].at - polls[0].at;
    const ramp = Math.ceil(
      Math.log(timings.maxPollMs / timings.initialPollMs) /
        Math.log(timings.pollBackoff),
    );
    expect(polls.length).toBeLessThanOrEqual(
      ramp + Math.ceil(waited / timings.maxPollMs) + 2,
    );
  });

  it('cancelling the task cancels a running update and says where the stack is left', async () => {
    await startFake();
    fake.scenario('payments', {
      existing: {
        status: 'UPDATE_COMPLETE',
        tags: OWNED,
        templateBody: TEMPLATE,
        parameters: { Env: 'prod', DbPassword: PASSWORD },
      },
      stepMs: 200,
    });
    const controller = new AbortController();
    const log = captureLog();
    const logger = {
      info: (message: string) => {
        log.logger.info(message);
        if (message.startsWith('UPDATE_IN_PROGRESS Service')) {
          controller.abort();
        }
      },
      warn: log.logger.warn,
    };
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials,
    });
    clients.push(cloudFormation);
    const engine = new CloudFormationDeployer({
      cloudFormation,
      logger,
      timings: FAST,
    });

    const error = await engine
      .deploy(request({ templateBody: TEMPLATE_V2 }), {
        signal: controller.signal,
      })
      .catch(e => e);

    expect(error).toBeInstanceOf(CloudFormationDeployError);
    expect(error.kind).toBe('cancelled');
    expect(error.message).toMatch(
      /The task was cancelled; stack payments is UPDATE_ROLLBACK_IN_PROGRESS/,
    );
    expect(fake.callsFor('payments', 'CancelUpdateStack')).toHaveLength(1);
    expect(log.text()).toContain(
      'Stack payments is left UPDATE_ROLLBACK_IN_PROGRESS: CloudFormation is rolling the update back',
    );
  });

  it('times out an update: cancels it and reports the state', async () => {
    await startFake();
    fake.scenario('payments', {
      existing: {
        status: 'UPDATE_COMPLETE',
        tags: OWNED,
        templateBody: TEMPLATE,
        parameters: { Env: 'prod', DbPassword: PASSWORD },
      },
      stepMs: 500,
    });

    const error = await deployer()
      .deploy(request({ templateBody: TEMPLATE_V2, timeoutMinutes: 0.005 }))
      .catch(e => e);

    expect(error.kind).toBe('timedOut');
    expect(error.message).toContain('did not finish within 0.005 minutes');
    expect(fake.callsFor('payments', 'CancelUpdateStack')).toHaveLength(1);
  });

  it.each([
    ['DELETE', 'DELETE_COMPLETE', 'the stack was deleted'],
    ['DO_NOTHING', 'CREATE_FAILED', 'left as they are for inspection'],
  ] as const)(
    'honours onFailure %s on create',
    async (onFailure, status, note) => {
      await startFake();
      fake.scenario('payments', {
        failure: { logicalId: 'Queue', reason: 'Access denied' },
      });

      const error = await deployer()
        .deploy(request({ onFailure }))
        .catch(e => e);

      expect(error.details.stackStatus).toBe(status);
      expect(error.message).toContain(note);
      expect(
        fake.callsFor('payments', 'CreateChangeSet')[0].params.OnStackFailure,
      ).toBe(onFailure);
    },
  );

  it('sets termination protection after a successful deploy', async () => {
    await startFake();

    await deployer().deploy(request({ terminationProtection: true }));

    expect(fake.stack('payments')!.terminationProtection).toBe(true);
  });

  it('creates the change set only, for review, when execute is false', async () => {
    await startFake();

    const result = await deployer().deploy(request({ execute: false }));

    expect(result).toMatchObject({
      stackStatus: 'REVIEW_IN_PROGRESS',
      changed: true,
      executed: false,
    });
    expect(fake.stack('payments')!.changeSetCount).toBe(1);
    expect(fake.callsFor('payments', 'ExecuteChangeSet')).toHaveLength(0);
  });

  describe('restarts', () => {
    // A checkpoint store that survives "restarts" (new engine instances), like the task database.
    function checkpointStore(crashAfter?: { key: string; stored: boolean }) {
      const values = new Map<string, unknown>();
      const checkpoint: Checkpoint = async (key, fn) => {
        if (values.has(key)) {
          return values.get(key) as never;
        }
        const value = await fn();
        if (crashAfter && key.startsWith(crashAfter.key)) {
          if (crashAfter.stored) {
            values.set(key, JSON.parse(JSON.stringify(value ?? {})));
          }
          crashAfter = undefined;
          throw new Error('backend restarted');
        }
        values.set(key, JSON.parse(JSON.stringify(value ?? {})));
        return value;
      };
      return checkpoint;
    }

    it('resumes watching the same operation after executing, without a second change set or execution', async () => {
      await startFake();
      fake.scenario('payments', { stepMs: 30 });
      const checkpoint = checkpointStore({
        key: 'cloudformation-execute',
        stored: true,
      });

      await expect(
        deployer().deploy(request(), { checkpoint }),
      ).rejects.toThrow('backend restarted');
      const log = captureLog();
      const result = await deployer(log).deploy(request(), { checkpoint });

      expect(result.stackStatus).toBe('CREATE_COMPLETE');
      expect(log.text()).toContain('Resuming after a restart');
      expect(fake.callsFor('payments', 'CreateChangeSet')).toHaveLength(1);
      expect(fake.callsFor('payments', 'ExecuteChangeSet')).toHaveLength(1);
    });

    it.each(['cloudformation-change-set', 'cloudformation-execute'])(
      'repeats a call whose checkpoint was lost (%s) idempotently',
      async key => {
        await startFake();
        fake.scenario('payments', { stepMs: 30 });
        const checkpoint = checkpointStore({ key, stored: false });

        await expect(
          deployer().deploy(request(), { checkpoint }),
        ).rejects.toThrow('backend restarted');
        const result = await deployer().deploy(request(), { checkpoint });

        expect(result.stackStatus).toBe('CREATE_COMPLETE');
        expect(
          fake
            .stack('payments')!
            .events.filter(
              event =>
                event.ResourceStatus === 'CREATE_IN_PROGRESS' &&
                event.LogicalResourceId === 'payments',
            ),
        ).toHaveLength(1);
        expect(
          new Set(
            fake
              .callsFor('payments', 'CreateChangeSet')
              .map(call => call.params.ChangeSetName),
          ).size,
        ).toBe(1);
      },
    );
  });
});
