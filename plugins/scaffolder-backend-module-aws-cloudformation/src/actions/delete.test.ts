import {
  CloudFormationClient,
  CloudFormationServiceException,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type StackEvent,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsCloudFormationDeleteAction } from './delete';

const ACCOUNT = '123456789012';
const ENTITY = 'component:default/payments';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/payments/0f1e2d3c`;
const T0 = new Date('2024-05-01T10:00:00.000Z');
const TEMPLATE = `Resources:
  Database:
    Type: AWS::RDS::DBInstance
  Logs:
    Type: AWS::Logs::LogGroup
    DeletionPolicy: Retain
`;

const cloudFormation = mockClient(CloudFormationClient);

function stackEvent(
  status: string,
  second: number,
  reason?: string,
): StackEvent {
  return {
    StackId: STACK_ID,
    StackName: 'payments',
    EventId: `stack-${status}-${second}`,
    LogicalResourceId: 'payments',
    PhysicalResourceId: STACK_ID,
    ResourceType: 'AWS::CloudFormation::Stack',
    Timestamp: new Date(T0.getTime() + second * 1000),
    ResourceStatus: status as StackEvent['ResourceStatus'],
    ResourceStatusReason: reason,
  };
}

function setup(
  options: {
    allowed?: boolean;
    tags?: Record<string, string>;
    status?: string;
  } = {},
) {
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
  cloudFormation.reset();
  const described = {
    Stacks: [
      {
        StackId: STACK_ID,
        StackName: 'payments',
        StackStatus: (options.status ?? 'UPDATE_COMPLETE') as StackStatus,
        CreationTime: T0,
        Tags: Object.entries(options.tags ?? { [TAG_ENTITY_REF]: ENTITY }).map(
          ([Key, Value]) => ({ Key, Value }),
        ),
      },
    ],
  };
  cloudFormation.on(DescribeStacksCommand).resolves(described);
  cloudFormation.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
  cloudFormation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      {
        LogicalResourceId: 'Database',
        PhysicalResourceId: 'payments-db',
        ResourceType: 'AWS::RDS::DBInstance',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: T0,
      },
      {
        LogicalResourceId: 'Logs',
        PhysicalResourceId: '/ecs/payments',
        ResourceType: 'AWS::Logs::LogGroup',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: T0,
      },
    ],
  });
  cloudFormation
    .on(DescribeStackEventsCommand)
    .resolvesOnce({ StackEvents: [stackEvent('UPDATE_COMPLETE', 0)] })
    .resolves({
      StackEvents: [
        stackEvent('DELETE_COMPLETE', 20),
        stackEvent('DELETE_IN_PROGRESS', 10, 'User Initiated'),
        stackEvent('UPDATE_COMPLETE', 0),
      ],
    });
  cloudFormation.on(DeleteStackCommand).resolves({});
  const action = createAwsCloudFormationDeleteAction({
    config,
    credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
    permissions,
    timings: { initialPollMs: 1, maxPollMs: 2, heartbeatMs: 60_000 },
  });
  const logger = mockServices.logger.mock();
  const context = (input: Record<string, unknown> = {}) =>
    createMockActionContext({
      input: { stackName: 'payments', entityRef: ENTITY, ...input },
      logger,
    });
  return { action, context, permissions, logger, described };
}

describe('aws:cloudformation:delete', () => {
  it('deletes an owned stack with a client request token derived from the task', async () => {
    const { action, context } = setup();
    const ctx = context({ confirmation: 'payments' });
    await action.handler(ctx);

    const [deleteCall] = cloudFormation.commandCalls(DeleteStackCommand);
    expect(deleteCall.args[0].input).toEqual({
      StackName: STACK_ID,
      ClientRequestToken: expect.stringMatching(
        /^backstage-delete-[0-9a-f]{16}$/,
      ),
    });
    expect(ctx.output).toHaveBeenCalledWith('stackStatus', 'DELETE_COMPLETE');
    expect(ctx.output).toHaveBeenCalledWith('retainedResources', [
      {
        logicalResourceId: 'Logs',
        physicalResourceId: '/ecs/payments',
        resourceType: 'AWS::Logs::LogGroup',
      },
    ]);
    // No DeletionPolicy on an RDS instance: CloudFormation's default is a final snapshot.
    expect(ctx.output).toHaveBeenCalledWith('snapshots', [
      expect.objectContaining({
        logicalResourceId: 'Database',
        physicalResourceId: 'payments-db',
      }),
    ]);
  });

  it('refuses when the typed confirmation is not the service name', async () => {
    const { action, context } = setup();
    await expect(
      action.handler(context({ confirmation: 'paymnets' })),
    ).rejects.toThrow(
      'confirmation: type the service\'s name, "payments", to confirm; got "paymnets". Nothing was deleted.',
    );
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('refuses a region outside the allowlist before asking anyone', async () => {
    const { action, context, permissions } = setup();
    await expect(
      action.handler(context({ region: 'us-west-2' })),
    ).rejects.toThrow(
      'Stacks in region us-west-2 may not be deleted from this portal: the allowed regions are eu-west-1',
    );
    expect(permissions.authorize).not.toHaveBeenCalled();
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('refuses an initiator the policy denies', async () => {
    const { action, context } = setup({ allowed: false });
    await expect(action.handler(context())).rejects.toThrow(
      'Only the owners of component:default/payments may retire it',
    );
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('accepts retainResources only for a stack in DELETE_FAILED', async () => {
    const { action, context } = setup();
    await expect(
      action.handler(context({ retainResources: ['Logs'] })),
    ).rejects.toThrow(
      'retainResources is only accepted for a stack in DELETE_FAILED',
    );
    expect(cloudFormation.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('passes retainResources to CloudFormation for a DELETE_FAILED stack', async () => {
    const { action, context } = setup({ status: 'DELETE_FAILED' });
    await action.handler(context({ retainResources: ['Logs'] }));
    expect(
      cloudFormation.commandCalls(DeleteStackCommand)[0].args[0].input,
    ).toMatchObject({ RetainResources: ['Logs'] });
  });

  it('says CloudFormation refused the delete when DeleteStack fails and the stack stays', async () => {
    const { action, context } = setup();
    cloudFormation.on(DeleteStackCommand).rejects(
      new CloudFormationServiceException({
        name: 'AccessDenied',
        message:
          'User is not authorized to perform: cloudformation:DeleteStack',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(action.handler(context())).rejects.toThrow(
      'CloudFormation refused to delete stack payments: User is not authorized to perform: cloudformation:DeleteStack The stack is UPDATE_COMPLETE',
    );
  });

  it('accepts a DeleteStack error when the stack is gone anyway (endpoints that delete synchronously)', async () => {
    const { action, context, logger, described } = setup();
    cloudFormation.on(DeleteStackCommand).rejects(
      new CloudFormationServiceException({
        name: 'DependencyViolation',
        message: 'The vpc vpc-1 has dependencies and cannot be deleted.',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    cloudFormation
      .on(DescribeStacksCommand)
      .resolvesOnce(described)
      .rejects(
        new CloudFormationServiceException({
          name: 'ValidationError',
          message: `Stack with id ${STACK_ID} does not exist`,
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      );
    cloudFormation
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [stackEvent('UPDATE_COMPLETE', 0)] })
      .rejects(
        new CloudFormationServiceException({
          name: 'ValidationError',
          message: `Stack [${STACK_ID}] does not exist`,
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      );
    const ctx = context();
    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('stackStatus', 'DELETE_COMPLETE');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'answered the delete of stack payments with an error (The vpc vpc-1 has dependencies',
      ),
    );
  });

  it('waits out throttling', async () => {
    const { action, context, described } = setup();
    cloudFormation
      .on(DescribeStacksCommand)
      .rejectsOnce(
        new CloudFormationServiceException({
          name: 'Throttling',
          message: 'Rate exceeded',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves(described);
    const ctx = context();
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('deleted', true);
  });
});
