import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createAwsCloudFormationDeployAction } from '../actions/deploy';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';

jest.setTimeout(30_000);

const ACCOUNT = '123456789012';
const PASSWORD = 'Tr0ub4dor-and-3';
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
Resources:
  Secret:
    Type: AWS::SecretsManager::Secret
    Metadata:
      backstage:description: Database credentials
  Service:
    Type: AWS::ECS::Service
Outputs:
  SecretArn:
    Value: !Ref Secret
  Leaked:
    Value: !Ref DbPassword
`;

const mockDir = createMockDirectory({
  content: { infra: { 'template.yaml': TEMPLATE } },
});
let fake: FakeCloudFormation;
const savedEnv = { ...process.env };

beforeEach(async () => {
  fake = await FakeCloudFormation.start({ describeEvents: true });
  // The action passes no endpoint: the SDK must pick these up itself.
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = fake.url;
  process.env.AWS_ENDPOINT_URL_ECS = fake.url;
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await fake.stop();
});

function run(input: Record<string, unknown> = {}) {
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
  const action = createAwsCloudFormationDeployAction({
    config,
    credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
    timings: { initialPollMs: 5, maxPollMs: 20, heartbeatMs: 60_000 },
  });
  const logger = mockServices.logger.mock();
  const ctx = createMockActionContext({
    input: {
      stackName: 'orders',
      templatePath: 'infra/template.yaml',
      entityRef: 'component:default/orders',
      parameters: { DbPassword: PASSWORD },
      ...input,
    },
    workspacePath: mockDir.path,
    logger,
  });
  const log = () =>
    [...logger.info.mock.calls, ...logger.warn.mock.calls]
      .map(call => String(call[0]))
      .join('\n');
  const outputs = () =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  return { result: action.handler(ctx), log, outputs };
}

describe('aws:cloudformation:deploy through the SDK endpoint environment variables', () => {
  it('deploys to the endpoint named by AWS_ENDPOINT_URL_CLOUDFORMATION and outputs the stack outputs', async () => {
    const { result, log, outputs } = run();
    await result;

    const stack = fake.stack('orders')!;
    expect(outputs()).toMatchObject({
      stackId: stack.id,
      stackStatus: 'CREATE_COMPLETE',
      SecretArn: stack.outputs.SecretArn,
      Leaked: '****',
    });
    expect(fake.callsFor('orders').map(call => call.action)).toEqual(
      expect.arrayContaining([
        'DescribeStacks',
        'CreateChangeSet',
        'DescribeChangeSet',
        'ExecuteChangeSet',
        'DescribeStackEvents',
      ]),
    );
    expect(log()).toContain(
      'CREATE_COMPLETE Secret (AWS::SecretsManager::Secret, "Database credentials")',
    );
    expect(log()).not.toContain(PASSWORD);
    expect(JSON.stringify(outputs())).not.toContain(PASSWORD);
  });

  it('fails with the root cause and the ECS stopped reason, without the secret', async () => {
    fake.scenario('orders', {
      failure: {
        logicalId: 'Service',
        reason: `Service did not stabilize (env DB_PASSWORD=${PASSWORD})`,
      },
      stoppedTaskReason:
        'ResourceInitializationError: unable to pull secrets or registry auth: AccessDeniedException',
    });
    const { result, log } = run();

    const error = await result.catch(e => e);

    expect(error.message).toContain(
      'Service (AWS::ECS::Service) failed to create: Service did not stabilize (env DB_PASSWORD=****)',
    );
    expect(error.message).toContain(
      'Its tasks stopped: ResourceInitializationError: unable to pull secrets',
    );
    expect(`${error.message}\n${error.stack}\n${log()}`).not.toContain(
      PASSWORD,
    );
  });
});
