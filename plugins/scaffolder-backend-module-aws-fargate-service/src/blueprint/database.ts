import { databaseEngine } from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import { getAtt, join, ref, sub } from './intrinsics';
import { addDatabaseHardening } from './databaseHardening';
import type { ResourceNames } from './naming';
import type { Network } from './network';
import { rotationFunctionRoles, secretReadersOnlyPolicy } from './secretPolicy';
import type { Add } from './stack';

/** Characters kept out of generated passwords: they break connection strings and the rotation functions. */
export const PASSWORD_EXCLUDED_CHARACTERS = '"@/\\\' ';

/** Adds the database and its credentials; returns the ARN of the secret holding them. */
export function addDatabase(
  spec: FargateServiceSpec,
  names: ResourceNames,
  network: Network,
  keyArn: unknown,
  add: Add,
): unknown {
  const { database } = spec;
  const engine = databaseEngine(database.engine);
  const hardening = addDatabaseHardening(spec, names, keyArn, add);
  add(
    'DatabaseSubnetGroup',
    'AWS::RDS::DBSubnetGroup',
    'Private subnets of the database',
    {
      DBSubnetGroupDescription: `Private subnets of ${names.databaseIdentifier}`,
      SubnetIds: network.privateSubnets,
    },
  );
  const common = {
    DBInstanceIdentifier: names.databaseIdentifier,
    Engine: database.engine,
    EngineVersion: database.engineVersion,
    DBInstanceClass: database.instanceClass,
    AllocatedStorage: String(database.allocatedStorage),
    StorageType: 'gp3',
    StorageEncrypted: true,
    ...(keyArn ? { KmsKeyId: keyArn } : {}),
    MultiAZ: database.multiAz,
    BackupRetentionPeriod: database.backupRetentionDays,
    DeletionProtection: database.deletionProtection,
    PubliclyAccessible: false,
    DBSubnetGroupName: ref('DatabaseSubnetGroup'),
    VPCSecurityGroups: [getAtt('DatabaseSecurityGroup', 'GroupId')],
    DBName: database.name,
    CopyTagsToSnapshot: true,
    AutoMinorVersionUpgrade: true,
    ...hardening.properties,
  };

  if (spec.credentials.mode === 'rds-managed') {
    add(
      'Database',
      'AWS::RDS::DBInstance',
      `${engine.label} database (credentials managed by RDS in Secrets Manager)`,
      {
        ...common,
        MasterUsername: database.username,
        ManageMasterUserPassword: true,
        ...(keyArn ? { MasterUserSecret: { KmsKeyId: keyArn } } : {}),
      },
      { group: 'database', retain: 'Snapshot', dependsOn: hardening.dependsOn },
    );
    const secretArn = getAtt('Database', 'MasterUserSecret.SecretArn');
    add(
      'DatabaseSecretPolicy',
      'AWS::SecretsManager::ResourcePolicy',
      'Lets only the task execution role read the database secret',
      secretReadersOnlyPolicy(secretArn, [getAtt('ExecutionRole', 'Arn')]),
    );
    return secretArn;
  }

  // The secret's JSON holds dbname from the start; the attachment adds host, port and engine.
  add(
    'DatabaseSecret',
    'AWS::SecretsManager::Secret',
    'Database credentials (Secrets Manager)',
    {
      Name: names.secretName,
      Description: `Master credentials of the ${names.databaseIdentifier} database`,
      ...(keyArn ? { KmsKeyId: keyArn } : {}),
      GenerateSecretString: {
        SecretStringTemplate: JSON.stringify({
          username: database.username,
          dbname: database.name,
        }),
        GenerateStringKey: 'password',
        PasswordLength: 32,
        ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
      },
      // Retained: the database's final snapshot opens with this password.
    },
    { group: 'secrets', retain: 'Retain' },
  );

  add(
    'Database',
    'AWS::RDS::DBInstance',
    `${engine.label} database`,
    {
      ...common,
      MasterUsername: sub(
        '{{resolve:secretsmanager:${DatabaseSecret}::username}}',
      ),
      MasterUserPassword: sub(
        '{{resolve:secretsmanager:${DatabaseSecret}::password}}',
      ),
    },
    { group: 'database', retain: 'Snapshot', dependsOn: hardening.dependsOn },
  );
  add(
    'DatabaseSecretAttachment',
    'AWS::SecretsManager::SecretTargetAttachment',
    'Adds the database host and port to the credentials secret',
    {
      SecretId: ref('DatabaseSecret'),
      TargetId: ref('Database'),
      TargetType: 'AWS::RDS::DBInstance',
    },
  );
  // Readers: the execution role (for the bootstrap container) and both rotation functions.
  // After the attachment: the database and the attachment have read the secret by then.
  add(
    'DatabaseSecretPolicy',
    'AWS::SecretsManager::ResourcePolicy',
    'Lets only the task execution role (bootstrap container) and the rotation functions read the master secret',
    secretReadersOnlyPolicy(ref('DatabaseSecret'), [
      getAtt('ExecutionRole', 'Arn'),
      rotationFunctionRoles(),
    ]),
    {
      dependsOn: ['DatabaseSecretAttachment'],
    },
  );
  add(
    'DatabaseSecretRotation',
    'AWS::SecretsManager::RotationSchedule',
    `Rotates the database password every ${spec.credentials.rotationDays} days`,
    {
      SecretId: ref('DatabaseSecret'),
      HostedRotationLambda: {
        RotationType: engine.rotation.singleUser,
        RotationLambdaName: names.rotationFunctionName,
        VpcSecurityGroupIds: getAtt('RotationFunctionSecurityGroup', 'GroupId'),
        VpcSubnetIds: join(',', network.privateSubnets),
        ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
        ...(keyArn ? { KmsKeyArn: keyArn } : {}),
      },
      RotationRules: { AutomaticallyAfterDays: spec.credentials.rotationDays },
      RotateImmediatelyOnUpdate: false,
    },
    { group: 'secrets', dependsOn: ['DatabaseSecretAttachment'] },
  );
  return ref('DatabaseSecret');
}
