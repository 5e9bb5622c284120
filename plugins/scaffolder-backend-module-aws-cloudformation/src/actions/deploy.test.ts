import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeEventsCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
  type Change,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  TAG_ENTITY_REF,
  TAG_TEMPLATE_REF,
} from '@golden-path/plugin-cloudformation-common';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsCloudFormationDeployAction } from './deploy';

const ACCOUNT = '123456789012';
const ENTITY = 'component:default/payments';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/payments/0f1e2d3c`;
const CHANGE_SET_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:changeSet/backstage-x/1a2b`;
const SERVICE_ARN = `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/main/payments`;
const PASSWORD = 'Hunter2-Very-Secret';
const T0 = new Date('2024-05-01T10:00:00.000Z');

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  ContainerImage:
    Type: String
  DbPassword:
    Type: String
    NoEcho: true
  Subnets:
    Type: CommaDelimitedList
    Default: a,b
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      backstage:description: Static assets
  Role:
    Type: AWS::IAM::Role
  Service:
    Type: AWS::ECS::Service
Outputs:
  BucketName:
    Value: !Ref Bucket
  RoleArn:
    Value: !GetAtt Role.Arn
  Url:
    Value: !Sub 'https://\${Bucket}.s3.\${AWS::Region}.\${AWS::URLSuffix}'
  DbPasswordOut:
    Value: !Ref DbPassword
