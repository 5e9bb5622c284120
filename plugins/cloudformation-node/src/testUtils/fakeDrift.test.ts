import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { FakeCloudFormation } from './fakeCloudFormation';
import { FakeStackDrift } from './fakeDrift';

const TEMPLATE = `
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: orders-dev
  LogGroup:
    Type: AWS::Logs::LogGroup
  Cluster:
    Type: AWS::ECS::Cluster
`;

describe('FakeStackDrift over the AWS SDK', () => {
  let fake: FakeCloudFormation;
  let drift: FakeStackDrift;
  let client: CloudFormationClient;

  beforeEach(async () => {
    fake = await FakeCloudFormation.start();
    drift = new FakeStackDrift(fake);
    fake.scenario('orders-dev', {
      existing: { status: 'CREATE_COMPLETE', templateBody: TEMPLATE },
    });
    client = new CloudFormationClient({
      endpoint: fake.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
  });
  afterEach(async () => {
    client.destroy();
    await fake.stop();
  });

  const driftStatus = async () =>
    (await client.send(new DescribeStacksCommand({ StackName: 'orders-dev' })))
      .Stacks![0].DriftInformation;

  it('reports NOT_CHECKED, then a detection in progress, then what the scenario drifted', async () => {
    drift.script('orders-dev', {
      detectionMs: 200,
      resources: {
        Database: {
          status: 'MODIFIED',
          differences: [
            {
              path: '/DBInstanceClass',
              expected: 'db.t4g.micro',
              actual: 'db.m6g.large',
            },
          ],
        },
        LogGroup: { status: 'DELETED' },
      },
    });
    expect(await driftStatus()).toEqual({ StackDriftStatus: 'NOT_CHECKED' });

    const { StackDriftDetectionId } = await client.send(
      new DetectStackDriftCommand({ StackName: 'orders-dev' }),
    );
    const running = await client.send(
      new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }),
    );
    await new Promise(resolve => setTimeout(resolve, 250));
    const done = await client.send(
      new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }),
    );
    const { StackResourceDrifts } = await client.send(
      new DescribeStackResourceDriftsCommand({ StackName: 'orders-dev' }),
    );

    expect(running.DetectionStatus).toBe('DETECTION_IN_PROGRESS');
    expect(done).toMatchObject({
      DetectionStatus: 'DETECTION_COMPLETE',
      StackDriftStatus: 'DRIFTED',
      DriftedStackResourceCount: 2,
    });
    expect(await driftStatus()).toEqual({
      StackDriftStatus: 'DRIFTED',
      LastCheckTimestamp: expect.any(Date),
    });
    expect(
      StackResourceDrifts!.map(resource => [
        resource.LogicalResourceId,
        resource.StackResourceDriftStatus,
      ]),
    ).toEqual([
      ['Database', 'MODIFIED'],
      ['LogGroup', 'DELETED'],
      ['Cluster', 'IN_SYNC'],
    ]);
    expect(StackResourceDrifts![0].PropertyDifferences).toEqual([
      {
        PropertyPath: '/DBInstanceClass',
        ExpectedValue: 'db.t4g.micro',
        ActualValue: 'db.m6g.large',
        DifferenceType: 'NOT_EQUAL',
      },
    ]);
    expect(drift.detectionCount('orders-dev')).toBe(1);
  });

  it('ends a scripted failure DETECTION_FAILED with its reason, and refuses unknown stacks', async () => {
    drift.script('orders-dev', {
      detectionMs: 0,
      failure: 'Failed to detect drift on resource [Database]',
    });

    const { StackDriftDetectionId } = await client.send(
      new DetectStackDriftCommand({ StackName: 'orders-dev' }),
    );
    const done = await client.send(
      new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }),
    );

    expect(done).toMatchObject({
      DetectionStatus: 'DETECTION_FAILED',
      DetectionStatusReason: 'Failed to detect drift on resource [Database]',
    });
    await expect(
      client.send(new DetectStackDriftCommand({ StackName: 'missing' })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
