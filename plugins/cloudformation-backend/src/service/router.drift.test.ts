import request from 'supertest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  StackDriftStatus,
  StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  awsError,
  OWNER,
  STACK,
  STACK_ID,
  startPluginBackend,
} from './testFixtures';

const ROUTE = '/api/cloudformation/drift/by-entity/component/default/payments';
const NON_OWNER = 'user:default/bob';
const CHECKED = new Date('2026-11-30T08:00:00Z');

const cfn = mockClient(CloudFormationClient);

function mockStackDrift(
  status: StackDriftStatus | 'NOT_CHECKED',
  resources: StackResourceDrift[] = [],
) {
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: STACK,
        StackId: STACK_ID,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: CHECKED,
        DriftInformation: {
          StackDriftStatus: status as StackDriftStatus,
          LastCheckTimestamp: status === 'NOT_CHECKED' ? undefined : CHECKED,
        },
      },
    ],
  });
  cfn
    .on(DescribeStackResourceDriftsCommand)
    .resolves({ StackResourceDrifts: resources });
}

const drifted: StackResourceDrift[] = [
  {
    StackId: STACK_ID,
    LogicalResourceId: 'Database',
    PhysicalResourceId: 'payments-prod-db',
    ResourceType: 'AWS::RDS::DBInstance',
    StackResourceDriftStatus: 'MODIFIED',
    Timestamp: CHECKED,
    PropertyDifferences: [
      {
        PropertyPath: '/DBInstanceClass',
        ExpectedValue: 'db.t4g.micro',
        ActualValue: 'db.m6g.large',
        DifferenceType: 'NOT_EQUAL',
      },
      {
        PropertyPath: '/MasterUserPassword',
        ExpectedValue: 'expected-pw-1',
        ActualValue: 'actual-pw-2',
        DifferenceType: 'NOT_EQUAL',
      },
    ],
  },
  {
    StackId: STACK_ID,
    LogicalResourceId: 'LogGroup',
    PhysicalResourceId: '/ecs/payments-prod',
    ResourceType: 'AWS::Logs::LogGroup',
    StackResourceDriftStatus: 'DELETED',
    Timestamp: CHECKED,
  },
  {
    StackId: STACK_ID,
    LogicalResourceId: 'DatabaseSecret',
    PhysicalResourceId:
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
    ResourceType: 'AWS::SecretsManager::Secret',
    StackResourceDriftStatus: 'MODIFIED',
    Timestamp: CHECKED,
    PropertyDifferences: [
      {
        PropertyPath: '/Description',
        ExpectedValue: 'a',
        ActualValue: 'b',
        DifferenceType: 'NOT_EQUAL',
      },
    ],
  },
];

function mockDetection(
  status: 'DETECTION_COMPLETE' | 'DETECTION_FAILED',
  reason?: string,
) {
  cfn
    .on(DetectStackDriftCommand)
    .resolves({ StackDriftDetectionId: 'detection-1' });
  cfn
    .on(DescribeStackDriftDetectionStatusCommand)
    .resolvesOnce({
      StackId: STACK_ID,
      StackDriftDetectionId: 'detection-1',
      DetectionStatus: 'DETECTION_IN_PROGRESS',
      Timestamp: CHECKED,
    })
    .resolves({
      StackId: STACK_ID,
      StackDriftDetectionId: 'detection-1',
      DetectionStatus: status,
      DetectionStatusReason: reason,
      StackDriftStatus: status === 'DETECTION_COMPLETE' ? 'IN_SYNC' : 'UNKNOWN',
      DriftedStackResourceCount: 0,
      Timestamp: CHECKED,
    });
}

const as = (user: string) => mockCredentials.user.header(user);

