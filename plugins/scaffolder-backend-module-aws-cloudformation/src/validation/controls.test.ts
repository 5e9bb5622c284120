import { validateTemplate } from './validateTemplate';
import type { ValidationFinding } from './types';

const rules = (findings: ValidationFinding[]) =>
  findings.map(
    finding => `${finding.severity} ${finding.rule} ${finding.path}`,
  );
const withControls = (Resources: Record<string, unknown>) =>
  validateTemplate({ Resources }, { controls: true });

const keyPolicy = (statement: Record<string, unknown>) => ({
  Type: 'AWS::KMS::Key',
  Properties: {
    KeyPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Resource: '*',
          ...statement,
        },
      ],
    },
  },
});
const secret = {
  Type: 'AWS::SecretsManager::Secret',
  Properties: { GenerateSecretString: { PasswordLength: 32 } },
};
const database = (properties: Record<string, unknown>) => ({
  Type: 'AWS::RDS::DBInstance',
  Properties: {
    DBInstanceClass: 'db.t4g.micro',
    StorageEncrypted: true,
    MasterUsername: 'admin',
    ManageMasterUserPassword: true,
    AllocatedStorage: '20',
    ...properties,
  },
});
const parameterGroup = (
  Family: string,
  Parameters: Record<string, unknown>,
) => ({
  Type: 'AWS::RDS::DBParameterGroup',
  Properties: { Family, Description: 'TLS only', Parameters },
});
const trust = (Condition?: Record<string, unknown>) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRole',
          ...(Condition ? { Condition } : {}),
        },
      ],
    },
  },
});

describe('hardening control rules (checkControls)', () => {
  it('are off unless asked for, so existing templates keep their findings', () => {
    expect(
      validateTemplate({
        Resources: { Key: keyPolicy({ Action: 'kms:*' }), Secret: secret },
      }),
    ).toEqual([]);
  });

  it.each([
    ['kms:*', undefined, true],
    ['kms:Create*', undefined, true],
    [
      'kms:CreateGrant',
      { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      false,
    ],
    ['kms:Decrypt', undefined, false],
  ])(
    'kms-grant-unconditioned: %s with condition %j warns: %s',
    (Action, Condition, warns) => {
      const findings = withControls({
        Key: keyPolicy({ Action, ...(Condition ? { Condition } : {}) }),
      });
      expect(rules(findings)).toEqual(
        warns
          ? [
              'warning kms-grant-unconditioned Resources/Key/Properties/KeyPolicy/Statement/0',
            ]
          : [],
      );
    },
  );

  it('secret-without-resource-policy: warns for a secret no ResourcePolicy names', () => {
    const policy = {
      Type: 'AWS::SecretsManager::ResourcePolicy',
      Properties: {
        SecretId: { Ref: 'Guarded' },
        ResourcePolicy: { Statement: [] },
      },
    };
    expect(
      rules(withControls({ Guarded: secret, Bare: secret, Policy: policy })),
    ).toEqual(['warning secret-without-resource-policy Resources/Bare']);
  });

  it.each([
    [
      'postgres without a parameter group',
      database({ Engine: 'postgres' }),
      {},
      true,
    ],
    [
      'postgres forcing SSL',
      database({ Engine: 'postgres', DBParameterGroupName: { Ref: 'Params' } }),
      { Params: parameterGroup('postgres16', { 'rds.force_ssl': '1' }) },
      false,
    ],
    [
      'postgres with SSL left optional',
      database({ Engine: 'postgres', DBParameterGroupName: { Ref: 'Params' } }),
      { Params: parameterGroup('postgres16', { 'rds.force_ssl': '0' }) },
      true,
    ],
    [
      'mysql requiring secure transport',
      database({ Engine: 'mysql', DBParameterGroupName: { Ref: 'Params' } }),
      {
        Params: parameterGroup('mysql8.4', { require_secure_transport: 'ON' }),
      },
      false,
    ],
    [
      'a parameter group from outside the template',
      database({ Engine: 'mysql', DBParameterGroupName: 'shared-tls' }),
      {},
      false,
    ],
    [
      'a replica (settings come from its own group)',
      database({ Engine: 'postgres', SourceDBInstanceIdentifier: 'primary' }),
      {},
      false,
    ],
  ])('database-tls-not-enforced: %s', (_name, db, others, warns) => {
    const findings = withControls({ Db: db, ...others });
    expect(rules(findings)).toEqual(
      warns
        ? [
            'warning database-tls-not-enforced Resources/Db/Properties/DBParameterGroupName',
          ]
        : [],
    );
  });

  it('container-root-user: warns for containers without a user or running as root', () => {
    const findings = withControls({
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ContainerDefinitions: [
            { Name: 'app', Image: 'app', User: '1000' },
            { Name: 'sidecar', Image: 'sidecar' },
            { Name: 'init', Image: 'init', User: 'root' },
          ],
        },
      },
    });
    expect(rules(findings)).toEqual([
      'warning container-root-user Resources/Task/Properties/ContainerDefinitions/1/User',
      'warning container-root-user Resources/Task/Properties/ContainerDefinitions/2/User',
    ]);
  });

  it('service-trust-without-source-condition: warns unless aws:SourceAccount or aws:SourceArn bounds the service', () => {
    const findings = withControls({
      Open: trust(),
      Account: trust({
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      }),
      Arn: trust({
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Sub':
              'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*',
          },
        },
      }),
    });
    expect(rules(findings)).toEqual([
      'warning service-trust-without-source-condition Resources/Open/Properties/AssumeRolePolicyDocument/Statement/0',
    ]);
  });

  it('can be turned off per template with a reason, like the other security rules', () => {
    const findings = validateTemplate(
      {
        Metadata: {
          'aws:cloudformation:validate': {
            ignore: [
              {
                rule: 'secret-without-resource-policy',
                reason: 'read by a role in another account',
              },
            ],
          },
        },
        Resources: { Bare: secret },
      },
      { controls: true },
    );
    expect(findings.map(finding => finding.severity)).toEqual(['info']);
  });
});
