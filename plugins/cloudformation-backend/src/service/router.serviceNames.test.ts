import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderServiceRef,
  type ScaffolderService,
} from '@backstage/plugin-scaffolder-node';
import { cloudFormationPlugin } from '../plugin';

const ACCOUNT = '123456789012';
const cfn = mockClient(CloudFormationClient);

describe('GET /service-names/:name', () => {
  let repositories: string;

  /** How the scaffolder says the task that published a repository ended, by task id. */
  const tasks: Record<string, { status: string; createdBy?: string }> = {};

  beforeAll(async () => {
    repositories = await mkdtemp(path.join(tmpdir(), 'service-names-'));
    await mkdir(path.join(repositories, 'ledger-api'));
    // Published by task-1 for billing-api; what became of task-1 is up to each test.
    await mkdir(path.join(repositories, 'billing-api'));
    await writeFile(
      path.join(repositories, 'billing-api', 'backstage-publish-key'),
      '{"key":"task-1/publish-local","taskId":"task-1","entityRef":"component:default/billing-api"}\n',
    );
  });
  afterAll(() => rm(repositories, { recursive: true, force: true }));
  beforeEach(() => {
    for (const id of Object.keys(tasks)) delete tasks[id];
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
        // Local repositories' URLs under http://localhost:0, as in the Component's location below.
        mockServices.discovery.factory(),
        createServiceFactory({
          service: scaffolderServiceRef,
          deps: {},
          factory: () =>
            ({
              getTask: async ({ taskId }: { taskId: string }) => {
                const task = tasks[taskId];
                if (!task) throw new Error(`Task ${taskId} does not exist`);
                return {
                  id: taskId,
                  status: task.status,
                  spec: { user: { ref: task.createdBy } },
                };
              },
            }) as unknown as ScaffolderService,
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'billing-api',
                namespace: 'default',
                annotations: {
                  'backstage.io/managed-by-location':
                    'url:http://localhost:0/api/local-git/repos/billing-api/blob/main/catalog-info.yaml',
                },
              },
              spec: {
                type: 'service',
                owner: 'team-a',
                lifecycle: 'experimental',
              },
            },
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
      continues: [],
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

  describe("the caller's earlier run of the same service that did not finish", () => {
    const where = {
      stackName: 'billing-api-dev',
      accountId: ACCOUNT,
      region: 'us-east-1',
    };
    // The test backend's default caller.
    const caller = 'user:default/mock';
    const stackTaggedFor = (status: StackStatus, entityRef: string) =>
      cfn.on(DescribeStacksCommand).resolves({
        Stacks: [
          {
            StackName: 'billing-api-dev',
            StackStatus: status,
            CreationTime: new Date(),
            Tags: [{ Key: 'backstage:entity-ref', Value: entityRef }],
          },
        ],
      });

    it('does not take the name: its repository, component and stack are continued', async () => {
      tasks['task-1'] = { status: 'failed', createdBy: caller };
      stackTaggedFor('ROLLBACK_COMPLETE', 'component:default/billing-api');

      const { body } = await check('billing-api', where);

      expect(body).toEqual({
        name: 'billing-api',
        available: true,
        takenBy: [],
        unchecked: [],
        unfinishedRun: { taskId: 'task-1', status: 'failed' },
        continues: [
          {
            use: 'catalog',
            message: 'Its component billing-api in the catalog is refreshed.',
          },
          {
            use: 'repository',
            message:
              "Its local repository billing-api is kept and gets this run's files.",
          },
          {
            use: 'stack',
            message:
              'Its stack billing-api-dev (ROLLBACK_COMPLETE) is deployed again.',
          },
        ],
      });
    });

    it('still counts a stack tagged for another entity, or in a state the deploy does not continue, as taken', async () => {
      tasks['task-1'] = { status: 'failed', createdBy: caller };
      stackTaggedFor('CREATE_COMPLETE', 'component:default/billing-api');
      const settled = await check('billing-api', where);
      expect(settled.body.takenBy.map((t: { use: string }) => t.use)).toEqual([
        'stack',
      ]);

      stackTaggedFor('ROLLBACK_COMPLETE', 'component:default/someone-else');
      const foreign = await check('billing-api', where);
      expect(foreign.body.takenBy.map((t: { use: string }) => t.use)).toEqual([
        'stack',
      ]);
    });

    it.each([
      [
        'a finished service',
        { status: 'completed', createdBy: caller },
        // Taken as any finished service's name is; no reason needed.
        undefined,
      ],
      [
        "someone else's unfinished run",
        { status: 'failed', createdBy: 'user:default/bob' },
        'the earlier unfinished run was started by user:default/bob, not by user:default/mock',
      ],
      [
        'a run that is still going',
        { status: 'processing', createdBy: caller },
        'task task-1 is still creating it (processing); wait for that task to end',
      ],
    ])('takes the name for %s, saying why', async (_case, task, why) => {
      tasks['task-1'] = task;
      stackTaggedFor('ROLLBACK_COMPLETE', 'component:default/billing-api');

      const { body } = await check('billing-api', where);

      expect(body.available).toBe(false);
      expect(body.continues).toEqual([]);
      expect(body.unfinishedRun).toBeUndefined();
      expect(body.takenBy).toEqual([
        {
          use: 'catalog',
          message: 'The catalog already has a component named billing-api.',
        },
        {
          use: 'repository',
          message:
            'A local repository named billing-api already exists.' +
            (why
              ? ` It is not an unfinished run of yours to continue: ${why}.`
              : ''),
        },
        {
          use: 'stack',
          message: `Stack billing-api-dev already exists in us-east-1 of account ${ACCOUNT} (ROLLBACK_COMPLETE).`,
        },
      ]);
    });
  });
});