describe('drift routes', () => {
  beforeEach(() => cfn.reset());

  it('reads a stack never checked without listing resource drifts; only the owner may detect', async () => {
    mockStackDrift('NOT_CHECKED');
    const { server } = await startPluginBackend();

    const asOwner = await request(server)
      .get(ROUTE)
      .set('Authorization', as(OWNER));
    const asOther = await request(server)
      .get(ROUTE)
      .set('Authorization', as(NON_OWNER));

    expect(asOwner.body).toEqual({
      status: 'available',
      retrievedAt: expect.any(String),
      drift: { stackName: STACK, status: 'NOT_CHECKED', resources: [] },
      canDetect: true,
    });
    expect(asOther.body).toMatchObject({
      status: 'available',
      canDetect: false,
    });
    expect(cfn.commandCalls(DescribeStackResourceDriftsCommand)).toHaveLength(
      0,
    );
  });

  it('shows DRIFTED: expected against actual for the modified resource, secrets masked, the deleted one', async () => {
    mockStackDrift('DRIFTED', drifted);
    const { server } = await startPluginBackend();

    const response = await request(server)
      .get(ROUTE)
      .set('Authorization', as(NON_OWNER));

    expect(response.body.drift).toEqual({
      stackName: STACK,
      status: 'DRIFTED',
      checkedAt: CHECKED.toISOString(),
      resources: [
        {
          logicalId: 'Database',
          physicalId: 'payments-prod-db',
          type: 'AWS::RDS::DBInstance',
          status: 'MODIFIED',
          checkedAt: CHECKED.toISOString(),
          differences: [
            {
              path: '/DBInstanceClass',
              type: 'NOT_EQUAL',
              expected: 'db.t4g.micro',
              actual: 'db.m6g.large',
            },
            {
              path: '/MasterUserPassword',
              type: 'NOT_EQUAL',
              expected: '****',
              actual: '****',
            },
          ],
        },
        {
          logicalId: 'LogGroup',
          physicalId: '/ecs/payments-prod',
          type: 'AWS::Logs::LogGroup',
          status: 'DELETED',
          checkedAt: CHECKED.toISOString(),
          differences: [],
        },
        {
          logicalId: 'DatabaseSecret',
          physicalId:
            'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
          type: 'AWS::SecretsManager::Secret',
          status: 'MODIFIED',
          checkedAt: CHECKED.toISOString(),
          differences: [
            {
              path: '/Description',
              type: 'NOT_EQUAL',
              expected: '****',
              actual: '****',
            },
          ],
        },
      ],
    });
    expect(response.text).not.toMatch(/expected-pw-1|actual-pw-2/);
  });

  it('runs a detection for the owner, waits for it and answers IN_SYNC', async () => {
    mockStackDrift('NOT_CHECKED');
    mockDetection('DETECTION_COMPLETE');
    const { server } = await startPluginBackend();
    // After the detection CloudFormation reports the new status.
    cfn.on(DetectStackDriftCommand).callsFake(() => {
      mockStackDrift('IN_SYNC', [
        {
          StackId: STACK_ID,
          LogicalResourceId: 'Database',
          PhysicalResourceId: 'db',
          ResourceType: 'AWS::RDS::DBInstance',
          StackResourceDriftStatus: 'IN_SYNC',
          Timestamp: CHECKED,
        },
      ]);
      return { StackDriftDetectionId: 'detection-1' };
    });

    const response = await request(server)
      .post(`${ROUTE}/detect`)
      .set('Authorization', as(OWNER));

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'available',
      canDetect: true,
      drift: {
        status: 'IN_SYNC',
        resources: [
          { logicalId: 'Database', status: 'IN_SYNC', differences: [] },
        ],
        detection: {
          id: 'detection-1',
          status: 'DETECTION_COMPLETE',
          driftedResources: 0,
        },
      },
    });
    expect(cfn.commandCalls(DetectStackDriftCommand)[0].args[0].input).toEqual({
      StackName: STACK_ID,
    });
    expect(
      cfn.commandCalls(DescribeStackDriftDetectionStatusCommand).length,
    ).toBeGreaterThanOrEqual(2);
    // The cache holds the new result: a reader sees it without another detection.
    const read = await request(server)
      .get(ROUTE)
      .set('Authorization', as(NON_OWNER));
    expect(read.body.drift.status).toBe('IN_SYNC');
  }, 15_000);

  it('tells when detection failed, in CloudFormation words', async () => {
    mockStackDrift('UNKNOWN');
    mockDetection(
      'DETECTION_FAILED',
      'Failed to detect drift on resource [Database]: access denied for rds:DescribeDBInstances',
    );
    const { server } = await startPluginBackend();

    const response = await request(server)
      .post(`${ROUTE}/detect`)
      .set('Authorization', as(OWNER));

    expect(response.body.drift.detection).toEqual({
      id: 'detection-1',
      status: 'DETECTION_FAILED',
      reason:
        'Failed to detect drift on resource [Database]: access denied for rds:DescribeDBInstances',
      driftedResources: 0,
    });
  }, 15_000);

  it('refuses the detection to a non-owner (403) and starts nothing', async () => {
    mockStackDrift('IN_SYNC');
    mockDetection('DETECTION_COMPLETE');
    const { server, authorize } = await startPluginBackend();

    const response = await request(server)
      .post(`${ROUTE}/detect`)
      .set('Authorization', as(NON_OWNER));

    expect(response.status).toBe(403);
    expect(response.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        'Only the owners of component:default/payments may check its stack for drift (permission cloudformation.stack.drift.detect).',
    });
    expect(authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'cloudformation.stack.drift.detect',
            resourceType: 'catalog-entity',
          }),
          resourceRef: 'component:default/payments',
        },
      ],
      { credentials: mockCredentials.user(NON_OWNER) },
    );
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
  });

  it('refuses unauthenticated callers', async () => {
    const { server } = await startPluginBackend();

    const response = await request(server)
      .post(`${ROUTE}/detect`)
      .set('Authorization', mockCredentials.none.header());

    expect(response.status).toBe(401);
  });

  it('says what to allow when AWS denies the detection', async () => {
    mockStackDrift('IN_SYNC');
    cfn
      .on(DetectStackDriftCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User backstage is not authorized to perform cloudformation:DetectStackDrift',
        ),
      );
    const { server } = await startPluginBackend();

    const response = await request(server)
      .post(`${ROUTE}/detect`)
      .set('Authorization', as(OWNER));

    expect(response.body).toEqual({
      status: 'unavailable',
      reason: 'access-denied',
      message: expect.stringContaining(
        'allow cloudformation:DescribeStacks and DescribeStackResourceDrifts to read drift, and DetectStackDrift',
      ),
    });
    expect(response.text).not.toContain('User backstage');
  });
});
