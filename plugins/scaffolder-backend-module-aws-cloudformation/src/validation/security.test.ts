import { validateTemplate } from './validateTemplate';
import type { ValidationFinding } from './types';

const rules = (findings: ValidationFinding[]) =>
  findings.map(
    finding => `${finding.severity} ${finding.rule} ${finding.path}`,
  );

describe('security rules that know context', () => {
  it('lets replicas, restores and clones inherit encryption, but not a fresh database', () => {
    const instance = (properties: Record<string, unknown>) => ({
      Type: 'AWS::RDS::DBInstance',
      Properties: { DBInstanceClass: 'db.t4g.micro', ...properties },
    });
    const cluster = (properties: Record<string, unknown>) => ({
      Type: 'AWS::RDS::DBCluster',
      Properties: { Engine: 'aurora-postgresql', ...properties },
    });
    const findings = validateTemplate({
      Resources: {
        Replica: instance({
          SourceDBInstanceIdentifier:
            'arn:aws:rds:eu-west-1:123456789012:db:primary',
        }),
        Restored: instance({ DBSnapshotIdentifier: 'snap' }),
        ClusterMember: instance({
          DBClusterIdentifier: 'cluster',
          Engine: 'aurora-postgresql',
        }),
        Clone: cluster({
          SourceDBClusterIdentifier: 'source',
          RestoreType: 'copy-on-write',
          UseLatestRestorableTime: true,
        }),
        Secondary: cluster({ GlobalClusterIdentifier: 'global' }),
        Fresh: instance({
          Engine: 'postgres',
          MasterUsername: 'app',
          ManageMasterUserPassword: true,
        }),
      },
    });
    expect(rules(findings)).toEqual([
      'error storage-unencrypted Resources/Fresh/Properties/StorageEncrypted',
    ]);
  });

  it('takes a dynamic reference for what it is, and still refuses plain text', () => {
    const secret = (SecretString: unknown) => ({
      Type: 'AWS::SecretsManager::Secret',
      Properties: { SecretString },
    });
    const findings = validateTemplate({
      Resources: {
        Copied: secret(
          '{{resolve:secretsmanager:shared/api:SecretString:key}}',
        ),
        Composed: secret(
          '{"user":"a","password":"{{resolve:ssm-secure:/db/password:3}}"}',
        ),
        Substituted: secret({
          'Fn::Sub': '{{resolve:secretsmanager:${AWS::StackName}/token}}',
        }),
        Plain: secret('{"password":"hunter2hunter2"}'),
        Braces: secret('{{not a reference}}'),
      },
    });
    expect(rules(findings)).toEqual([
      'error plaintext-secret Resources/Plain/Properties/SecretString',
      'error plaintext-secret Resources/Braces/Properties/SecretString',
    ]);
    expect(JSON.stringify(findings)).not.toContain('hunter2');
  });

  it('does not take a key, ARN, id, alias or lookup parameter for a secret', () => {
    const findings = validateTemplate({
      Parameters: {
        SecretsKMSKey: { Type: 'String' },
        DatabaseSecretKeyArn: { Type: 'String' },
        TokenKeyId: { Type: 'String' },
        SecretAlias: { Type: 'String' },
        PasswordParameter: { Type: 'AWS::SSM::Parameter::Name' },
        SecretValueFromSsm: { Type: 'AWS::SSM::Parameter::Value<String>' },
        SecretTarget: {
          Type: 'String',
          AllowedPattern: '^arn:aws:secretsmanager:.+$',
        },
        DatabasePassword: { Type: 'String' },
        ApiKey: { Type: 'String' },
        ApiToken: { Type: 'String', NoEcho: true },
      },
      Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
    });
    expect(rules(findings)).toEqual([
      'error secret-parameter-without-no-echo Parameters/DatabasePassword',
      'error secret-parameter-without-no-echo Parameters/ApiKey',
    ]);
  });
});
