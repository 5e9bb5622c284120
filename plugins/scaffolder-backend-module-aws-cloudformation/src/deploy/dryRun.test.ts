import { partitionOf, planDryRun } from './dryRun';
import type { DeployRequest } from './types';

const DEPLOY_DEFAULTS: Omit<
  DeployRequest,
  'stackName' | 'templateBody' | 'parameters' | 'owner'
> = {
  tags: {},
  capabilities: [],
  onFailure: 'ROLLBACK',
  timeoutMinutes: 30,
  execute: true,
  failOnEmptyChangeSet: false,
  idempotencyKey: 'abc',
};

describe('planDryRun', () => {
  it.each([
    ['eu-west-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('puts %s in partition %s', (region, partition) =>
    expect(partitionOf(region)).toBe(partition),
  );

  it('plans without AWS and fills outputs with placeholders in the real formats', () => {
    const { lines, result } = planDryRun(
      {
        stackName: 'shop',
        templateBody: `
Parameters:
  Image: { Type: String }
  DbPassword: { Type: String, NoEcho: true }
  Subnets: { Type: CommaDelimitedList }
Resources:
  Queue: { Type: AWS::SQS::Queue }
  Table: { Type: AWS::DynamoDB::Table }
Outputs:
  QueueUrl: { Value: !Ref Queue }
  TableArn: { Value: !GetAtt Table.Arn }
  Image: { Value: !Ref Image }
  Joined: { Value: !Join [':', [!Ref 'AWS::AccountId', !Ref 'AWS::Region']] }
  Password: { Value: !Ref DbPassword }
  Unknown: { Value: !Select [0, !GetAZs ''] }
`,
        parameters: { Image: 'app:1', DbPassword: 'p4ss-w0rd!' },
        owner: { entityRef: 'component:default/shop' },
        ...DEPLOY_DEFAULTS,
      },
      { region: 'us-gov-west-1', accountId: '111122223333' },
    );

    expect(result.stackId).toMatch(
      /^arn:aws-us-gov:cloudformation:us-gov-west-1:111122223333:stack\/shop\/[0-9a-f-]{36}$/,
    );
    expect(result.outputs).toEqual({
      QueueUrl: expect.stringMatching(/^shop-Queue-[0-9A-F]{12}$/),
      TableArn: expect.stringMatching(
        /^arn:aws-us-gov:dynamodb:us-gov-west-1:111122223333:table\/shop-Table-[0-9A-F]{12}$/,
      ),
      Image: 'app:1',
      Joined: '111122223333:us-gov-west-1',
      Password: '****',
      Unknown: 'dry-run-Unknown',
    });
    expect(lines).toContain('Parameters: Image=app:1, DbPassword=****');
    expect(lines).toContain(
      'Parameters without a value or default: Subnets (a create would fail; an update keeps their deployed values).',
    );
    expect(lines.join('\n')).not.toContain('p4ss-w0rd!');
  });

  it('gives the golden path outputs the formats AWS returns for them', () => {
    const { result } = planDryRun(
      {
        stackName: 'orders-dev',
        templateBody: `
Resources:
  Secret: { Type: AWS::SecretsManager::Secret }
  Database: { Type: AWS::RDS::DBInstance }
  LoadBalancer: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer }
  Repository: { Type: AWS::ECR::Repository }
Outputs:
  SecretArn: { Value: !Ref Secret }
  ManagedSecretArn: { Value: !GetAtt Database.MasterUserSecret.SecretArn }
  DatabaseEndpoint: { Value: !GetAtt Database.Endpoint.Address }
  ServiceUrl: { Value: !Sub 'http://\${LoadBalancer.DNSName}' }
  RepositoryUri: { Value: !GetAtt Repository.RepositoryUri }
`,
        parameters: {},
        owner: { entityRef: 'component:default/orders' },
        ...DEPLOY_DEFAULTS,
      },
      { region: 'eu-west-1', accountId: '111122223333' },
    );

    expect(result.outputs).toEqual({
      SecretArn: expect.stringMatching(
        /^arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders-dev-Secret-[0-9A-F]{12}-[0-9A-F]{6}$/,
      ),
      ManagedSecretArn: expect.stringMatching(
        /^arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders-dev-Database-[0-9A-F]{12}-[0-9A-F]{6}$/,
      ),
      DatabaseEndpoint: expect.stringMatching(
        /^orders-dev-database-[0-9a-f]{12}\.[0-9a-f]{12}\.eu-west-1\.rds\.amazonaws\.com$/,
      ),
      ServiceUrl: expect.stringMatching(
        /^http:\/\/orders-dev-loadbalancer-[0-9a-f]{12}-[0-9A-F]{10}\.eu-west-1\.elb\.amazonaws\.com$/,
      ),
      RepositoryUri: expect.stringMatching(
        /^111122223333\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/orders-dev-repository-[0-9a-f]{12}$/,
      ),
    });
  });
});
