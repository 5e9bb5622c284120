import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { mockClient } from 'aws-sdk-client-mock';
import yaml from 'yaml';
import { createAwsCloudFormationDeleteAction } from './delete';
import { examples } from './delete.examples';

const ACCOUNT = '123456789012';
const cloudFormation = mockClient(CloudFormationClient);
// What the template expressions of the examples evaluate to in a task.
const VALUES: Record<string, string> = {
  "steps.entity.output.entity.metadata.annotations['aws.amazon.com/cloudformation-stack-name']":
    'payments-prod',
  "steps.entity.output.entity.metadata.annotations['aws.amazon.com/cloudformation-region']":
    'eu-west-1',
  'parameters.entity': 'component:default/payments',
  'parameters.confirmName': 'payments',
};

function render(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{\{\s*(.+?)\s*\}\}/g,
      (_whole, expression: string) => {
        if (!(expression in VALUES)) {
          throw new Error(
            `no value for the example's expression ${expression}`,
          );
        }
        return VALUES[expression];
      },
    );
  }
  return Array.isArray(value) ? value.map(render) : value;
}

describe('aws:cloudformation:delete examples', () => {
  it.each(examples.map(example => [example.description, example] as const))(
    '%s',
    async (_description, example) => {
      const step = yaml.parse(example.example).steps[0];
      const input = Object.fromEntries(
        Object.entries(step.input as Record<string, unknown>).map(
          ([key, value]) => [key, render(value)],
        ),
      );
      const stackId = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${input.stackName}/1`;
      cloudFormation.reset();
      cloudFormation.on(DescribeStacksCommand).resolves({
        Stacks: [
          {
            StackId: stackId,
            StackName: String(input.stackName),
            // The example retaining a resource finishes a delete that failed.
            StackStatus: input.retainResources
              ? 'DELETE_FAILED'
              : 'UPDATE_COMPLETE',
            CreationTime: new Date(0),
            Tags: [{ Key: TAG_ENTITY_REF, Value: String(input.entityRef) }],
          },
        ],
      });
      cloudFormation
        .on(GetTemplateCommand)
        .resolves({ TemplateBody: 'Resources: {}' });
      cloudFormation
        .on(ListStackResourcesCommand)
        .resolves({ StackResourceSummaries: [] });
      cloudFormation
        .on(DescribeStackEventsCommand)
        .resolvesOnce({ StackEvents: [] })
        .resolves({
          StackEvents: [
            {
              StackId: stackId,
              StackName: String(input.stackName),
              EventId: 'done',
              LogicalResourceId: String(input.stackName),
              PhysicalResourceId: stackId,
              ResourceType: 'AWS::CloudFormation::Stack',
              // After the delete was requested.
              Timestamp: new Date(Date.now() + 60_000),
              ResourceStatus: 'DELETE_COMPLETE',
            },
          ],
        });
      cloudFormation.on(DeleteStackCommand).resolves({});
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
      const permissions = {
        authorize: async (requests: unknown[]) =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        authorizeConditional: async () => [],
      } as unknown as PermissionsService;
      const action = createAwsCloudFormationDeleteAction({
        config,
        credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
        permissions,
        timings: { initialPollMs: 1, maxPollMs: 2 },
      });
      const ctx = createMockActionContext({
        input: input as Record<string, string>,
      });
      await action.handler(ctx as never);

      expect(ctx.output).toHaveBeenCalledWith('stackStatus', 'DELETE_COMPLETE');
      expect(
        cloudFormation.commandCalls(DeleteStackCommand)[0].args[0].input,
      ).toMatchObject({
        StackName: stackId,
        ...(input.retainResources
          ? { RetainResources: input.retainResources }
          : {}),
      });
    },
  );
});
