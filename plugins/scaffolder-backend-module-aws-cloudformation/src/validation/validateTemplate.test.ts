import { validateTemplate } from './validateTemplate';
import type { ValidationFinding } from './types';

const rules = (findings: ValidationFinding[]) =>
  findings.map(
    finding => `${finding.rule} ${finding.resource ?? '-'} ${finding.path}`,
  );

function template(
  resources: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: resources,
    ...extra,
  };
}

const encryptedDatabase = {
  Type: 'AWS::RDS::DBInstance',
  Properties: {
    Engine: 'postgres',
    DBInstanceClass: 'db.t4g.micro',
    AllocatedStorage: '20',
    MasterUsername: 'app',
    ManageMasterUserPassword: true,
    StorageEncrypted: true,
  },
};

describe('validateTemplate: structure', () => {
  it('accepts a valid template', () => {
    expect(
      validateTemplate(
        template({
          Database: encryptedDatabase,
          Topic: { Type: 'AWS::SNS::Topic' },
        }),
      ),
    ).toEqual([]);
  });

  it('names unknown types, properties, wrong types, bad enums and missing required properties', () => {
    const findings = validateTemplate(
      template({
        Queue: { Type: 'AWS::SQS::Queu' },
        Service: {
          Type: 'AWS::ECS::Service',
          Properties: {
            DesiredCount: 'many',
            LaunchType: 'FARGATEX',
            EnableExecuteCommand: 'perhaps',
            Cluster: { name: 'x' },
            LoadBalancers: 'lb',
            NetworkConfiguration: { AwsvpcConfiguration: { Subnet: ['a'] } },
            ServiceNam: 'x',
          },
        },
      }),
    );
    expect(rules(findings)).toEqual([
      'unknown-resource-type Queue Resources/Queue/Type',
      'invalid-type Service Resources/Service/Properties/DesiredCount',
      'invalid-enum Service Resources/Service/Properties/LaunchType',
      'invalid-type Service Resources/Service/Properties/EnableExecuteCommand',
      'invalid-type Service Resources/Service/Properties/Cluster',
      'invalid-type Service Resources/Service/Properties/LoadBalancers',
      'unknown-property Service Resources/Service/Properties/NetworkConfiguration/AwsvpcConfiguration/Subnet',
      'unknown-property Service Resources/Service/Properties/ServiceNam',
    ]);
    expect(findings[0].message).toBe(
      'Unknown resource type "AWS::SQS::Queu" (did you mean "AWS::SQS::Queue"?).',
    );
    expect(findings[2].message).toMatch(
      /^"FARGATEX" is not allowed; use one of EC2, FARGATE, EXTERNAL/,
    );
    expect(findings[7].message).toBe(
      'Unknown property "ServiceNam" (did you mean "ServiceName"?).',
    );
  });

  it('takes intrinsic functions on trust but checks both branches of Fn::If', () => {
    const findings = validateTemplate(
      template(
        {
          Service: {
            Type: 'AWS::ECS::Service',
            Properties: {
              DesiredCount: {
                'Fn::If': ['Big', 'lots', { Ref: 'AWS::NoValue' }],
              },
              Cluster: { Ref: 'AWS::StackName' },
            },
          },
        },
        { Conditions: { Big: { 'Fn::Equals': ['a', 'b'] } } },
      ),
    );
    expect(rules(findings)).toEqual([
      'invalid-type Service Resources/Service/Properties/DesiredCount/Fn::If/1',
    ]);
  });

  it('refuses unknown sections and resource attributes, and bad deletion policies', () => {
    const findings = validateTemplate({
      Resources: {
        Topic: {
          Type: 'AWS::SNS::Topic',
          DeletionPolicy: 'Keep',
          Propertes: {},
        },
      },
      Output: {},
    });
    expect(rules(findings)).toEqual([
      'unknown-section - Output',
      'unknown-resource-attribute Topic Resources/Topic/Propertes',
      'invalid-enum Topic Resources/Topic/DeletionPolicy',
    ]);
    expect(rules(validateTemplate({ Parameters: {} }))).toEqual([
      'missing-resources - Resources',
    ]);
    expect(rules(validateTemplate('text'))).toEqual(['invalid-template - ']);
  });
});

