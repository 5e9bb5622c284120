import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { createAwsCloudFormationDeleteAction } from '../actions/delete';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';

jest.setTimeout(30_000);

const ACCOUNT = '123456789012';
const ENTITY = 'component:default/orders';
const MUTATING = [
  'DeleteStack',
  'UpdateTerminationProtection',
  'CreateChangeSet',
  'ExecuteChangeSet',
  'DeleteChangeSet',
  'CancelUpdateStack',
];
// The golden path's shape in small: what a teardown deletes, snapshots and keeps.
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Key:
    Type: AWS::KMS::Key
    DeletionPolicy: Retain
  Secret:
    Type: AWS::SecretsManager::Secret
    DeletionPolicy: Retain
  Database:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    Properties:
      DBInstanceIdentifier: orders-db
  Images:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: orders
  Service:
    Type: AWS::ECS::Service
`;

let fake: FakeCloudFormation;
const savedEnv = { ...process.env };

beforeEach(async () => {
  fake = await FakeCloudFormation.start();
  // The action passes no endpoint: the SDK must pick this up itself.
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = fake.url;
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await fake.stop();
});

function existing(
  overrides: {
    tags?: Record<string, string>;
    status?: string;
    terminationProtection?: boolean;
  } = {},
) {
  return {
    status: overrides.status ?? 'CREATE_COMPLETE',
    tags: overrides.tags ?? { [TAG_ENTITY_REF]: ENTITY },
    templateBody: TEMPLATE,
    terminationProtection: overrides.terminationProtection,
  };
}

type RunOptions = {
  input?: Record<string, unknown>;
  isDryRun?: boolean;
  checkpoints?: Map<string, unknown>;
  signal?: AbortSignal;
  allowed?: boolean;
};

function run(options: RunOptions = {}) {
  const config = new ConfigReader({
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
      },
    },
  });
  const permissions = {
    authorize: jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({
        result:
          options.allowed === false
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    ),
    authorizeConditional: jest.fn(),
  } as unknown as PermissionsService;
  const action = createAwsCloudFormationDeleteAction({
    config,
    credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
    permissions,
    timings: { initialPollMs: 5, maxPollMs: 20, heartbeatMs: 60_000 },
  });
  const logger = mockServices.logger.mock();
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const ctx = {
    ...createMockActionContext({
      input: { stackName: 'orders', entityRef: ENTITY, ...options.input },
      logger,
    }),
    isDryRun: options.isDryRun,
    signal: options.signal,
    // Like the scaffolder's: a value stored once is handed back to a recovered task.
    async checkpoint<T>({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<T>;
    }): Promise<T> {
      if (!checkpoints.has(key)) {
        checkpoints.set(key, await fn());
      }
      return checkpoints.get(key) as T;
    },
  };
  const log = () =>
    [...logger.info.mock.calls, ...logger.warn.mock.calls]
      .map(call => String(call[0]))
      .join('\n');
  const outputs = () =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  return { result: action.handler(ctx as never), log, outputs, permissions };
}

const mutatingCalls = () =>
  fake.calls
    .filter(call => MUTATING.includes(call.action))
    .map(call => call.action);

describe('aws:cloudformation:delete against the scripted CloudFormation endpoint', () => {
  it('deletes an owned stack, streaming events with progress, and says what it keeps', async () => {
    fake.scenario('orders', { existing: existing() });
    const { result, log, outputs } = run();
    await result;

    expect(fake.stack('orders')!.status).toBe('DELETE_COMPLETE');
    expect(outputs()).toMatchObject({
      stackStatus: 'DELETE_COMPLETE',
      deleted: true,
      deletedResources: ['Images', 'Service'],
      snapshots: [
        {
          logicalResourceId: 'Database',
          physicalResourceId: 'orders-db',
          note: expect.stringContaining(
            'final snapshot of DB instance orders-db',
          ),
        },
      ],
      retainedResources: [
        { logicalResourceId: 'Key', resourceType: 'AWS::KMS::Key' },
        {
          logicalResourceId: 'Secret',
          resourceType: 'AWS::SecretsManager::Secret',
        },
      ],
    });
    expect(log()).toContain('  retain    Key (AWS::KMS::Key');
    expect(log()).toContain(
      'DELETE_SKIPPED Secret (AWS::SecretsManager::Secret)',
    );
    expect(log()).toContain('DELETE_COMPLETE Database (AWS::RDS::DBInstance)');
    expect(log()).toContain('Progress: 5 of 5 resources complete');
    expect(log()).toMatch(/Stack orders is DELETE_COMPLETE\. Kept: .*Database/);
    expect(mutatingCalls()).toEqual(['DeleteStack']);
  });

  it('names the resource that blocks a DELETE_FAILED and what to do, and a retry retaining it finishes', async () => {
    fake.scenario('orders', {
      existing: existing(),
      deleteFailure: {
        logicalId: 'Images',
        reason:
          "Resource handler returned message: \"The repository with name 'orders' in registry with id '123456789012' cannot be deleted because it still contains images\"",
      },
    });
    const error = await run().result.catch(e => e);

    expect(error.message).toContain(
      'Deleting stack orders failed: Images (AWS::ECR::Repository) failed to delete',
    );
    expect(error.message).toContain('still contains images');
    expect(error.message).toContain(
      'aws ecr batch-delete-image --repository-name orders',
    );
    expect(error.message).toContain('retainResources: [Images]');
    expect(fake.stack('orders')!.status).toBe('DELETE_FAILED');

    const retry = run({ input: { retainResources: ['Images'] } });
    await retry.result;
    expect(fake.stack('orders')!.status).toBe('DELETE_COMPLETE');
    expect(retry.outputs().retainedResources).toContainEqual({
      logicalResourceId: 'Images',
      physicalResourceId: 'orders',
      resourceType: 'AWS::ECR::Repository',
    });
  });

  it('explains a delete blocked by an export another stack imports', async () => {
    fake.scenario('orders', {
      existing: existing(),
      deleteFailure: {
        reason:
          'Export orders-VpcId cannot be deleted as it is in use by billing',
      },
    });
    const error = await run().result.catch(e => e);

    expect(error.message).toContain(
      'Stack orders failed (DELETE_FAILED): Export orders-VpcId cannot be deleted as it is in use by billing.',
    );
    expect(error.message).toContain(
      'Stack billing imports orders-VpcId from this stack',
    );
  });

  it('refuses a stack with termination protection, says how to turn it off, and changes nothing', async () => {
    fake.scenario('orders', {
      existing: existing({ terminationProtection: true }),
    });
    const error = await run().result.catch(e => e);

    expect(error.message).toContain('termination protection on');
    expect(error.message).toContain(
      'aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name orders',
    );
    expect(mutatingCalls()).toEqual([]);
    expect(fake.stack('orders')!.status).toBe('CREATE_COMPLETE');
  });

  it.each([
    [
      'another entity',
      { [TAG_ENTITY_REF]: 'component:default/billing' },
      'belongs to component:default/billing',
    ],
    ['no owner', {}, 'was not created by Backstage'],
  ])('refuses a stack owned by %s, untouched', async (_name, tags, message) => {
    fake.scenario('orders', { existing: existing({ tags }) });
    const error = await run().result.catch(e => e);

    expect(error.message).toContain(message);
    expect(mutatingCalls()).toEqual([]);
    expect(fake.stack('orders')!.status).toBe('CREATE_COMPLETE');
  });

  it('resumes a deletion interrupted by a crash: watches the same operation, deletes once', async () => {
    fake.scenario('orders', { existing: existing(), stepMs: 150 });
    const checkpoints = new Map<string, unknown>();
    const crash = new AbortController();
    const first = run({ checkpoints, signal: crash.signal });
    // The backend dies once CloudFormation took the delete, mid-way through it.
    const deleteSent = setInterval(() => {
      if (fake.callsFor('orders', 'DeleteStack').length > 0) {
        crash.abort();
      }
    }, 5);
    await first.result.catch(() => undefined);
    clearInterval(deleteSent);
    expect(fake.stack('orders')!.status).toBe('DELETE_IN_PROGRESS');

    const recovered = run({ checkpoints });
    await recovered.result;

    expect(recovered.log()).toContain(
      'Resuming after a restart: the deletion of stack orders was requested at',
    );
    expect(fake.stack('orders')!.status).toBe('DELETE_COMPLETE');
    expect(fake.callsFor('orders', 'DeleteStack')).toHaveLength(1);
    expect(recovered.outputs()).toMatchObject({
      deleted: true,
      stackStatus: 'DELETE_COMPLETE',
    });
  });

  it('dry run: prints what would be deleted, snapshotted and retained with read calls only', async () => {
    fake.scenario('orders', { existing: existing() });
    const { result, log, outputs } = run({ isDryRun: true });
    await result;

    expect(new Set(fake.calls.map(call => call.action))).toEqual(
      new Set(['DescribeStacks', 'GetTemplate', 'ListStackResources']),
    );
    expect(fake.stack('orders')!.status).toBe('CREATE_COMPLETE');
    expect(log()).toContain('Dry run: nothing is deleted.');
    expect(log()).toContain('  delete    Service (AWS::ECS::Service');
    expect(log()).toContain(
      '  snapshot  Database (AWS::RDS::DBInstance, orders-db; DeletionPolicy: Snapshot)',
    );
    expect(outputs()).toMatchObject({
      deleted: false,
      stackStatus: 'CREATE_COMPLETE',
      deletedResources: ['Images', 'Service'],
    });
  });

  it("plans from the stack's template when its live resources cannot be listed", async () => {
    fake.scenario('orders', { existing: existing() });
    fake.resetConnections(10, 'ListStackResources');
    const { result, log, outputs } = run({ isDryRun: true });
    await result;

    expect(log()).toContain(
      'Could not list the live resources of stack orders',
    );
    expect(outputs()).toMatchObject({
      deletedResources: ['Images', 'Service'],
      snapshots: [expect.objectContaining({ logicalResourceId: 'Database' })],
    });
  });

  it('refuses an initiator without cloudformation.stack.retire before any AWS call', async () => {
    fake.scenario('orders', { existing: existing() });
    const { result, permissions } = run({ allowed: false });
    const error = await result.catch(e => e);

    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toContain(
      'Only the owners of component:default/orders may retire it',
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'cloudformation.stack.retire',
          }),
          resourceRef: ENTITY,
        },
      ],
      { credentials: expect.anything() },
    );
    expect(fake.calls).toEqual([]);
  });

  it('succeeds with nothing to do when the stack is already gone', async () => {
    const { result, outputs } = run();
    await result;
    expect(outputs()).toMatchObject({
      stackStatus: 'NOT_FOUND',
      deleted: false,
    });
    expect(mutatingCalls()).toEqual([]);
  });
});
