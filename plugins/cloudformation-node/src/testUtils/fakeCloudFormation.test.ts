import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  paginateListStackResources,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { FakeCloudFormation } from './fakeCloudFormation';

jest.setTimeout(30_000);

// The golden path's outputs in small: names given by the template, names CloudFormation makes up,
// and the attributes an entity page shows.
const TEMPLATE = `
Parameters:
  ContainerImage:
    Type: String
    Default: public.ecr.aws/nginx/nginx-unprivileged:alpine
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Metadata:
      backstage:description: ECS cluster of the service
    Properties:
      ClusterName: orders-dev
  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Metadata:
      backstage:description: Application load balancer (internet-facing)
    Properties:
      Scheme: internet-facing
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: orders-dev
      Engine: postgres
  Repository:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: orders-dev
  Service:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: orders-dev
      Cluster: !Ref Cluster
  LogGroup:
    Type: AWS::Logs::LogGroup
Outputs:
  ServiceUrl:
    Description: URL of the service
    Value: !Sub 'http://\${LoadBalancer.DNSName}'
  LoadBalancerDnsName:
    Value: !GetAtt LoadBalancer.DNSName
  ClusterName:
    Value: !Ref Cluster
  ServiceName:
    Value: !GetAtt Service.Name
  RepositoryUri:
    Value: !GetAtt Repository.RepositoryUri
  DatabaseEndpoint:
    Value: !GetAtt Database.Endpoint.Address
  DatabasePort:
    Value: !GetAtt Database.Endpoint.Port
  DatabaseSecretArn:
    Value: !GetAtt Database.MasterUserSecret.SecretArn
  LogGroupName:
    Value: !Ref LogGroup
  ClusterConsole:
    Value: !Join ['', ['https://', !Ref 'AWS::Region', '.console.aws.amazon.com/ecs/v2/clusters/', !Ref Cluster]]
`;
const RESOURCES = [
  'Cluster',
  'LoadBalancer',
  'Database',
  'Repository',
  'Service',
  'LogGroup',
];

let fake: FakeCloudFormation;
let client: CloudFormationClient;

async function start(
  options: Parameters<typeof FakeCloudFormation.start>[0] = {},
) {
  fake = await FakeCloudFormation.start(options);
  client = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'not-a-real-secret',
    },
    maxAttempts: 1,
  });
}

afterEach(async () => {
  client?.destroy();
  await fake?.stop();
});

/** Creates the stack through a change set, as the deploy engine does; returns the change set's id. */
async function createStack(stackName: string): Promise<string> {
  const { Id } = await client.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: 'create',
      ChangeSetType: 'CREATE',
      TemplateBody: TEMPLATE,
    }),
  );
  await client.send(
    new ExecuteChangeSetCommand({ ChangeSetName: Id, StackName: stackName }),
  );
  return Id!;
}

async function stackStatus(stackName: string) {
  const { Stacks } = await client.send(
    new DescribeStacksCommand({ StackName: stackName }),
  );
  return Stacks![0].StackStatus;
}

