import request from 'supertest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudFormationClient,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { STACK, STACK_ID, startPluginBackend } from './testFixtures';

const ROUTE = '/api/cloudformation/drift/by-entity/component/default/payments';

const cfn = mockClient(CloudFormationClient);

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('cache lifetimes from config', () => {
  beforeEach(() => {
    cfn.reset();
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: STACK,
          StackId: STACK_ID,
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(0),
          DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
        },
      ],
    });
    cfn.on(DescribeStackResourceDriftsCommand).resolves({});
  });

  it('reads AWS again once a configured lifetime has passed', async () => {
    const { server } = await startPluginBackend({
      config: { cloudformation: { cache: { driftSeconds: 1 } } },
    });

    expect((await request(server).get(ROUTE)).status).toBe(200);
    await request(server).get(ROUTE);
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);

    await sleep(1_500);
    expect((await request(server).get(ROUTE)).status).toBe(200);
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(2);
  });

  it('keeps the answer past that time by default (30 s)', async () => {
    const { server } = await startPluginBackend();

    await request(server).get(ROUTE);
    await sleep(1_500);
    expect((await request(server).get(ROUTE)).status).toBe(200);
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
  });

  it('does not start with a lifetime that is not above 0', async () => {
    await expect(
      startPluginBackend({
        config: { cloudformation: { cache: { stackSeconds: 0 } } },
      }),
    ).rejects.toThrow(
      /cloudformation\.cache\.stackSeconds must be a number of seconds above 0/,
    );
  });
});
