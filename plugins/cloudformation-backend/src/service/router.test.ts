import request from 'supertest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  StackEvent,
} from '@aws-sdk/client-cloudformation';
import { BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogServiceRequestOptions } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_CLOUDFORMATION_REGION,
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
  METADATA_DESCRIPTION_KEY,
} from '@golden-path/plugin-cloudformation-common';
import { cloudFormationPlugin } from '../plugin';

const ACCOUNT = '123456789012';
const STACK = 'payments-prod';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${STACK}/0f1e2d3c`;
const ROUTE = '/api/cloudformation/stacks/by-entity/component/default/payments';
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

const cfn = mockClient(CloudFormationClient);

function entity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments',
      namespace: 'default',
      annotations: {
        [ANNOTATION_CLOUDFORMATION_STACK_NAME]: STACK,
        [ANNOTATION_CLOUDFORMATION_REGION]: 'eu-west-1',
        [ANNOTATION_AWS_ACCOUNT_ID]: ACCOUNT,
        ...annotations,
      },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Metadata:
      ${METADATA_DESCRIPTION_KEY}: PostgreSQL database (RDS)
    Properties:
      DBInstanceClass: db.t4g.micro
  Service:
    Type: AWS::ECS::Service
    Metadata:
      ${METADATA_DESCRIPTION_KEY}: The app's containers (ECS Fargate)
    Properties:
      Cluster: !Ref Cluster
  Cluster:
    Type: AWS::ECS::Cluster
Outputs:
  ServiceUrl:
    Value: !Sub 'https://\${LoadBalancer.DNSName}'
`;

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));

function event(
  minute: number,
  logicalId: string,
  status: string,
  reason?: string,
  type = 'AWS::ECS::Service',
): StackEvent {
  const stackEvent = logicalId === STACK;
  return {
    StackId: STACK_ID,
    StackName: STACK,
    EventId: `${logicalId}-${status}-${minute}`,
    LogicalResourceId: logicalId,
    PhysicalResourceId: stackEvent ? STACK_ID : undefined,
    ResourceType: stackEvent ? 'AWS::CloudFormation::Stack' : type,
    Timestamp: at(minute),
    ResourceStatus: status as StackEvent['ResourceStatus'],
    ResourceStatusReason: reason,
  };
}

function mockStack(
  options: { status?: string; events?: StackEvent[][]; stackId?: string } = {},
) {
  const stackId = options.stackId ?? STACK_ID;
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: STACK,
        StackId: stackId,
        StackStatus: (options.status ?? 'UPDATE_COMPLETE') as 'UPDATE_COMPLETE',
        CreationTime: at(0),
        LastUpdatedTime: at(30),
        Outputs: [
          {
            OutputKey: 'ServiceUrl',
            OutputValue: 'https://payments.example.com',
            Description: 'Public URL',
          },
          {
            OutputKey: 'ClusterName',
            OutputValue: 'payments-prod-cluster',
            ExportName: 'payments-prod-cluster',
          },
        ],
      },
    ],
  });
  cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      {
        LogicalResourceId: 'Database',
        PhysicalResourceId: 'payments-prod-db',
        ResourceType: 'AWS::RDS::DBInstance',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: at(10),
      },
      {
        LogicalResourceId: 'Cluster',
        ResourceType: 'AWS::ECS::Cluster',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: at(5),
      },
    ],
  });
  const pages = options.events ?? [
    [
      event(30, STACK, 'UPDATE_COMPLETE'),
      event(29, 'Service', 'UPDATE_COMPLETE'),
    ],
  ];
  pages.forEach((page, index) => {
    cfn
      .on(DescribeStackEventsCommand, {
        StackName: stackId,
        NextToken: index === 0 ? undefined : `page-${index}`,
      })
      .resolves({
        StackEvents: page,
        NextToken: index < pages.length - 1 ? `page-${index + 1}` : undefined,
      });
  });
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
}

async function startBackend(
  options: {
    entities?: Entity[];
    config?: Record<string, unknown> & {
      cloudformation?: Record<string, unknown>;
    };
  } = {},
) {
  const { server } = await startTestBackend({
    features: [
      cloudFormationPlugin,
      catalogServiceMock.factory({ entities: options.entities ?? [entity()] }),
      mockServices.rootConfig.factory({
        data: {
          aws: {
            accounts: [
              {
                accountId: ACCOUNT,
                accessKeyId: ACCESS_KEY_ID,
                secretAccessKey: 'not-a-real-secret',
              },
            ],
            ...options.config,
            cloudformation: {
              allowedAccountIds: [ACCOUNT],
              allowedRegions: ['eu-west-1'],
              ...options.config?.cloudformation,
            },
          },
        },
      }),
    ],
  });
  return server;
}