async function settled(stackName: string) {
  const deadline = Date.now() + 10_000;
  while ((await stackStatus(stackName))?.endsWith('_IN_PROGRESS')) {
    if (Date.now() > deadline)
      throw new Error(`Stack ${stackName} did not settle within 10 s`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

async function listResources(stackName: string) {
  const resources: StackResourceSummary[] = [];
  for await (const page of paginateListStackResources(
    { client },
    { StackName: stackName },
  )) {
    resources.push(...(page.StackResourceSummaries ?? []));
  }
  return resources;
}

describe('the scripted CloudFormation endpoint, read the way an entity page reads a stack', () => {
  it('lists the resources of a created stack, page by page, with their physical ids and status', async () => {
    await start({ resourcePageSize: 4 });
    fake.scenario('orders-dev', { stepMs: 5 });
    const startedAt = Date.now();
    await createStack('orders-dev');
    await settled('orders-dev');

    const resources = await listResources('orders-dev');

    expect(resources.map(resource => resource.LogicalResourceId)).toEqual(
      RESOURCES,
    );
    expect(fake.callsFor('orders-dev', 'ListStackResources')).toHaveLength(2);
    for (const resource of resources) {
      expect(resource.ResourceStatus).toBe('CREATE_COMPLETE');
      expect(resource.ResourceStatusReason).toBeUndefined();
      expect(resource.LastUpdatedTimestamp).toBeInstanceOf(Date);
      expect(resource.LastUpdatedTimestamp!.getTime()).toBeGreaterThanOrEqual(
        startedAt - 1_000,
      );
    }
    const byId = Object.fromEntries(
      resources.map(resource => [resource.LogicalResourceId, resource]),
    );
    expect(byId.Cluster).toMatchObject({
      ResourceType: 'AWS::ECS::Cluster',
      PhysicalResourceId: 'orders-dev',
    });
    expect(byId.Database.PhysicalResourceId).toBe('orders-dev');
    expect(byId.Service.PhysicalResourceId).toBe(
      'arn:aws:ecs:us-east-1:123456789012:service/orders-dev/orders-dev',
    );
    expect(byId.LoadBalancer.PhysicalResourceId).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/[\w-]{1,32}\/[0-9a-f]{16}$/,
    );
    // No name in the template: CloudFormation makes one up from the stack and logical id.
    expect(byId.LogGroup.PhysicalResourceId).toMatch(
      /^orders-dev-LogGroup-[0-9A-Z]{12}$/,
    );
  });

  it('shows resources still being created while the stack is in progress', async () => {
    await start();
    fake.scenario('orders-dev', { stepMs: 300 });
    await createStack('orders-dev');
    // The resources start after the first step and finish one step apart.
    const deadline = Date.now() + 5_000;
    let resources: StackResourceSummary[] = [];
    while (resources.length === 0 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
      resources =
        (
          await client.send(
            new ListStackResourcesCommand({ StackName: 'orders-dev' }),
          )
        ).StackResourceSummaries ?? [];
    }

    expect(await stackStatus('orders-dev')).toBe('CREATE_IN_PROGRESS');
    expect(resources.map(resource => resource.LogicalResourceId)).toEqual(
      RESOURCES,
    );
    expect(
      resources.filter(
        resource => resource.ResourceStatus === 'CREATE_IN_PROGRESS',
      ).length,
    ).toBeGreaterThan(0);
    expect(
      resources.find(
        resource => resource.ResourceStatus === 'CREATE_IN_PROGRESS',
      )?.ResourceStatusReason,
    ).toBe('Resource creation Initiated');
  });

  it('answers GetTemplate with the template as submitted, for the stack and for its change set', async () => {
    await start();
    fake.scenario('orders-dev', { stepMs: 5 });
    const changeSetId = await createStack('orders-dev');
    await settled('orders-dev');

    const original = await client.send(
      new GetTemplateCommand({
        StackName: 'orders-dev',
        TemplateStage: 'Original',
      }),
    );
    const ofChangeSet = await client.send(
      new GetTemplateCommand({ ChangeSetName: changeSetId }),
    );

    expect(original.TemplateBody).toBe(TEMPLATE);
    expect(original.StagesAvailable).toEqual(['Original', 'Processed']);
    expect(ofChangeSet.TemplateBody).toBe(TEMPLATE);
  });

  it('resolves outputs into the formats AWS returns, with their descriptions', async () => {
    await start();
    fake.scenario('orders-dev', { stepMs: 5 });
    await createStack('orders-dev');
    await settled('orders-dev');

    const { Stacks } = await client.send(
      new DescribeStacksCommand({ StackName: 'orders-dev' }),
    );
    const outputs = Object.fromEntries(
      (Stacks![0].Outputs ?? []).map(output => [
        output.OutputKey,
        output.OutputValue,
      ]),
    );

    expect(outputs).toEqual({
      ServiceUrl: `http://${outputs.LoadBalancerDnsName}`,
      LoadBalancerDnsName: expect.stringMatching(
        /^[a-z0-9-]+-\d{1,10}\.us-east-1\.elb\.amazonaws\.com$/,
      ),
      ClusterName: 'orders-dev',
      ServiceName: 'orders-dev',
      RepositoryUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-dev',
      DatabaseEndpoint: expect.stringMatching(
        /^orders-dev\.[0-9a-f]{12}\.us-east-1\.rds\.amazonaws\.com$/,
      ),
      DatabasePort: '5432',
      DatabaseSecretArn: expect.stringMatching(
        /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{6}$/,
      ),
      LogGroupName: expect.stringMatching(/^orders-dev-LogGroup-[0-9A-Z]{12}$/),
      ClusterConsole:
        'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/orders-dev',
    });
    expect(new URL(outputs.ServiceUrl!).protocol).toBe('http:');
    expect(
      Stacks![0].Outputs!.find(output => output.OutputKey === 'ServiceUrl')
        ?.Description,
    ).toBe('URL of the service');
    expect(
      Stacks![0].Outputs!.find(output => output.OutputKey === 'ClusterName')
        ?.Description,
    ).toBeUndefined();
  });

  it('refuses to list resources or give the template of a stack that does not exist', async () => {
    await start();

    await expect(
      client.send(new ListStackResourcesCommand({ StackName: 'missing' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id missing does not exist',
    });
    await expect(
      client.send(new GetTemplateCommand({ StackName: 'missing' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id missing does not exist',
    });
  });
});
