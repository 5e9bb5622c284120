import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { describeStoppedTasks } from './ecsStoppedTasks';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'eu-west-1' });
const failed = {
  StackId: 's',
  EventId: 'e',
  StackName: 'shop',
  LogicalResourceId: 'Service',
  ResourceType: 'AWS::ECS::Service',
  Timestamp: new Date(),
};

beforeEach(() => ecsMock.reset());
afterAll(() => ecs.destroy());

describe('describeStoppedTasks', () => {
  it('reads the cluster and service from the service ARN and groups the stop reasons', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: ['t1', 't2', 't3'] });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          stoppedReason: 'ResourceInitializationError: unable to pull secrets',
        },
        {
          stoppedReason: 'ResourceInitializationError: unable to pull secrets',
        },
        {
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'app', reason: 'OutOfMemoryError' }],
        },
      ],
    });

    const reason = await describeStoppedTasks(ecs, {
      ...failed,
      PhysicalResourceId:
        'arn:aws:ecs:eu-west-1:123456789012:service/main/shop',
    });

    expect(
      ecsMock.commandCalls(ListTasksCommand)[0].args[0].input,
    ).toMatchObject({
      cluster: 'main',
      serviceName: 'shop',
      desiredStatus: 'STOPPED',
    });
    expect(reason).toBe(
      'ResourceInitializationError: unable to pull secrets (2 of 3 stopped tasks) | ' +
        'Essential container in task exited; container app: OutOfMemoryError (1 of 3 stopped tasks)',
    );
  });

  it('takes the cluster from the resource properties for old-format service ARNs', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });

    const reason = await describeStoppedTasks(ecs, {
      ...failed,
      PhysicalResourceId: 'arn:aws:ecs:eu-west-1:123456789012:service/shop',
      ResourceProperties: JSON.stringify({
        Cluster: 'main',
        ServiceName: 'shop',
      }),
    });

    expect(reason).toBeUndefined();
    expect(
      ecsMock.commandCalls(ListTasksCommand)[0].args[0].input,
    ).toMatchObject({ cluster: 'main', serviceName: 'shop' });
  });

  it('does not guess when it cannot tell the service', async () => {
    expect(
      await describeStoppedTasks(ecs, { ...failed, PhysicalResourceId: '' }),
    ).toBeUndefined();
    expect(ecsMock.calls()).toHaveLength(0);
  });
});