const awsError = (name: string, message: string) =>
  Object.assign(new Error(message), { name });

describe('GET /stacks/by-entity/:kind/:namespace/:name', () => {
  beforeEach(() => cfn.reset());

  it('answers the stack: status, outputs, resources described by the template, latest events', async () => {
    mockStack();
    const server = await startBackend();

    const response = await request(server).get(ROUTE);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'available',
      retrievedAt: expect.any(String),
      stack: {
        stackName: STACK,
        stackId: STACK_ID,
        region: 'eu-west-1',
        accountId: ACCOUNT,
        status: 'UPDATE_COMPLETE',
        phase: 'complete',
        createdAt: '2025-01-01T12:00:00.000Z',
        lastUpdatedAt: '2025-01-01T12:30:00.000Z',
        outputs: [
          {
            key: 'ServiceUrl',
            value: 'https://payments.example.com',
            description: 'Public URL',
          },
          {
            key: 'ClusterName',
            value: 'payments-prod-cluster',
            exportName: 'payments-prod-cluster',
          },
        ],
        resources: [
          {
            logicalId: 'Database',
            physicalId: 'payments-prod-db',
            type: 'AWS::RDS::DBInstance',
            status: 'CREATE_COMPLETE',
            description: 'PostgreSQL database (RDS)',
            updatedAt: '2025-01-01T12:10:00.000Z',
          },
          {
            logicalId: 'Cluster',
            type: 'AWS::ECS::Cluster',
            status: 'CREATE_COMPLETE',
            updatedAt: '2025-01-01T12:05:00.000Z',
          },
        ],
        events: [
          {
            id: `${STACK}-UPDATE_COMPLETE-30`,
            timestamp: '2025-01-01T12:30:00.000Z',
            logicalId: STACK,
            resourceType: 'AWS::CloudFormation::Stack',
            status: 'UPDATE_COMPLETE',
          },
          {
            id: 'Service-UPDATE_COMPLETE-29',
            timestamp: '2025-01-01T12:29:00.000Z',
            logicalId: 'Service',
            resourceType: 'AWS::ECS::Service',
            status: 'UPDATE_COMPLETE',
          },
        ],
        consoleUrl: `https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/stackinfo?stackId=${encodeURIComponent(STACK_ID)}`,
      },
    });

    // Read in the annotated region with the account's credentials from the AWS integration.
    const client = cfn.commandCalls(DescribeStacksCommand)[0]
      .thisValue as CloudFormationClient;
    await expect(client.config.region()).resolves.toBe('eu-west-1');
    await expect(client.config.credentials()).resolves.toMatchObject({
      accessKeyId: ACCESS_KEY_ID,
    });
    expect(cfn.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({
      StackName: STACK,
    });
    expect(cfn.commandCalls(GetTemplateCommand)[0].args[0].input).toEqual({
      StackName: STACK_ID,
      TemplateStage: 'Original',
    });
  });

  it('names the root cause of a failed operation, paging back to where the operation started', async () => {
    const failing = 'CannotPullContainerError: pull access denied for payments';
    // The rollback fills the first page; the failure and the operation's start are further back.
    const rollbackNoise = Array.from({ length: 25 }, (_, i) =>
      event(
        59 - i,
        `Queue${i}`,
        'DELETE_COMPLETE',
        undefined,
        'AWS::SQS::Queue',
      ),
    );
    mockStack({
      status: 'UPDATE_ROLLBACK_COMPLETE',
      events: [
        [event(60, STACK, 'UPDATE_ROLLBACK_COMPLETE'), ...rollbackNoise],
        [
          event(
            33,
            STACK,
            'UPDATE_ROLLBACK_IN_PROGRESS',
            'The following resource(s) failed to update: [Service].',
          ),
          event(32, 'Service', 'UPDATE_FAILED', failing),
          event(31, STACK, 'UPDATE_IN_PROGRESS', 'User Initiated'),
          // An older, since-fixed failure must not be blamed.
          event(
            10,
            'Database',
            'CREATE_FAILED',
            'DB subnet group is invalid',
            'AWS::RDS::DBInstance',
          ),
        ],
      ],
    });
    const server = await startBackend();

    const response = await request(server).get(ROUTE);

    expect(response.status).toBe(200);
    expect(response.body.stack).toMatchObject({
      status: 'UPDATE_ROLLBACK_COMPLETE',
      phase: 'failed',
      failure: {
        logicalResourceId: 'Service',
        resourceType: 'AWS::ECS::Service',
        status: 'UPDATE_FAILED',
        reason: failing,
        summary: `Service (AWS::ECS::Service) failed to update: ${failing}.`,
      },
    });
    expect(response.body.stack.events).toHaveLength(20);
    expect(response.body.stack.events[0].status).toBe(
      'UPDATE_ROLLBACK_COMPLETE',
    );
    expect(cfn.commandCalls(DescribeStackEventsCommand)).toHaveLength(2);
  });

  it('reports a stack in progress without paging through its history', async () => {
    mockStack({
      status: 'UPDATE_IN_PROGRESS',
      events: [
        [
          event(40, 'Service', 'UPDATE_IN_PROGRESS'),
          event(39, STACK, 'UPDATE_IN_PROGRESS', 'User Initiated'),
        ],
        [],
      ],
    });
    const server = await startBackend();

    const response = await request(server).get(ROUTE);

    expect(response.body.stack).toMatchObject({
      status: 'UPDATE_IN_PROGRESS',
      phase: 'in-progress',
    });
    expect(response.body.stack.failure).toBeUndefined();
    expect(cfn.commandCalls(DescribeStackEventsCommand)).toHaveLength(1);
  });

  it('asks the catalog with the caller credentials: an entity the caller cannot read is not found', async () => {
    mockStack();
    const alice = 'user:default/alice';
    const callerOf = (options: unknown) =>
      (
        (options as CatalogServiceRequestOptions).credentials
          .principal as BackstageUserPrincipal
      ).userEntityRef;
    const getEntityByRef = jest.fn(async (_ref: unknown, options?: unknown) =>
      callerOf(options) === alice ? entity() : undefined,
    );
    const { server } = await startTestBackend({
      features: [
        cloudFormationPlugin,
        catalogServiceMock.mock({ getEntityByRef }).factory,
        mockServices.rootConfig.factory({
          data: {
            aws: {
              accounts: [
                {
                  accountId: ACCOUNT,
                  accessKeyId: ACCESS_KEY_ID,
                  secretAccessKey: 'x',
                },
              ],
              cloudformation: {
                allowedAccountIds: [ACCOUNT],
                allowedRegions: ['eu-west-1'],
              },
            },
          },
        }),
      ],
    });

    const asAlice = await request(server)
      .get(ROUTE)
      .set('Authorization', mockCredentials.user.header(alice));
    const asBob = await request(server)
      .get(ROUTE)
      .set('Authorization', mockCredentials.user.header('user:default/bob'));
    // Alice's answer is cached now; Bob must still be refused.
    const asBobAgain = await request(server)
      .get(ROUTE)
      .set('Authorization', mockCredentials.user.header('user:default/bob'));

    expect(asAlice.status).toBe(200);
    expect(asBob.status).toBe(404);
    expect(asBob.body.error).toEqual({
      name: 'NotFoundError',
      message: 'Entity component:default/payments not found',
    });
    expect(asBobAgain.status).toBe(404);
    expect(getEntityByRef).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'payments' },
      { credentials: mockCredentials.user('user:default/bob') },
    );
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
  });

  it('refuses unauthenticated callers', async () => {
    const server = await startBackend();

    const response = await request(server)
      .get(ROUTE)
      .set('Authorization', mockCredentials.none.header());

    expect(response.status).toBe(401);
    expect(cfn.calls()).toHaveLength(0);
  });

  it('answers repeated requests from the cache', async () => {
    mockStack();
    const server = await startBackend();

    const first = await request(server).get(ROUTE);
    const second = await request(server).get(ROUTE);

    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(cfn.commandCalls(ListStackResourcesCommand)).toHaveLength(1);
    expect(cfn.commandCalls(DescribeStackEventsCommand)).toHaveLength(1);
    expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(1);
  });

  it('shares one read of AWS among requests that miss the cache together (tabs opened at once)', async () => {
    mockStack();
    const server = await startBackend();

    const answers = await Promise.all(
      Array.from({ length: 8 }, () => request(server).get(ROUTE)),
    );

    expect(answers.map(answer => answer.status)).toEqual(Array(8).fill(200));
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(cfn.commandCalls(ListStackResourcesCommand)).toHaveLength(1);
  });

  it('is not found, saying why, for an entity without the stack annotation', async () => {
    const server = await startBackend({
      entities: [entity({ [ANNOTATION_CLOUDFORMATION_STACK_NAME]: '' })],
    });

    const response = await request(server).get(ROUTE);

    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({
      name: 'NotFoundError',
      message:
        'component:default/payments has no aws.amazon.com/cloudformation-stack-name annotation; ' +
        'add it with the name of the CloudFormation stack that runs the entity',
    });
    expect(cfn.calls()).toHaveLength(0);
  });

  it('is not found when the stack does not exist', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        awsError('ValidationError', `Stack with id ${STACK} does not exist`),
      );
    const server = await startBackend();

    const response = await request(server).get(ROUTE);

    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({
      name: 'NotFoundError',
      message: `Stack ${STACK} was not found in region eu-west-1 of AWS account ${ACCOUNT}.`,
    });
  });

  it('is unavailable, with what to grant, when AWS denies access', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/backstage/session is not authorized to perform: cloudformation:DescribeStacks`,
        ),
      );
    const server = await startBackend();

    const response = await request(server).get(ROUTE);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'unavailable',
      reason: 'access-denied',
      message:
        `AWS denied Backstage's credentials reading stack ${STACK} in region eu-west-1 of AWS account ${ACCOUNT}: ` +
        'allow cloudformation:DescribeStacks, ListStackResources, DescribeStackEvents and GetTemplate on it.',
    });
    // The role of the backend is for its logs, not for every catalog reader.
    expect(JSON.stringify(response.body)).not.toContain('assumed-role');
  });

  it('is unavailable when there are no AWS credentials', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        awsError(
          'CredentialsProviderError',
          'Could not load credentials from any providers',
        ),
      );
    const server = await startBackend();

    const response = await request(server).get(ROUTE);

    expect(response.body).toEqual({
      status: 'unavailable',
      reason: 'not-configured',
      message: `Backstage has no AWS credentials for account ${ACCOUNT}: configure aws.mainAccount or an aws.accounts entry in the app-config.`,
    });
  });

  it('keeps to the account and region allowlist without calling AWS', async () => {
    const server = await startBackend({
      entities: [entity({ [ANNOTATION_CLOUDFORMATION_REGION]: 'us-east-1' })],
      config: {
        cloudformation: {
          allowedAccountIds: [ACCOUNT],
          allowedRegions: ['eu-west-1'],
        },
      },
    });

    const response = await request(server).get(ROUTE);

    expect(response.body).toEqual({
      status: 'unavailable',
      reason: 'not-allowed',
      message:
        'Region us-east-1 is not in aws.cloudformation.allowedRegions; add it there to show its stacks.',
    });
    expect(cfn.calls()).toHaveLength(0);
  });

  it('checks the account the stack really lives in when the entity names none', async () => {
    mockStack({
      stackId: `arn:aws:cloudformation:eu-west-1:999999999999:stack/${STACK}/0f1e2d3c`,
    });
    const server = await startBackend({
      entities: [entity({ [ANNOTATION_AWS_ACCOUNT_ID]: '' })],
      config: {
        mainAccount: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'x' },
        cloudformation: { allowedAccountIds: [ACCOUNT] },
      },
    });

    const response = await request(server).get(ROUTE);

    expect(response.body).toEqual({
      status: 'unavailable',
      reason: 'not-allowed',
      message:
        'AWS account 999999999999 is not in aws.cloudformation.allowedAccountIds; add it there to show its stacks.',
    });
  });

  it('falls back to the configured default region, and says what to set without one', async () => {
    mockStack();
    const withDefault = await startBackend({
      entities: [entity({ [ANNOTATION_CLOUDFORMATION_REGION]: '' })],
      config: { cloudformation: { defaultRegion: 'eu-west-1' } },
    });
    const withoutDefault = await startBackend({
      entities: [entity({ [ANNOTATION_CLOUDFORMATION_REGION]: '' })],
    });

    expect((await request(withDefault).get(ROUTE)).body.status).toBe(
      'available',
    );
    const client = cfn.commandCalls(DescribeStacksCommand)[0]
      .thisValue as CloudFormationClient;
    await expect(client.config.region()).resolves.toBe('eu-west-1');
    expect((await request(withoutDefault).get(ROUTE)).body).toEqual({
      status: 'unavailable',
      reason: 'not-configured',
      message:
        `No region for stack ${STACK}: add the aws.amazon.com/cloudformation-region annotation to the entity ` +
        'or set aws.cloudformation.defaultRegion in the app-config.',
    });
  });

  it('still shows the stack when its template cannot be read, just without descriptions', async () => {
    mockStack();
    cfn
      .on(GetTemplateCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'not authorized to perform: cloudformation:GetTemplate',
        ),
      );
    const server = await startBackend();

    const response = await request(server).get(ROUTE);

    expect(response.body.status).toBe('available');
    expect(
      response.body.stack.resources.map(
        (r: { description?: string }) => r.description,
      ),
    ).toEqual([undefined, undefined]);
  });
});