describe('validateTemplate: references', () => {
  it('finds dangling Ref, GetAtt, Sub, DependsOn, conditions and unknown attributes', () => {
    const findings = validateTemplate(
      template(
        {
          Topic: {
            Type: 'AWS::SNS::Topic',
            DependsOn: ['Nowhere'],
            Condition: 'Missing',
            Properties: {
              TopicName: {
                'Fn::Sub':
                  '${Name}-${Databse.Endpoint.Address}-${AWS::Region}-${!Literal}',
              },
              DisplayName: { Ref: 'Databse' },
              KmsMasterKeyId: { 'Fn::GetAtt': ['Database', 'Endpoint.Adress'] },
            },
          },
          Database: encryptedDatabase,
        },
        {
          Parameters: { Name: { Type: 'String' } },
          Outputs: {
            Out: { Value: { 'Fn::GetAtt': 'Nothing.Arn' } },
            Empty: {},
          },
        },
      ),
    );
    expect(rules(findings)).toEqual([
      'dangling-get-att Topic Resources/Topic/Properties/TopicName/Fn::Sub',
      'dangling-ref Topic Resources/Topic/Properties/DisplayName/Ref',
      'unknown-attribute Topic Resources/Topic/Properties/KmsMasterKeyId/Fn::GetAtt',
      'dangling-depends-on Topic Resources/Topic/DependsOn/0',
      'dangling-condition Topic Resources/Topic/Condition',
      'dangling-get-att - Outputs/Out/Value/Fn::GetAtt',
      'missing-output-value - Outputs/Empty',
    ]);
    expect(findings[1].message).toContain('(did you mean "Database"?)');
    expect(findings[2].message).toContain('(did you mean "Endpoint.Address"?)');
  });
});

describe('validateTemplate: security', () => {
  const role = (statement: Record<string, unknown>) => ({
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ecs-tasks.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'p',
          PolicyDocument: { Version: '2012-10-17', Statement: [statement] },
        },
      ],
    },
  });

  it('refuses secret and key grants on wildcard resources, but not other services', () => {
    const findings = validateTemplate(
      template({
        SecretReader: role({
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:*',
        }),
        KeyUser: role({
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: '*',
        }),
        Admin: role({ Effect: 'Allow', Action: '*', Resource: '*' }),
        Fine: role({
          Effect: 'Allow',
          Action: 'ecr:GetAuthorizationToken',
          Resource: '*',
        }),
        Scoped: role({
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: { Ref: 'Secret' },
        }),
        Secret: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: { GenerateSecretString: {} },
        },
      }),
    );
    expect(rules(findings)).toEqual([
      'secretsmanager-wildcard-resource SecretReader Resources/SecretReader/Properties/Policies/0/PolicyDocument/Statement/0/Resource',
      'kms-wildcard-resource KeyUser Resources/KeyUser/Properties/Policies/0/PolicyDocument/Statement/0/Resource',
      'secretsmanager-wildcard-resource Admin Resources/Admin/Properties/Policies/0/PolicyDocument/Statement/0/Resource',
    ]);
  });

  it('refuses public, unencrypted databases, plaintext passwords and secrets, and secret-like parameters without NoEcho', () => {
    const findings = validateTemplate(
      template(
        {
          Database: {
            Type: 'AWS::RDS::DBInstance',
            Properties: {
              Engine: 'postgres',
              DBInstanceClass: 'db.t4g.micro',
              MasterUsername: 'app',
              StorageEncrypted: false,
              PubliclyAccessible: true,
              MasterUserPassword: 'hunter2hunter2',
            },
          },
          Secret: {
            Type: 'AWS::SecretsManager::Secret',
            Properties: { SecretString: '{"password":"x"}' },
          },
          Open: {
            Type: 'AWS::EC2::SecurityGroup',
            Properties: {
              GroupDescription: 'x',
              SecurityGroupIngress: [
                {
                  IpProtocol: 'tcp',
                  FromPort: 22,
                  ToPort: 22,
                  CidrIp: '0.0.0.0/0',
                },
                {
                  IpProtocol: 'tcp',
                  FromPort: 443,
                  ToPort: 443,
                  CidrIp: '0.0.0.0/0',
                },
              ],
            },
          },
        },
        {
          Parameters: {
            DbPassword: { Type: 'String' },
            ApiToken: { Type: 'String', NoEcho: true },
            DatabaseSecretArn: { Type: 'String' },
          },
        },
      ),
    );
    expect(
      findings.map(
        finding => `${finding.severity} ${finding.rule} ${finding.path}`,
      ),
    ).toEqual([
      'error secret-parameter-without-no-echo Parameters/DbPassword',
      'error database-public Resources/Database/Properties/PubliclyAccessible',
      'error storage-unencrypted Resources/Database/Properties/StorageEncrypted',
      'error plaintext-secret Resources/Database/Properties/MasterUserPassword',
      'error plaintext-secret Resources/Secret/Properties/SecretString',
      'warning security-group-open-ingress Resources/Open/Properties/SecurityGroupIngress/0',
    ]);
    // Findings never repeat a secret value.
    expect(JSON.stringify(findings)).not.toContain('hunter2');
  });
});
