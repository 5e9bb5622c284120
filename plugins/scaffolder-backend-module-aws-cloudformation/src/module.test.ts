import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { awsCloudFormationModule } from './module';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';

jest.setTimeout(30_000);

const ACCOUNT = '123456789012';
const ENTITY = 'component:default/orders';
const TEMPLATE = `Resources:
  Queue:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
`;

const workspace = createMockDirectory({
  content: { infra: { 'template.yaml': TEMPLATE } },
});
let fake: FakeCloudFormation;
const savedEnv = { ...process.env };

beforeEach(async () => {
  fake = await FakeCloudFormation.start();
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = fake.url;
  process.env.AWS_ENDPOINT_URL_ECS = fake.url;
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await fake.stop();
});

type Action = {
  id: string;
  handler: (ctx: ReturnType<typeof createMockActionContext>) => Promise<void>;
};

// The module's actions, started in a backend with this `aws.cloudformation.timings`.
async function actionsWith(timings?: Record<string, number>) {
  const addActions = jest.fn();
  const backend = await startTestBackend({
    extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
    features: [
      awsCloudFormationModule,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: {
          aws: {
            accounts: [
              {
                accountId: ACCOUNT,
                accessKeyId: 'AKIDEXAMPLE',
                secretAccessKey: 'not-a-real-secret',
              },
            ],
            cloudformation: {
              allowedAccountIds: [ACCOUNT],
              defaultRegion: 'us-east-1',
              ...(timings ? { timings } : {}),
            },
          },
        },
      }),
    ],
  });
  const actions = addActions.mock.calls.flat() as Action[];
  const byId = (id: string) => actions.find(action => action.id === id)!;
  return { byId, stop: () => backend.stop() };
}

function heartbeats(logger: ReturnType<typeof mockServices.logger.mock>) {
  return logger.info.mock.calls
    .map(call => String(call[0]))
    .filter(line => line.startsWith('Still '));
}

describe('awsCloudFormationModule', () => {
  it('adds the four actions', async () => {
    const { byId, stop } = await actionsWith();
    for (const id of [
      'aws:cloudformation:validate',
      'aws:cloudformation:deploy',
      'aws:cloudformation:delete',
      'catalog:entities:remove',
    ]) {
      expect(byId(id)).toBeDefined();
    }
    await stop();
  });

  it('hands aws.cloudformation.timings to the deploy engine', async () => {
    // Resources take 200 ms each; a 40 ms heartbeat (the default is 30 s) shows between them.
    fake.scenario('orders', { stepMs: 200 });
    const { byId, stop } = await actionsWith({
      initialPollMs: 5,
      maxPollMs: 10,
      heartbeatMs: 40,
    });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: {
        stackName: 'orders',
        templatePath: 'infra/template.yaml',
        entityRef: ENTITY,
      },
      workspacePath: workspace.path,
      logger,
    });

    await byId('aws:cloudformation:deploy').handler(ctx);

    expect(fake.stack('orders')?.status).toBe('CREATE_COMPLETE');
    expect(heartbeats(logger)[0]).toMatch(
      /^Still working on stack orders: CREATE_IN_PROGRESS for /,
    );
    await stop();
  });

  it('hands aws.cloudformation.timings to the delete engine', async () => {
    fake.scenario('orders', {
      existing: {
        status: 'CREATE_COMPLETE',
        tags: { [TAG_ENTITY_REF]: ENTITY },
        templateBody: TEMPLATE,
      },
      stepMs: 200,
    });
    const { byId, stop } = await actionsWith({
      initialPollMs: 5,
      maxPollMs: 10,
      heartbeatMs: 40,
    });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: { stackName: 'orders', entityRef: ENTITY },
      logger,
    });

    await byId('aws:cloudformation:delete').handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('stackStatus', 'DELETE_COMPLETE');
    expect(heartbeats(logger)[0]).toMatch(
      /^Still deleting stack orders: DELETE_IN_PROGRESS for /,
    );
    await stop();
  });

  it('refuses to start with a timing out of range', async () => {
    await expect(actionsWith({ pollBackoff: 0.5 })).rejects.toThrow(
      'aws.cloudformation.timings.pollBackoff must be at least 1, got 0.5',
    );
  });
});
