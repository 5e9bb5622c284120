import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { cloudFormationPlugin } from '../plugin';

const ACCOUNT = '123456789012';
const cfn = mockClient(CloudFormationClient);

describe('GET /service-names/:name', () => {
  let repositories: string;

  beforeAll(async () => {
    repositories = await mkdtemp(path.join(tmpdir(), 'service-names-'));
    await mkdir(path.join(repositories, 'ledger-api'));
  });
  afterAll(() => rm(repositories, { recursive: true, force: true }));
  beforeEach(() => {
    cfn.reset();
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id x does not exist'), {
        name: 'ValidationError',
      }),
    );
  });

  async function startBackend() {
    const { server } = await startTestBackend({
      features: [
        cloudFormationPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'payments-api', namespace: 'default' },
              spec: {
                type: 'service',
                owner: 'team-a',
                lifecycle: 'production',
              },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            scaffolder: { localPublish: { rootDirectory: repositories } },
            aws: {
              accounts: [
                {
                  accountId: ACCOUNT,
                  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
                  secretAccessKey: 'not-a-real-secret',
                },
              ],
              cloudformation: {
                allowedAccountIds: [ACCOUNT],
                allowedRegions: ['us-east-1'],
              },
            },
          },
        }),
      ],
    });
    return server;
  }

  const check = async (name: string, query: Record<string, string> = {}) =>
    request(await startBackend())
      .get(`/api/cloudformation/service-names/${name}`)
      .query(query);

  it('answers available when no component, repository or stack has the name', async () => {
    const response = await check('orders-api', {
      stackName: 'orders-api-dev',
      accountId: ACCOUNT,
      region: 'us-east-1',
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      name: 'orders-api',
      available: true,
      takenBy: [],
      unchecked: [],
    });
    expect(cfn.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({
      StackName: 'orders-api-dev',
    });
  });

  it('names a catalog component of that name', async () => {
    const { body } = await check('payments-api');

    expect(body.available).toBe(false);
    expect(body.takenBy).toEqual([
      {
        use: 'catalog',
        message: 'The catalog already has a component named payments-api.',
      },
    ]);
    // No stack name or region: stacks are not asked about.
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  it('names a locally published repository of that name', async () => {
    const { body } = await check('ledger-api');

    expect(body.takenBy).toEqual([
      {
        use: 'repository',
        message: 'A local repository named ledger-api already exists.',
      },
    ]);
  });

  it('names a stack of that name in the chosen account and region, with its status', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'orders-api-dev',
          StackStatus: 'REVIEW_IN_PROGRESS',
          CreationTime: new Date(),
        },
      ],
    });

    const { body } = await check('orders-api', {
      stackName: 'orders-api-dev',
      accountId: ACCOUNT,
      region: 'us-east-1',
    });

    expect(body.takenBy).toEqual([
      {
        use: 'stack',
        message: `Stack orders-api-dev already exists in us-east-1 of account ${ACCOUNT} (REVIEW_IN_PROGRESS).`,
      },
    ]);
  });

  it('says what it could not check, without calling AWS outside the allowlist', async () => {
    const { body } = await check('orders-api', {
      stackName: 'orders-api-dev',
      accountId: ACCOUNT,
      region: 'eu-west-3',
    });

    expect(body.available).toBe(true);
    expect(body.unchecked).toEqual([
      {
        use: 'stack',
        message:
          `Could not check for stack orders-api-dev in eu-west-3 of account ${ACCOUNT}: ` +
          'Region eu-west-3 is not in aws.cloudformation.allowedRegions; add it there to show its stacks.',
      },
    ]);
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  it('refuses a malformed name with the rule in words, never a regular expression', async () => {
    const response = await check('Orders--API');

    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      'The name Orders--API is not allowed: use 2 to 28 characters: lowercase letters, digits and single hyphens, ' +
        'starting with a letter and ending with a letter or digit.',
    );
  });

  it('refuses anonymous callers', async () => {
    const response = await request(await startBackend())
      .get('/api/cloudformation/service-names/orders-api')
      .set('authorization', 'Bearer not-a-token');

    expect(response.status).toBe(401);
  });
});
