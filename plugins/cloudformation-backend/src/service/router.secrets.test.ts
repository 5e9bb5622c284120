import request from 'supertest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudTrailClient,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ACCOUNT,
  awsError,
  OWNER,
  REGION,
  STACK,
  STACK_ID,
  startPluginBackend,
} from './testFixtures';

const ROUTE =
  '/api/cloudformation/secrets/by-entity/component/default/payments';
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:payments-prod/database-AbCdEf`;
const RDS_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-1234abcd-aaaa-bbbb-cccc-1234567890ab-XyZ123`;
const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/payments-prod-cluster/payments-prod`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const EXECUTION_ROLE = 'payments-prod-ExecutionRole-1A2B3C';
const ROTATION_FUNCTION = 'payments-prod-rotation';
// Planted in a CloudTrail record: the route must never pass it on.
const PLANTED_VALUE = 'hunter2-do-not-show';

const cfn = mockClient(CloudFormationClient);
const secretsManager = mockClient(SecretsManagerClient);
const ecs = mockClient(ECSClient);
const cloudTrail = mockClient(CloudTrailClient);

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 10, day, hour));
const LAST_ROTATED = at(20);

function mockStack(
  outputs: Array<{ OutputKey: string; OutputValue: string }> = [
    { OutputKey: 'DatabaseSecretArn', OutputValue: SECRET_ARN },
  ],
) {
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: STACK,
        StackId: STACK_ID,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: at(1),
        Outputs: outputs,
      },
    ],
  });
  cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      {
        LogicalResourceId: 'DatabaseSecret',
        PhysicalResourceId: SECRET_ARN,
        ResourceType: 'AWS::SecretsManager::Secret',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: at(1),
      },
      {
        LogicalResourceId: 'Service',
        PhysicalResourceId: SERVICE_ARN,
        ResourceType: 'AWS::ECS::Service',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: at(1),
      },
      {
        LogicalResourceId: 'ExecutionRole',
        PhysicalResourceId: EXECUTION_ROLE,
        ResourceType: 'AWS::IAM::Role',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: at(1),
      },
    ],
  });
}

function mockSecret(
  options: {
    rotation?: boolean;
    pending?: boolean;
    arn?: string;
    owningService?: string;
  } = {},
) {
  const rotation = options.rotation ?? true;
  secretsManager
    .on(DescribeSecretCommand, { SecretId: options.arn ?? SECRET_ARN })
    .resolves({
      ARN: options.arn ?? SECRET_ARN,
      Name: options.arn
        ? 'rds!db-1234abcd-aaaa-bbbb-cccc-1234567890ab'
        : 'payments-prod/database',
      Description: 'Database credentials',
      KmsKeyId: options.owningService ? undefined : KEY_ARN,
      OwningService: options.owningService,
      RotationEnabled: rotation,
      ...(rotation
        ? {
            RotationLambdaARN: options.owningService
              ? undefined
              : `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${ROTATION_FUNCTION}`,
            RotationRules: { AutomaticallyAfterDays: 30 },
            LastRotatedDate: LAST_ROTATED,
            NextRotationDate: at(30),
          }
        : {}),
      VersionIdsToStages: options.pending
        ? { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }
        : { v1: ['AWSCURRENT'] },
    });
}

function mockTasks(startedAt: Date[]) {
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: 'payments-prod',
        taskDefinition:
          'arn:aws:ecs:eu-west-1:123456789012:task-definition/payments:7',
        deployments: [
          {
            status: 'PRIMARY',
            createdAt: at(21),
            taskDefinition:
              'arn:aws:ecs:eu-west-1:123456789012:task-definition/payments:7',
          },
        ],
      },
    ],
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${EXECUTION_ROLE}`,
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/payments-prod-TaskRole-9Z8Y`,
    },
  });
  ecs.on(ListTasksCommand).resolves({
    taskArns: startedAt.map(
      (_, index) => `arn:aws:ecs:eu-west-1:123456789012:task/c/${index}`,
    ),
  });
  ecs.on(DescribeTasksCommand).resolves({
    tasks: startedAt.map((start, index) => ({
      taskArn: `t${index}`,
      startedAt: start,
    })),
  });
}

function trailEvent(
  name: string,
  time: Date,
  identity: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    EventName: name,
    EventTime: time,
    CloudTrailEvent: JSON.stringify({
      eventName: name,
      eventTime: time.toISOString(),
      userIdentity: identity,
      ...extra,
    }),
  };
}

const assumed = (role: string, session: string) => ({
  type: 'AssumedRole',
  accountId: ACCOUNT,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      arn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
      userName: role,
    },
  },
});

function mockTrail(
  options: {
    rotations?: Array<{ name: string; time: Date; secretId?: string }>;
  } = {},
) {
  const read = (
    time: Date,
    identity: Record<string, unknown>,
    secretId = SECRET_ARN,
    extra: Record<string, unknown> = {},
  ) =>
    trailEvent('GetSecretValue', time, identity, {
      requestParameters: { secretId },
      sourceIPAddress: '10.0.1.17',
      ...extra,
    });
  cloudTrail
    .on(LookupEventsCommand, {
      LookupAttributes: [
        { AttributeKey: 'EventName', AttributeValue: 'GetSecretValue' },
      ],
    })
    .resolves({
      Events: [
        read(at(21, 9), assumed(EXECUTION_ROLE, 'ecs-task-1')),
        read(at(21, 10), assumed(EXECUTION_ROLE, 'ecs-task-2')),
        read(
          at(20, 11),
          assumed('payments-prod-RotationRole-77', ROTATION_FUNCTION),
        ),
        read(
          at(22),
          {
            type: 'IAMUser',
            accountId: ACCOUNT,
            arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
          },
          'payments-prod/database',
          {
            sourceIPAddress: '203.0.113.9',
            responseElements: { secretString: PLANTED_VALUE },
          },
        ),
        // Another secret's read: not this card's business.
        read(
          at(22),
          assumed(EXECUTION_ROLE, 'ecs-task-3'),
          `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:other-QwErTy`,
        ),
      ],
    });
  for (const name of ['RotationSucceeded', 'RotationFailed']) {
    cloudTrail
      .on(LookupEventsCommand, {
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }],
      })
      .resolves({
        Events: (
          options.rotations ?? [
            { name: 'RotationSucceeded', time: LAST_ROTATED },
          ]
        )
          .filter(rotation => rotation.name === name)
          .map(rotation =>
            trailEvent(
              name,
              rotation.time,
              { type: 'AWSService', invokedBy: 'secretsmanager.amazonaws.com' },
              {
                additionalEventData: {
                  SecretId: rotation.secretId ?? SECRET_ARN,
                },
              },
            ),
          ),
      });
  }
}

async function getSecrets(query = '') {
  const { server } = await startPluginBackend();
  return request(server)
    .get(`${ROUTE}${query}`)
    .set('Authorization', mockCredentials.user.header('user:default/bob'));
}

describe('GET /secrets/by-entity/:kind/:namespace/:name', () => {
  beforeEach(() => {
    for (const mock of [cfn, secretsManager, ecs, cloudTrail]) mock.reset();
  });

  it('answers rotation, fresh tasks and the readers, the unexpected one first, and never a value', async () => {
    mockStack();
    mockSecret();
    mockTasks([at(21, 1), at(21, 2)]);
    mockTrail();

    const response = await getSecrets();

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'available',
      retrievedAt: expect.any(String),
      windowDays: 7,
      secrets: [
        {
          arn: SECRET_ARN,
          source: { kind: 'resource', name: 'DatabaseSecret' },
          details: {
            status: 'available',
            name: 'payments-prod/database',
            description: 'Database credentials',
            key: {
              kind: 'customer',
              keyId: KEY_ARN,
              consoleUrl: `https://${REGION}.console.aws.amazon.com/kms/home?region=${REGION}#/kms/keys/1234abcd-12ab-34cd-56ef-1234567890ab`,
            },
            rotation: {
              enabled: true,
              intervalDays: 30,
              lastRotatedAt: LAST_ROTATED.toISOString(),
              nextRotationAt: at(30).toISOString(),
              functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${ROTATION_FUNCTION}`,
              pendingVersion: false,
              lastResult: {
                outcome: 'succeeded',
                at: LAST_ROTATED.toISOString(),
              },
            },
          },
          tasks: {
            status: 'available',
            state: 'current',
            serviceName: 'payments-prod',
            primaryDeploymentAt: at(21).toISOString(),
            runningTasks: 2,
            staleTasks: 0,
            oldestTaskStartedAt: at(21, 1).toISOString(),
          },
          readers: {
            status: 'available',
            truncated: false,
            readers: [
              {
                principal: `arn:aws:iam::${ACCOUNT}:user/mallory`,
                kind: 'other',
                unexpected: true,
                reads: 1,
                deniedReads: 0,
                lastReadAt: at(22).toISOString(),
                sourceAddresses: ['203.0.113.9'],
              },
              {
                principal: `arn:aws:iam::${ACCOUNT}:role/${EXECUTION_ROLE}`,
                kind: 'execution-role',
                unexpected: false,
                reads: 2,
                deniedReads: 0,
                lastReadAt: at(21, 10).toISOString(),
                sourceAddresses: ['10.0.1.17'],
              },
              {
                principal: `arn:aws:iam::${ACCOUNT}:role/payments-prod-RotationRole-77`,
                kind: 'rotation',
                unexpected: false,
                reads: 1,
                deniedReads: 0,
                lastReadAt: at(20, 11).toISOString(),
                sourceAddresses: ['10.0.1.17'],
              },
            ],
          },
        },
      ],
    });
    expect(response.text).not.toContain(PLANTED_VALUE);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    // The window ends now and starts seven days before.
    const lookup =
      cloudTrail.commandCalls(LookupEventsCommand)[0].args[0].input;
    expect(lookup.EndTime!.getTime() - lookup.StartTime!.getTime()).toBe(
      7 * 24 * 3600 * 1000,
    );
  });

  it('shows rotation off: no dates, no result, tasks current', async () => {
    mockStack();
    mockSecret({ rotation: false });
    mockTasks([at(21, 1)]);
    mockTrail({ rotations: [] });

    const { body } = await getSecrets();

    expect(body.secrets[0].details.rotation).toEqual({
      enabled: false,
      pendingVersion: false,
    });
    expect(body.secrets[0].tasks).toMatchObject({
      state: 'current',
      staleTasks: 0,
    });
  });

  it('reports a failed rotation from CloudTrail and the version left pending', async () => {
    mockStack();
    mockSecret({ pending: true });
    mockTasks([at(21, 1)]);
    mockTrail({
      rotations: [
        { name: 'RotationSucceeded', time: LAST_ROTATED },
        { name: 'RotationFailed', time: at(23) },
      ],
    });

    const { body } = await getSecrets();

    expect(body.secrets[0].details.rotation).toMatchObject({
      pendingVersion: true,
      lastResult: { outcome: 'failed', at: at(23).toISOString() },
    });
  });

  it('flags tasks that started before the last rotation: they hold the previous credentials', async () => {
    mockStack();
    mockSecret();
    mockTasks([at(19), at(21, 1), at(18)]);
    mockTrail();

    const { body } = await getSecrets();

    expect(body.secrets[0].tasks).toEqual({
      status: 'available',
      state: 'stale',
      serviceName: 'payments-prod',
      primaryDeploymentAt: at(21).toISOString(),
      runningTasks: 3,
      staleTasks: 2,
      oldestTaskStartedAt: at(18).toISOString(),
    });
  });

  it('says what to allow when CloudTrail is denied, and still shows the rest', async () => {
    mockStack();
    mockSecret();
    mockTasks([at(21, 1)]);
    cloudTrail
      .on(LookupEventsCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/backstage is not authorized`,
        ),
      );

    const { body } = await getSecrets();

    expect(body.secrets[0].readers).toEqual({
      status: 'unavailable',
      reason: 'access-denied',
      message:
        "CloudTrail LookupEvents not allowed for the portal's role: add cloudtrail:LookupEvents.",
    });
    expect(body.secrets[0].details.status).toBe('available');
    expect(body.secrets[0].tasks.state).toBe('current');
    expect(JSON.stringify(body)).not.toContain('assumed-role/backstage');
  });

  it('says CloudTrail is throttling, keeps the rest, and asks again soon rather than a minute later', async () => {
    mockStack();
    mockSecret();
    mockTasks([at(21, 1)]);
    cloudTrail
      .on(LookupEventsCommand)
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { server } = await startPluginBackend();
    const get = () =>
      request(server)
        .get(ROUTE)
        .set('Authorization', mockCredentials.user.header(OWNER));

    const { body } = await get();
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
      now: Date.now() + 6_000,
    });
    try {
      await get();
    } finally {
      jest.useRealTimers();
    }

    expect(body.secrets[0].readers).toEqual({
      status: 'unavailable',
      reason: 'throttled',
      message:
        'CloudTrail is throttling LookupEvents (2 requests per second per account and region); the readers show again shortly.',
    });
    expect(body.secrets[0].details.status).toBe('available');
    // The degraded answer lived 5 s, not 60 s: the second request read AWS again.
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(2);
  });

  it('says what to allow when DescribeSecret or ECS is denied', async () => {
    mockStack();
    secretsManager
      .on(DescribeSecretCommand)
      .rejects(awsError('AccessDeniedException', 'denied'));
    ecs
      .on(DescribeServicesCommand)
      .rejects(awsError('AccessDeniedException', 'denied'));
    mockTrail();

    const { body } = await getSecrets();

    expect(body.secrets[0].details).toEqual({
      status: 'unavailable',
      reason: 'access-denied',
      message: `Secrets Manager DescribeSecret not allowed for the portal's role: add secretsmanager:DescribeSecret on ${SECRET_ARN}.`,
    });
    expect(body.secrets[0].tasks).toEqual({
      status: 'unavailable',
      reason: 'access-denied',
      message:
        "ECS not readable by the portal's role: add ecs:DescribeServices, ecs:ListTasks, ecs:DescribeTasks and ecs:DescribeTaskDefinition on the stack's service.",
    });
    // Without ECS, the stack's ExecutionRole resource still tells the execution role.
    expect(
      body.secrets[0].readers.readers.find(
        (reader: { kind: string }) => reader.kind === 'execution-role',
      ),
    ).toBeDefined();
  });

  it('finds the RDS-managed master secret through the stack output, rotated by RDS', async () => {
    mockStack([
      { OutputKey: 'DatabaseSecretArn', OutputValue: RDS_SECRET_ARN },
    ]);
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'Service',
          PhysicalResourceId: SERVICE_ARN,
          ResourceType: 'AWS::ECS::Service',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: at(1),
        },
      ],
    });
    mockSecret({ arn: RDS_SECRET_ARN, owningService: 'rds' });
    mockTasks([at(21, 1)]);
    cloudTrail.on(LookupEventsCommand).resolves({
      Events: [
        trailEvent(
          'GetSecretValue',
          at(20),
          { type: 'AWSService', invokedBy: 'rds.amazonaws.com' },
          { requestParameters: { secretId: RDS_SECRET_ARN } },
        ),
      ],
    });

    const { body } = await getSecrets('?windowDays=30');

    expect(body.windowDays).toBe(30);
    expect(body.secrets).toHaveLength(1);
    expect(body.secrets[0]).toMatchObject({
      arn: RDS_SECRET_ARN,
      source: { kind: 'output', name: 'DatabaseSecretArn' },
      details: {
        key: { kind: 'aws-managed' },
        rotation: { enabled: true, managedBy: 'rds' },
      },
      readers: {
        readers: [
          {
            principal: 'rds.amazonaws.com',
            kind: 'rotation',
            unexpected: false,
          },
        ],
      },
    });
  });

  it('answers a warm request from the cache, for every caller, after the catalog check', async () => {
    mockStack();
    mockSecret();
    mockTasks([at(21, 1)]);
    mockTrail();
    const { server } = await startPluginBackend();

    const first = await request(server)
      .get(ROUTE)
      .set('Authorization', mockCredentials.user.header(OWNER));
    const again = await Promise.all(
      [1, 2, 3].map(() =>
        request(server)
          .get(ROUTE)
          .set(
            'Authorization',
            mockCredentials.user.header('user:default/bob'),
          ),
      ),
    );

    expect(first.status).toBe(200);
    expect(again.map(response => response.body)).toEqual([
      first.body,
      first.body,
      first.body,
    ]);
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(secretsManager.commandCalls(DescribeSecretCommand)).toHaveLength(1);
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(3);
  });

  it('refuses a window CloudTrail cannot answer, saying what is allowed', async () => {
    const response = await getSecrets('?windowDays=91');

    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      name: 'InputError',
      message:
        'windowDays must be a whole number of days from 1 to 90 (CloudTrail keeps 90 days of events), got "91".',
    });
  });

  it('answers 404 for an entity the caller may not read, without calling AWS', async () => {
    const { server } = await startPluginBackend({ entities: [] });

    const response = await request(server)
      .get(ROUTE)
      .set('Authorization', mockCredentials.user.header(OWNER));

    expect(response.status).toBe(404);
    expect(cfn.calls()).toHaveLength(0);
  });

  it('answers 503 while CloudFormation keeps throttling', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(awsError('Throttling', 'Rate exceeded'));

    const response = await getSecrets();

    expect(response.status).toBe(503);
    expect(response.body.error.message).toBe(
      'CloudFormation is throttling requests for stack payments-prod; try again in a few seconds.',
    );
  });
});

describe('GET /secrets/by-entity/... with many tabs at once', () => {
  beforeEach(() => {
    for (const mock of [cfn, secretsManager, ecs, cloudTrail]) mock.reset();
  });

  it('reads AWS once for requests that miss the cache together', async () => {
    mockStack();
    mockSecret();
    mockTasks([at(21, 1)]);
    mockTrail();
    const { server } = await startPluginBackend();

    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(server)
          .get(ROUTE)
          .set('Authorization', mockCredentials.user.header(OWNER)),
      ),
    );

    expect(answers.map(answer => answer.status)).toEqual(Array(8).fill(200));
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(secretsManager.commandCalls(DescribeSecretCommand)).toHaveLength(1);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(3);
  });
});
