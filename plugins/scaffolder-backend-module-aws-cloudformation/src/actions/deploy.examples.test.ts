import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { mockClient } from 'aws-sdk-client-mock';
import yaml from 'yaml';
import { createAwsCloudFormationDeployAction } from './deploy';
import { examples } from './deploy.examples';

const ACCOUNT = '123456789012';
const T0 = new Date('2024-05-01T10:00:00.000Z');
const TEMPLATE = `Parameters:
  ContainerImage:
    Type: String
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
`;
// What the template expressions of the examples evaluate to in a task; a whole-string
// expression keeps its value's type, as the scaffolder's templating does.
const VALUES: Record<string, unknown> = {
  'steps.generate.output.stackName': 'payments-prod',
  'steps.generate.output.templatePath': 'infra/template.yaml',
  'steps.generate.output.parameters': { ContainerImage: 'payments:1.4.2' },
  'steps.generate.output.capabilities': ['CAPABILITY_IAM'],
  'parameters.name': 'payments',
};

function valueOf(expression: string): unknown {
  if (!(expression in VALUES)) {
    throw new Error(`no value for the example's expression ${expression}`);
  }
  return VALUES[expression];
}

function render(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const whole = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(value);
  if (whole) {
    return valueOf(whole[1]);
  }
  return value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_whole, expression) =>
    String(valueOf(expression)),
  );
}

type DeployInput = {
  stackName: string;
  templatePath: string;
  entityRef: string;
  parameters?: Record<string, string>;
  capabilities?: string[];
  tags?: Record<string, string>;
  roleArn?: string;
  onFailure?: string;
  terminationProtection?: boolean;
  execute?: boolean;
};

const cloudFormation = mockClient(CloudFormationClient);
const mockDir = createMockDirectory();

/** A stack that does not exist yet, created by one change set adding the cluster. */
function givenNewStack(input: DeployInput) {
  const stackId = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${input.stackName}/1`;
  const stack = (status: string) => ({
    StackId: stackId,
    StackName: input.stackName,
    StackStatus: status as never,
    CreationTime: T0,
    Tags: [{ Key: TAG_ENTITY_REF, Value: input.entityRef }],
  });
  const event = (
    logicalId: string,
    type: string,
    status: string,
    s: number,
  ) => ({
    StackId: stackId,
    StackName: input.stackName,
    EventId: `${logicalId}-${status}`,
    LogicalResourceId: logicalId,
    ResourceType: type,
    ResourceStatus: status as never,
    Timestamp: new Date(T0.getTime() + s * 1000),
  });
  cloudFormation.reset();
  cloudFormation
    .on(DescribeStacksCommand, { StackName: input.stackName })
    .rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        message: `Stack with id ${input.stackName} does not exist`,
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
  cloudFormation
    .on(CreateChangeSetCommand)
    .resolves({ Id: `${stackId}/change-set`, StackId: stackId });
  cloudFormation.on(DescribeChangeSetCommand).resolves({
    Status: 'CREATE_COMPLETE',
    ExecutionStatus: 'AVAILABLE',
    CreationTime: T0,
    Changes: [
      {
        Type: 'Resource',
        ResourceChange: {
          Action: 'Add',
          LogicalResourceId: 'Cluster',
          ResourceType: 'AWS::ECS::Cluster',
        },
      },
    ],
  });
  cloudFormation.on(ExecuteChangeSetCommand).resolves({});
  cloudFormation.on(DescribeStackEventsCommand).resolves({
    StackEvents: [
      event(
        input.stackName,
        'AWS::CloudFormation::Stack',
        'CREATE_COMPLETE',
        3,
      ),
      event('Cluster', 'AWS::ECS::Cluster', 'CREATE_COMPLETE', 2),
      event(
        input.stackName,
        'AWS::CloudFormation::Stack',
        'CREATE_IN_PROGRESS',
        1,
      ),
    ],
  });
  cloudFormation.on(DescribeStacksCommand, { StackName: stackId }).resolves({
    Stacks: [
      stack(input.execute === false ? 'REVIEW_IN_PROGRESS' : 'CREATE_COMPLETE'),
    ],
  });
  cloudFormation.on(UpdateTerminationProtectionCommand).resolves({});
}

describe('aws:cloudformation:deploy examples', () => {
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
        allowedRegions: ['eu-west-1'],
        defaultRegion: 'eu-west-1',
      },
    },
  });
  const action = createAwsCloudFormationDeployAction({
    config,
    credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
    timings: { initialPollMs: 1, maxPollMs: 2 },
  });

  it.each(examples.map(example => [example.description, example] as const))(
    '%s',
    async (_description, example) => {
      const [step] = yaml.parse(example.example).steps;
      expect(step.action).toBe(action.id);
      const input = Object.fromEntries(
        Object.entries(step.input as Record<string, unknown>).map(
          ([key, value]) => [key, render(value)],
        ),
      ) as DeployInput;
      mockDir.setContent({ [input.templatePath]: TEMPLATE });
      givenNewStack(input);
      const ctx = createMockActionContext({
        input: input as never,
        workspacePath: mockDir.path,
      });

      await action.handler(ctx as never);

      const [create] = cloudFormation.commandCalls(CreateChangeSetCommand);
      expect(create.args[0].input).toMatchObject({
        StackName: input.stackName,
        ChangeSetType: 'CREATE',
        TemplateBody: TEMPLATE,
        Capabilities: input.capabilities ?? [],
        RoleARN: input.roleArn,
        OnStackFailure: input.onFailure ?? 'ROLLBACK',
        Parameters: Object.entries(input.parameters ?? {}).map(
          ([ParameterKey, ParameterValue]) => ({
            ParameterKey,
            ParameterValue,
          }),
        ),
      });
      expect(create.args[0].input.Tags).toEqual(
        expect.arrayContaining([
          { Key: TAG_ENTITY_REF, Value: input.entityRef },
          ...Object.entries(input.tags ?? {}).map(([Key, Value]) => ({
            Key,
            Value,
          })),
        ]),
      );
      const executed = input.execute ?? true;
      expect(cloudFormation.commandCalls(ExecuteChangeSetCommand)).toHaveLength(
        executed ? 1 : 0,
      );
      expect(ctx.output).toHaveBeenCalledWith('executed', executed);
      expect(ctx.output).toHaveBeenCalledWith('changed', true);
      expect(ctx.output).toHaveBeenCalledWith(
        'stackStatus',
        executed ? 'CREATE_COMPLETE' : 'REVIEW_IN_PROGRESS',
      );
      expect(
        cloudFormation
          .commandCalls(UpdateTerminationProtectionCommand)
          .map(call => call.args[0].input.EnableTerminationProtection),
      ).toEqual(
        input.terminationProtection === undefined
          ? []
          : [input.terminationProtection],
      );
    },
  );
});
