import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createAwsCloudFormationDeployAction } from '../actions/deploy';
import {
  startMotoServer,
  type MotoServer,
} from '@golden-path/plugin-cloudformation-node/testUtils';

jest.setTimeout(60_000);

// moto's default account.
const ACCOUNT = '123456789012';
// Small but real: moto creates these resources. (moto wants AWSTemplateFormatVersion for some calls.)
const template = (suffix: string) => `AWSTemplateFormatVersion: '2010-09-09'
Description: Golden path smoke stack
Parameters:
  Env:
    Type: String
Resources:
  Assets:
    Type: AWS::S3::Bucket
    Metadata:
      backstage:description: Static assets
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub '/smoke/\${Env}/setting'
      Type: String
      Value: !Sub 'configured-${suffix}'
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/smoke/\${Env}'
      RetentionInDays: 7
Outputs:
  BucketName:
    Value: !Ref Assets
`;

const mockDir = createMockDirectory();
let moto: MotoServer;
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMotoServer();
  process.env.AWS_ENDPOINT_URL = moto.url;
});

afterAll(async () => {
  process.env = { ...savedEnv };
  await moto?.stop();
});

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
      allowedRegions: ['us-east-1'],
    },
  },
});

async function deploy(templateBody: string, env: string) {
  mockDir.setContent({ infra: { 'template.yaml': templateBody } });
  const action = createAwsCloudFormationDeployAction({
    config,
    credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
    timings: { initialPollMs: 20, maxPollMs: 100 },
  });
  const ctx = createMockActionContext({
    input: {
      stackName: 'golden-smoke',
      templatePath: 'infra/template.yaml',
      entityRef: 'component:default/golden-smoke',
      region: 'us-east-1',
      parameters: { Env: env },
      tags: { team: 'platform' },
    },
    workspacePath: mockDir.path,
    logger: mockServices.logger.mock(),
  });
  await action.handler(ctx);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('aws:cloudformation:deploy against moto_server', () => {
  it('creates, updates and re-deploys a stack, reading its outputs back', async () => {
    const created = await deploy(template('v1'), 'dev');

    expect(created).toMatchObject({
      stackStatus: 'CREATE_COMPLETE',
      changed: true,
      region: 'us-east-1',
      accountId: ACCOUNT,
    });
    expect(created.stackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:123456789012:stack\/golden-smoke\//,
    );

    const client = new CloudFormationClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
    });
    try {
      const { Stacks = [] } = await client.send(
        new DescribeStacksCommand({ StackName: created.stackId }),
      );
      // moto gives stacks made from change sets no Outputs; whatever it reports, the action reports.
      expect(created.outputs).toEqual(
        Object.fromEntries(
          (Stacks[0].Outputs ?? []).map(output => [
            output.OutputKey,
            output.OutputValue,
          ]),
        ),
      );
      expect(Stacks[0].Tags).toEqual(
        expect.arrayContaining([
          {
            Key: 'backstage:entity-ref',
            Value: 'component:default/golden-smoke',
          },
          { Key: 'team', Value: 'platform' },
        ]),
      );
      const { StackResources = [] } = await client.send(
        new DescribeStackResourcesCommand({ StackName: created.stackId }),
      );
      expect(
        StackResources.map(resource => resource.ResourceType).sort(),
      ).toEqual([
        'AWS::Logs::LogGroup',
        'AWS::S3::Bucket',
        'AWS::SSM::Parameter',
      ]);
      expect(
        StackResources.every(resource => resource.PhysicalResourceId),
      ).toBe(true);
    } finally {
      client.destroy();
    }

    const updated = await deploy(template('v2'), 'dev');
    expect(updated).toMatchObject({
      stackId: created.stackId,
      stackStatus: 'UPDATE_COMPLETE',
      changed: true,
    });

    const unchanged = await deploy(template('v2'), 'dev');
    expect(unchanged).toMatchObject({
      stackId: created.stackId,
      stackStatus: 'UPDATE_COMPLETE',
      changed: false,
    });
  });
});