`;

const cloudFormation = mockClient(CloudFormationClient);
const ecs = mockClient(ECSClient);
const mockDir = createMockDirectory();

function awsError(name: string, message: string, status = 400) {
  return new CloudFormationServiceException({
    name,
    message,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });
}

function event(
  logicalId: string,
  resourceType: string,
  status: string,
  second: number,
  reason?: string,
): StackEvent {
  const isStack = resourceType === 'AWS::CloudFormation::Stack';
  return {
    StackId: STACK_ID,
    StackName: 'payments',
    EventId: `${logicalId}-${status}-${second}`,
    LogicalResourceId: logicalId,
    PhysicalResourceId: isStack ? STACK_ID : `payments-${logicalId}`,
    ResourceType: resourceType,
    ResourceStatus: status as StackEvent['ResourceStatus'],
    ResourceStatusReason: reason,
    Timestamp: new Date(T0.getTime() + second * 1000),
  };
}
const stackEvent = (status: string, second: number, reason?: string) =>
  event('payments', 'AWS::CloudFormation::Stack', status, second, reason);

function stack(status: string, extra: Partial<Stack> = {}): Stack {
  return {
    StackId: STACK_ID,
    StackName: 'payments',
    StackStatus: status as Stack['StackStatus'],
    CreationTime: T0,
    Tags: [{ Key: TAG_ENTITY_REF, Value: ENTITY }],
    Parameters: [
      { ParameterKey: 'ContainerImage', ParameterValue: 'app:1' },
      { ParameterKey: 'DbPassword', ParameterValue: '****' },
    ],
    ...extra,
  };
}

const OUTPUTS = [
  { OutputKey: 'BucketName', OutputValue: 'payments-bucket-1abc' },
  { OutputKey: 'DbPasswordOut', OutputValue: PASSWORD },
  {
    OutputKey: 'Url',
    OutputValue: 'https://payments-bucket-1abc.s3.eu-west-1.amazonaws.com',
  },
];

function givenNoStack() {
  cloudFormation
    .on(DescribeStacksCommand, { StackName: 'payments' })
    .rejects(
      awsError('ValidationError', 'Stack with id payments does not exist'),
    );
}

function givenChangeSet(
  changes: Change[] = [
    {
      Type: 'Resource',
      ResourceChange: {
        Action: 'Add',
        LogicalResourceId: 'Bucket',
        ResourceType: 'AWS::S3::Bucket',
      },
    },
    {
      Type: 'Resource',
      ResourceChange: {
        Action: 'Add',
        LogicalResourceId: 'Role',
        ResourceType: 'AWS::IAM::Role',
      },
    },
  ],
) {
  cloudFormation
    .on(CreateChangeSetCommand)
    .resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
  cloudFormation
    .on(DescribeChangeSetCommand)
    .resolvesOnce({ Status: 'CREATE_IN_PROGRESS' })
    .resolves({
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
      CreationTime: T0,
      Changes: changes,
    });
  cloudFormation.on(ExecuteChangeSetCommand).resolves({});
}

function givenEvents(...pages: StackEvent[][]) {
  const events = cloudFormation.on(DescribeStackEventsCommand);
  for (const page of pages) {
    events.resolvesOnce({ StackEvents: page });
  }
  events.resolves({ StackEvents: pages.at(-1) });
}

const CREATE_EVENTS = [
  [stackEvent('CREATE_IN_PROGRESS', 1, 'User Initiated')],
  [
    event('Role', 'AWS::IAM::Role', 'CREATE_COMPLETE', 4),
    event('Bucket', 'AWS::S3::Bucket', 'CREATE_COMPLETE', 3),
    event('Bucket', 'AWS::S3::Bucket', 'CREATE_IN_PROGRESS', 2),
    stackEvent('CREATE_IN_PROGRESS', 1, 'User Initiated'),
  ],
  [
    stackEvent('CREATE_COMPLETE', 5),
    event('Role', 'AWS::IAM::Role', 'CREATE_COMPLETE', 4),
    event('Bucket', 'AWS::S3::Bucket', 'CREATE_COMPLETE', 3),
  ],
];

function givenFinalStack(status: string, extra: Partial<Stack> = {}) {
  cloudFormation
    .on(DescribeStacksCommand, { StackName: STACK_ID })
    .resolves({ Stacks: [stack(status, { Outputs: OUTPUTS, ...extra })] });
}

type Settings = {
  allowedAccountIds?: string[];
  allowedRegions?: string[];
  defaultRegion?: string;
};

function createAction(
  settings: Settings = {
    allowedAccountIds: [ACCOUNT],
    allowedRegions: ['eu-west-1'],
    defaultRegion: 'eu-west-1',
  },
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
      cloudformation: settings,
    },
  });
  const credentialsManager = DefaultAwsCredentialsManager.fromConfig(config);
  jest.spyOn(credentialsManager, 'getCredentialProvider');
  const action = createAwsCloudFormationDeployAction({
    config,
    credentialsManager,
    timings: {
      initialPollMs: 1,
      maxPollMs: 2,
      heartbeatMs: 60_000,
      maxThrottledDelayMs: 4,
    },
  });
  return { action, credentialsManager };
}

function context(
  input: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
) {
  const logger = mockServices.logger.mock();
  // The mock context takes only some fields; signal, isDryRun and checkpoint are laid over it.
  const ctx = {
    ...createMockActionContext({
      input: {
        stackName: 'payments',
        templatePath: 'infra/template.yaml',
        entityRef: ENTITY,
        parameters: { ContainerImage: 'app:2', DbPassword: PASSWORD },
        ...input,
      },
      workspacePath: mockDir.path,
      logger,
      templateInfo: {
        entityRef: 'template:default/aws-fargate-rds-service',
        baseUrl: 'file:///templates/',
      },
    }),
    ...overrides,
  };
  const logText = () =>
    [
      ...logger.info.mock.calls,
      ...logger.warn.mock.calls,
      ...logger.error.mock.calls,
    ]
      .map(call => String(call[0]))
      .join('\n');
  const outputs = () =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  return { ctx, logger, logText, outputs };
}

beforeEach(() => {
  cloudFormation.reset();
  ecs.reset();
  mockDir.setContent({ infra: { 'template.yaml': TEMPLATE } });
});

describe('aws:cloudformation:deploy', () => {
  it('creates a stack through a change set and outputs its id, status, changes and outputs', async () => {
    givenNoStack();
    givenChangeSet();
    givenEvents(...CREATE_EVENTS);
    givenFinalStack('CREATE_COMPLETE');
    const { action, credentialsManager } = createAction();
    const { ctx, logText, outputs } = context({
      tags: { team: 'payments' },
      capabilities: ['CAPABILITY_IAM'],
      onFailure: 'DELETE',
    });

    await action.handler(ctx);

    expect(credentialsManager.getCredentialProvider).toHaveBeenCalledWith({
      accountId: ACCOUNT,
    });
    const [create] = cloudFormation.commandCalls(CreateChangeSetCommand);
    expect(create.args[0].input).toMatchObject({
      StackName: 'payments',
      ChangeSetType: 'CREATE',
      TemplateBody: TEMPLATE,
      Capabilities: ['CAPABILITY_IAM'],
      OnStackFailure: 'DELETE',
      Parameters: [
        { ParameterKey: 'ContainerImage', ParameterValue: 'app:2' },
        { ParameterKey: 'DbPassword', ParameterValue: PASSWORD },
      ],
      Tags: [
        { Key: 'team', Value: 'payments' },
        { Key: TAG_ENTITY_REF, Value: ENTITY },
        {
          Key: TAG_TEMPLATE_REF,
          Value: 'template:default/aws-fargate-rds-service',
        },
      ],
    });
    expect(create.args[0].input.ChangeSetName).toMatch(
      /^backstage-[0-9a-f]{16}-[0-9a-f]{8}$/,
    );
    expect(create.args[0].input.ClientToken).toBe(
      `${create.args[0].input.ChangeSetName}-create`,
    );
    expect(
      cloudFormation.commandCalls(ExecuteChangeSetCommand)[0].args[0].input,
    ).toEqual({
      ChangeSetName: CHANGE_SET_ID,
      StackName: STACK_ID,
      ClientRequestToken: `${create.args[0].input.ChangeSetName}-execute`,
    });
    expect(outputs()).toEqual({
      stackId: STACK_ID,
      stackName: 'payments',
      stackStatus: 'CREATE_COMPLETE',
      changeSetId: CHANGE_SET_ID,
      changed: true,
      executed: true,
      outputs: {
        BucketName: 'payments-bucket-1abc',
        DbPasswordOut: '****',
        Url: 'https://payments-bucket-1abc.s3.eu-west-1.amazonaws.com',
      },
      BucketName: 'payments-bucket-1abc',
      DbPasswordOut: '****',
      Url: 'https://payments-bucket-1abc.s3.eu-west-1.amazonaws.com',
      changes: [
        {
          action: 'add',
          logicalResourceId: 'Bucket',
          resourceType: 'AWS::S3::Bucket',
          replacement: '-',
        },
        {
          action: 'add',
          logicalResourceId: 'Role',
          resourceType: 'AWS::IAM::Role',
          replacement: '-',
        },
      ],
      region: 'eu-west-1',
      accountId: ACCOUNT,
    });
    const log = logText();
    // Each event once, in order, with the resource's description; then the progress.
    expect(log).toContain(
      [
        'CREATE_IN_PROGRESS payments (AWS::CloudFormation::Stack): User Initiated',
        'CREATE_IN_PROGRESS Bucket (AWS::S3::Bucket, "Static assets")',
        'CREATE_COMPLETE Bucket (AWS::S3::Bucket, "Static assets")',
        'Progress: 1 of 2 resources complete',
        'CREATE_COMPLETE Role (AWS::IAM::Role)',
        'Progress: 2 of 2 resources complete',
        'CREATE_COMPLETE payments (AWS::CloudFormation::Stack)',
      ].join('\n'),
    );
    expect(log).toMatch(/add\s+-\s+Bucket\s+AWS::S3::Bucket\s+Static assets/);
    expect(log).not.toContain(PASSWORD);
  });

  it('updates a stack it owns, keeping the deployed value of parameters left out', async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'payments' })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    givenChangeSet([
      {
        Type: 'Resource',
        ResourceChange: {
          Action: 'Modify',
          LogicalResourceId: 'Service',
          ResourceType: 'AWS::ECS::Service',
          Replacement: 'Conditional',
        },
      },
    ]);
    givenEvents([
      stackEvent('UPDATE_COMPLETE', 9),
      event('Service', 'AWS::ECS::Service', 'UPDATE_COMPLETE', 8),
      stackEvent('UPDATE_IN_PROGRESS', 1, 'User Initiated'),
    ]);
    givenFinalStack('UPDATE_COMPLETE');
    const { action } = createAction();
    const { ctx, logText, outputs } = context({
      parameters: { ContainerImage: 'app:3' },
    });

    await action.handler(ctx);

    expect(
      cloudFormation.commandCalls(CreateChangeSetCommand)[0].args[0].input,
    ).toMatchObject({
      ChangeSetType: 'UPDATE',
      Parameters: [
        { ParameterKey: 'ContainerImage', ParameterValue: 'app:3' },
        { ParameterKey: 'DbPassword', UsePreviousValue: true },
      ],
    });
    expect(logText()).toMatch(
      /modify\s+conditional\s+Service\s+AWS::ECS::Service/,
    );
    expect(outputs().stackStatus).toBe('UPDATE_COMPLETE');
  });

  it('recreates a ROLLBACK_COMPLETE stack it owns: deletes it, waits, then creates it', async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'payments' })
      .resolves({ Stacks: [stack('ROLLBACK_COMPLETE')] });
    cloudFormation.on(DeleteStackCommand).resolves({});
    givenChangeSet();
    const deleteEvents = [
      stackEvent('DELETE_COMPLETE', -5),
      stackEvent('DELETE_IN_PROGRESS', -6, 'User Initiated'),
      stackEvent('ROLLBACK_COMPLETE', -10),
    ];
    givenEvents(
      [stackEvent('ROLLBACK_COMPLETE', -10)],
      deleteEvents,
      ...CREATE_EVENTS,
    );
    cloudFormation
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolvesOnce({ Stacks: [stack('DELETE_COMPLETE')] })
      .resolves({ Stacks: [stack('CREATE_COMPLETE', { Outputs: OUTPUTS })] });
    const { action } = createAction();
    const { ctx, outputs } = context();

    await action.handler(ctx);

    expect(
      cloudFormation.commandCalls(DeleteStackCommand)[0].args[0].input
        .StackName,
    ).toBe(STACK_ID);
    expect(
      cloudFormation.commandCalls(CreateChangeSetCommand)[0].args[0].input
        .ChangeSetType,
    ).toBe('CREATE');
    expect(outputs().stackStatus).toBe('CREATE_COMPLETE');
  });

  it.each([
    [
      'an operation in progress',
      stack('UPDATE_IN_PROGRESS', {
        LastOperations: [
          { OperationType: 'UPDATE_STACK', OperationId: 'op-1' },
        ],
      }),
      /busy: UPDATE_IN_PROGRESS since .* \(operation UPDATE_STACK op-1\)/,
    ],
    [
      'a failed rollback',
      stack('UPDATE_ROLLBACK_FAILED'),
      /UPDATE_ROLLBACK_FAILED: .*continue-update-rollback/,
    ],
    [
      'another owner',
      stack('UPDATE_COMPLETE', {
        Tags: [{ Key: TAG_ENTITY_REF, Value: 'component:default/billing' }],
      }),
      /belongs to component:default\/billing/,
    ],
    [
      'no ownership tag',
      stack('CREATE_COMPLETE', { Tags: [] }),
      /was not created by Backstage/,
    ],
    [
      'another account',
      stack('CREATE_COMPLETE', {
        StackId:
          'arn:aws:cloudformation:eu-west-1:999999999999:stack/payments/1',
      }),
      /reach account 999999999999/,
    ],
  ])(
    'refuses a stack with %s before changing anything',
    async (_label, existing, message) => {
      cloudFormation
        .on(DescribeStacksCommand, { StackName: 'payments' })
        .resolves({ Stacks: [existing] });
      cloudFormation
        .on(DescribeStackEventsCommand)
        .resolves({ StackEvents: [] });
      const { action } = createAction();

      await expect(action.handler(context().ctx)).rejects.toThrow(message);
      expect(cloudFormation.commandCalls(CreateChangeSetCommand)).toHaveLength(
        0,
      );
    },
  );

  it('succeeds with changed=false on an empty change set, deleting it', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [stack('UPDATE_COMPLETE', { Outputs: OUTPUTS })] });
    cloudFormation
      .on(CreateChangeSetCommand)
      .resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
    cloudFormation.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    cloudFormation.on(DeleteChangeSetCommand).resolves({});
    const { action } = createAction();
    const { ctx, outputs } = context();

    await action.handler(ctx);

    expect(cloudFormation.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cloudFormation.commandCalls(ExecuteChangeSetCommand)).toHaveLength(
      0,
    );
    expect(outputs()).toMatchObject({
      changed: false,
      executed: false,
      stackStatus: 'UPDATE_COMPLETE',
      outputs: { BucketName: 'payments-bucket-1abc' },
    });
  });

  it('treats an endpoint rejecting an empty update up front as no changes, or fails when failOnEmptyChangeSet is set', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cloudFormation
      .on(CreateChangeSetCommand)
      .rejects(awsError('ValidationError', 'No updates are to be performed.'));
    const { action } = createAction();
    const lenient = context();

    await action.handler(lenient.ctx);
    expect(lenient.outputs()).toMatchObject({ changed: false });
    expect(lenient.outputs().changeSetId).toBeUndefined();

    await expect(
      action.handler(context({ failOnEmptyChangeSet: true }).ctx),
    ).rejects.toThrow(/No changes to deploy to stack payments/);
  });

  it('fails on a FAILED change set with its reason, deleting it and the empty stack made for it', async () => {
    givenNoStack();
    cloudFormation
      .on(CreateChangeSetCommand)
      .resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
    cloudFormation.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      StatusReason:
        'Template error: instance of Fn::GetAtt references undefined resource Db',
    });
    cloudFormation.on(DeleteChangeSetCommand).resolves({});
    cloudFormation.on(DeleteStackCommand).resolves({});
    const { action } = createAction();

    await expect(action.handler(context().ctx)).rejects.toThrow(
      /could not create the change set for stack payments: Template error: instance of Fn::GetAtt references undefined resource Db/,
    );
    expect(
      cloudFormation.commandCalls(DeleteChangeSetCommand)[0].args[0].input,
    ).toEqual({ ChangeSetName: CHANGE_SET_ID, StackName: STACK_ID });
    expect(
      cloudFormation.commandCalls(DeleteStackCommand)[0].args[0].input
        .StackName,
    ).toBe(STACK_ID);
  });

  it('says which input to fix when capabilities are missing', async () => {
    givenNoStack();
    cloudFormation
      .on(CreateChangeSetCommand)
      .rejects(
        awsError(
          'InsufficientCapabilitiesException',
          'Requires capabilities : [CAPABILITY_NAMED_IAM]',
        ),
      );
    const { action } = createAction();

    await expect(action.handler(context().ctx)).rejects.toThrow(
      'Requires capabilities : [CAPABILITY_NAMED_IAM] Add them to the `capabilities` input.',
    );
  });

  it('creates and describes the change set only when execute is false', async () => {
    givenNoStack();
    givenChangeSet();
    cloudFormation
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves({ Stacks: [stack('REVIEW_IN_PROGRESS')] });
    const { action } = createAction();
    const { ctx, outputs, logText } = context({ execute: false });

    await action.handler(ctx);

    expect(cloudFormation.commandCalls(ExecuteChangeSetCommand)).toHaveLength(
      0,
    );
    expect(outputs()).toMatchObject({
      changed: true,
      executed: false,
      stackStatus: 'REVIEW_IN_PROGRESS',
      changeSetId: CHANGE_SET_ID,
    });
    expect(logText()).toContain('ready for review and was not executed');
  });

  describe('failures', () => {
    const failedEvents = [
      stackEvent('ROLLBACK_COMPLETE', 20),
      stackEvent(
        'ROLLBACK_IN_PROGRESS',
        12,
        'The following resource(s) failed to create: [Role, Service, Bucket]. Rollback requested by user.',
      ),
      event(
        'Bucket',
        'AWS::S3::Bucket',
        'CREATE_FAILED',
        11,
        'Resource creation cancelled',
      ),
      event(
        'Role',
        'AWS::IAM::Role',
        'CREATE_FAILED',
        11,
        'Resource creation cancelled',
      ),
      {
        ...event(
          'Service',
          'AWS::ECS::Service',
          'CREATE_FAILED',
          10,
          'Service payments did not stabilize.',
        ),
        PhysicalResourceId: SERVICE_ARN,
      },
      event('Service', 'AWS::ECS::Service', 'CREATE_IN_PROGRESS', 2),
      stackEvent('CREATE_IN_PROGRESS', 1, 'User Initiated'),
    ];

    beforeEach(() => {
      givenNoStack();
      givenChangeSet();
      givenEvents(failedEvents);
      givenFinalStack('ROLLBACK_COMPLETE');
    });

    it('ends with the root cause from the DescribeEvents failed-events filter, and why the ECS tasks stopped', async () => {
      cloudFormation.on(DescribeEventsCommand).resolves({
        OperationEvents: [
          {
            EventId: 'b',
            StackId: STACK_ID,
            LogicalResourceId: 'Bucket',
            ResourceType: 'AWS::S3::Bucket',
            ResourceStatus: 'CREATE_FAILED',
            ResourceStatusReason: 'Resource creation cancelled',
            Timestamp: new Date(T0.getTime() + 11_000),
          },
          {
            EventId: 's',
            StackId: STACK_ID,
            LogicalResourceId: 'Service',
            PhysicalResourceId: SERVICE_ARN,
            ResourceType: 'AWS::ECS::Service',
            ResourceStatus: 'CREATE_FAILED',
            ResourceStatusReason: 'Service payments did not stabilize.',
            Timestamp: new Date(T0.getTime() + 10_000),
          },
        ],
      });
      ecs.on(ListTasksCommand).resolves({
        taskArns: ['arn:aws:ecs:eu-west-1:123456789012:task/main/1'],
      });
      ecs.on(DescribeTasksCommand).resolves({
        tasks: [
          {
            stoppedReason:
              'ResourceInitializationError: unable to pull secrets or registry auth',
            containers: [{ name: 'app', reason: 'CannotPullContainerError' }],
          },
        ],
      });
      const { action } = createAction();

      const error = await action.handler(context().ctx).catch(e => e);

      expect(error.message).toBe(
        'Deploying stack payments failed: Service (AWS::ECS::Service) failed to create: Service payments did not stabilize. ' +
          'Its tasks stopped: ResourceInitializationError: unable to pull secrets or registry auth; container app: CannotPullContainerError (1 of 1 stopped tasks). ' +
          'The stack is ROLLBACK_COMPLETE: nothing was kept; the next deploy for this entity deletes the stack and creates it again.',
      );
      expect(
        cloudFormation.commandCalls(DescribeEventsCommand)[0].args[0].input,
      ).toMatchObject({ StackName: STACK_ID, Filters: { FailedEvents: true } });
      expect(ecs.commandCalls(ListTasksCommand)[0].args[0].input).toEqual({
        cluster: 'main',
        serviceName: 'payments',
        desiredStatus: 'STOPPED',
        maxResults: 10,
      });
    });

    it('falls back to the stack events when DescribeEvents is not available', async () => {
      cloudFormation
        .on(DescribeEventsCommand)
        .rejects(
          awsError(
            'AccessDenied',
            'not authorized to perform: cloudformation:DescribeEvents',
            403,
          ),
        );
      ecs.on(ListTasksCommand).rejects(new Error('ClusterNotFoundException'));
      const { action } = createAction();
      const { ctx, logText } = context();

      const error = await action.handler(ctx).catch(e => e);

      expect(error.message).toMatch(
        /^Deploying stack payments failed: Service \(AWS::ECS::Service\) failed to create: Service payments did not stabilize\. The stack is ROLLBACK_COMPLETE/,
      );
      expect(logText()).toContain(
        'Could not read why the tasks of Service stopped',
      );
    });
  });

  it('cancels a running update when the task is cancelled and reports the state left', async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'payments' })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    givenChangeSet();
    const controller = new AbortController();
    cloudFormation.on(DescribeStackEventsCommand).callsFake(async () => {
      controller.abort();
      return {
        StackEvents: [stackEvent('UPDATE_IN_PROGRESS', 1, 'User Initiated')],
      };
    });
    cloudFormation.on(CancelUpdateStackCommand).resolves({});
    cloudFormation
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves({ Stacks: [stack('UPDATE_ROLLBACK_IN_PROGRESS')] });
    const { action } = createAction();
    const { ctx, logText } = context({}, { signal: controller.signal });

    await expect(action.handler(ctx)).rejects.toThrow(
      'The task was cancelled; stack payments is UPDATE_ROLLBACK_IN_PROGRESS',
    );
    expect(
      cloudFormation.commandCalls(CancelUpdateStackCommand)[0].args[0].input
        .StackName,
    ).toBe(STACK_ID);
    expect(logText()).toContain(
      'Stack payments is left UPDATE_ROLLBACK_IN_PROGRESS: CloudFormation is rolling the update back',
    );
  });

  it('deletes the change set when cancelled before executing it', async () => {
    givenNoStack();
    const controller = new AbortController();
    cloudFormation
      .on(CreateChangeSetCommand)
      .resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
    cloudFormation.on(DescribeChangeSetCommand).callsFake(async () => {
      controller.abort();
      return { Status: 'CREATE_IN_PROGRESS' };
    });
    cloudFormation.on(DeleteChangeSetCommand).resolves({});
    cloudFormation.on(DeleteStackCommand).resolves({});
    const { action } = createAction();

    await expect(
      action.handler(context({}, { signal: controller.signal }).ctx),
    ).rejects.toThrow('The task was cancelled');
    expect(cloudFormation.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cloudFormation.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(cloudFormation.commandCalls(ExecuteChangeSetCommand)).toHaveLength(
      0,
    );
  });

  it('backs off on throttling and never fails because of it', async () => {
    givenNoStack();
    givenChangeSet();
    const throttled = awsError('Throttling', 'Rate exceeded');
    cloudFormation
      .on(DescribeStackEventsCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ StackEvents: CREATE_EVENTS[2] });
    givenFinalStack('CREATE_COMPLETE');
    const { action } = createAction();
    const { ctx, outputs, logText } = context();

    await action.handler(ctx);

    expect(outputs().stackStatus).toBe('CREATE_COMPLETE');
    expect(logText()).toContain(
      'CloudFormation is throttling requests; slowing down',
    );
  });

  it('picks up an execution interrupted by a restart instead of starting another', async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'payments' })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    givenChangeSet();
    cloudFormation
      .on(ExecuteChangeSetCommand)
      .rejects(
        awsError(
          'InvalidChangeSetStatusException',
          'cannot be executed in its current execution status of [EXECUTE_IN_PROGRESS]',
        ),
      );
    cloudFormation
      .on(DescribeChangeSetCommand, { NextToken: undefined })
      .resolves({
        Status: 'CREATE_COMPLETE',
        ExecutionStatus: 'EXECUTE_IN_PROGRESS',
        CreationTime: T0,
        Changes: [],
      });
    givenEvents([
      stackEvent('UPDATE_COMPLETE', 5),
      stackEvent('UPDATE_IN_PROGRESS', 1, 'User Initiated'),
    ]);
    givenFinalStack('UPDATE_COMPLETE');
    const { action } = createAction();
    const { ctx, outputs } = context();

    await action.handler(ctx);

    expect(outputs().stackStatus).toBe('UPDATE_COMPLETE');
  });

  it('resumes from checkpoints after a restart: no second change set or execution', async () => {
    const stored = new Map<string, unknown>();
    const checkpoint = jest.fn(
      async ({ key, fn }: { key: string; fn: () => Promise<unknown> }) => {
        if (!stored.has(key)) {
          stored.set(key, await fn());
        }
        return stored.get(key);
      },
    );
    givenNoStack();
    givenChangeSet();
    givenEvents(...CREATE_EVENTS);
    givenFinalStack('CREATE_COMPLETE');
    const { action } = createAction();
    await action.handler(context({}, { checkpoint }).ctx);
    expect(
      checkpoint.mock.calls.map(([options]) => options.key.split(':')[0]),
    ).toEqual([
      'cloudformation-plan',
      'cloudformation-change-set',
      'cloudformation-execute',
    ]);

    cloudFormation.resetHistory();
    const resumed = context({}, { checkpoint });
    await action.handler(resumed.ctx);

    expect(cloudFormation.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
    expect(cloudFormation.commandCalls(ExecuteChangeSetCommand)).toHaveLength(
      0,
    );
    expect(resumed.logText()).toContain('Resuming after a restart');
    expect(resumed.outputs().stackStatus).toBe('CREATE_COMPLETE');
  });

  it('turns termination protection on after a successful deploy', async () => {
    givenNoStack();
    givenChangeSet();
    givenEvents(...CREATE_EVENTS);
    givenFinalStack('CREATE_COMPLETE', { EnableTerminationProtection: false });
    cloudFormation
      .on(UpdateTerminationProtectionCommand)
      .resolves({ StackId: STACK_ID });
    const { action } = createAction();

    await action.handler(context({ terminationProtection: true }).ctx);

    expect(
      cloudFormation.commandCalls(UpdateTerminationProtectionCommand)[0].args[0]
        .input,
    ).toEqual({
      StackName: STACK_ID,
      EnableTerminationProtection: true,
    });
  });

  it('never lets a NoEcho or secret-looking value reach logs, outputs or errors', async () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789AB';
    mockDir.setContent({
      infra: {
        'template.yaml': TEMPLATE.replace(
          '  Subnets:',
          '  GithubToken:\n    Type: String\n  Subnets:',
        ),
      },
    });
    givenNoStack();
    givenChangeSet();
    givenEvents([
      stackEvent('ROLLBACK_COMPLETE', 9),
      event(
        'Role',
        'AWS::IAM::Role',
        'CREATE_FAILED',
        5,
        `Value '${PASSWORD}' and ${token} rejected`,
      ),
      stackEvent('CREATE_IN_PROGRESS', 1, 'User Initiated'),
    ]);
    cloudFormation
      .on(DescribeEventsCommand)
      .rejects(awsError('InvalidAction', 'not supported'));
    givenFinalStack('ROLLBACK_COMPLETE');
    const { action } = createAction();
    const { ctx, logText, outputs } = context({
      parameters: {
        ContainerImage: 'app:2',
        DbPassword: PASSWORD,
        GithubToken: token,
      },
    });

    const error = await action.handler(ctx).catch(e => e);

    expect(error.message).toContain("Value '****' and **** rejected");
    for (const text of [
      error.message,
      error.stack,
      logText(),
      JSON.stringify(outputs()),
    ]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(token);
    }
  });

  describe('dry run', () => {
    it('makes no AWS call and outputs realistic placeholders', async () => {
      const { action, credentialsManager } = createAction({
        allowedAccountIds: [ACCOUNT],
        allowedRegions: ['cn-north-1'],
      });
      const { ctx, outputs, logText } = context(
        { region: 'cn-north-1', capabilities: ['CAPABILITY_IAM'] },
        { isDryRun: true },
      );

      await action.handler(ctx);

      expect(cloudFormation.calls()).toHaveLength(0);
      expect(credentialsManager.getCredentialProvider).not.toHaveBeenCalled();
      const result = outputs();
      expect(result.stackId).toMatch(
        /^arn:aws-cn:cloudformation:cn-north-1:123456789012:stack\/payments\/[0-9a-f-]{36}$/,
      );
      expect(result.changeSetId).toMatch(
        /^arn:aws-cn:cloudformation:cn-north-1:123456789012:changeSet\/backstage-[0-9a-f]{16}\/[0-9a-f-]{36}$/,
      );
      expect(result.BucketName).toMatch(/^payments-bucket-[0-9a-f]{12}$/);
      expect(result.RoleArn).toMatch(
        /^arn:aws-cn:iam::123456789012:role\/payments-Role-[0-9A-F]{12}$/,
      );
      expect(result.Url).toMatch(
        /^https:\/\/payments-bucket-[0-9a-f]{12}\.s3\.cn-north-1\.amazonaws\.com\.cn$/,
      );
      expect(result.DbPasswordOut).toBe('****');
      expect(result).toMatchObject({
        stackStatus: 'CREATE_COMPLETE',
        changed: true,
        executed: true,
        region: 'cn-north-1',
        accountId: ACCOUNT,
      });
      const log = logText();
      expect(log).toContain('Dry run: no AWS call is made');
      expect(log).toContain('ContainerImage=app:2, DbPassword=****');
      expect(log).toMatch(/add\s+-\s+Role\s+AWS::IAM::Role/);
      expect(log).not.toContain(PASSWORD);
    });
  });

  describe('refused before any AWS call', () => {
    it.each([
      [
        'a region outside the allowlist',
        {},
        { region: 'us-east-1' },
        /Deploys to region us-east-1 are not allowed: the allowed regions are eu-west-1/,
      ],
      [
        'an account outside the allowlist',
        {},
        { accountId: '999999999999' },
        /Deploys to account 999999999999 are not allowed/,
      ],
      [
        'no allowed accounts configured',
        { allowedAccountIds: undefined },
        {},
        /aws.cloudformation.allowedAccountIds is not configured/,
      ],
      [
        'no region anywhere',
        { defaultRegion: undefined, allowedRegions: [] },
        {},
        /region: none given/,
      ],
      [
        'several allowed accounts and none chosen',
        { allowedAccountIds: [ACCOUNT, '210987654321'] },
        {},
        /accountId: required/,
      ],
      [
        'a template outside the workspace',
        {},
        { templatePath: '../escape.yaml' },
        /leaves the workspace/,
      ],
      [
        'a missing template',
        {},
        { templatePath: 'infra/missing.yaml' },
        /no readable file/,
      ],
      [
        'an unknown parameter',
        {},
        { parameters: { Image: 'x' } },
        /parameters: Image is not a parameter of infra\/template.yaml \(it has: ContainerImage, DbPassword, Subnets\)/,
      ],
      [
        'a reserved tag',
        {},
        { tags: { 'backstage:entity-ref': 'component:default/other' } },
        /tags: "backstage:entity-ref" uses a reserved prefix/,
      ],
      [
        'a stack name CloudFormation refuses, in words',
        {},
        { stackName: 'orders_api' },
        /stackName "orders_api" must start with a letter and hold only letters, digits and hyphens/,
      ],
    ])('%s', async (_label, settings, input, message) => {
      const { action } = createAction({
        allowedAccountIds: [ACCOUNT],
        allowedRegions: ['eu-west-1'],
        defaultRegion: 'eu-west-1',
        ...settings,
      });

      await expect(action.handler(context(input).ctx)).rejects.toThrow(message);
      expect(cloudFormation.calls()).toHaveLength(0);
    });

    it('a template over the inline size limit, saying so', async () => {
      mockDir.setContent({
        infra: { 'template.yaml': `${TEMPLATE}\n# ${'x'.repeat(52_000)}\n` },
      });
      const { action } = createAction();

      await expect(action.handler(context().ctx)).rejects.toThrow(
        /over CloudFormation's 51200-byte limit for templates passed inline/,
      );
      expect(cloudFormation.calls()).toHaveLength(0);
    });

    it('a template that is not CloudFormation', async () => {
      mockDir.setContent({ infra: { 'template.yaml': 'just: [a, list' } });
      const { action } = createAction();

      await expect(action.handler(context().ctx)).rejects.toThrow(
        /templatePath: infra\/template.yaml: The template is neither valid JSON nor valid YAML/,
      );
    });

    it('uses the only allowed account and the default region when none is given', async () => {
      const { action } = createAction({
        allowedAccountIds: [ACCOUNT],
        defaultRegion: 'eu-west-1',
      });
      const { ctx, outputs } = context({}, { isDryRun: true });

      await action.handler(ctx);

      expect(outputs()).toMatchObject({
        region: 'eu-west-1',
        accountId: ACCOUNT,
      });
    });
  });
});
