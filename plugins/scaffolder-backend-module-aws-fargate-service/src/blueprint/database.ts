import { databaseEngine } from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import { join, sub, type ResourceHandle } from './intrinsics';
import { addDatabaseHardening } from './databaseHardening';
import type { ResourceNames } from './naming';
import type { Network, SecurityGroups } from './network';
import { rotationFunctionRoles, secretReadersOnlyPolicy } from './secretPolicy';
import type { Add } from './stack';

/** Characters kept out of generated passwords: they break connection strings and the rotation functions. */
export const PASSWORD_EXCLUDED_CHARACTERS = '"@/\\\' ';

export type Database = {
  database: ResourceHandle;
  /** The ARN of the secret holding the master credentials. */
  secretArn: unknown;
  /** secrets-manager mode: the master secret, and its attachment, which adds host and port (readers wait for it). */
  secret?: ResourceHandle;
  secretAttachment?: ResourceHandle;
};

/**
 * Adds the database and its credentials. `executionRole` is the task execution role, added later by
 * the service but named in the secret's policy here.
 */
export function addDatabase(
  spec: FargateServiceSpec,
  names: ResourceNames,
  network: Network,
  securityGroups: SecurityGroups,
  executionRole: ResourceHandle,
  keyArn: unknown,
  add: Add,
): Database {
  const { database } = spec;
  const engine = databaseEngine(database.engine);
  const hardening = addDatabaseHardening(spec, names, keyArn, add);
  const subnetGroup = add(
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
    DBSubnetGroupName: subnetGroup.ref(),
    VPCSecurityGroups: [securityGroups.database.getAtt('GroupId')],
    DBName: database.name,
    CopyTagsToSnapshot: true,
    AutoMinorVersionUpgrade: true,
    ...hardening.properties,
  };

  if (spec.credentials.mode === 'rds-managed') {
    const instance = add(
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
    const secretArn = instance.getAtt('MasterUserSecret.SecretArn');
    add(
      'DatabaseSecretPolicy',
      'AWS::SecretsManager::ResourcePolicy',
      'Lets only the task execution role read the database secret',
      secretReadersOnlyPolicy(secretArn, [executionRole.getAtt('Arn')]),
    );
    return { database: instance, secretArn };
  }

  // The secret's JSON holds dbname from the start; the attachment adds host, port and engine.
  const secret = add(
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

  const instance = add(
    'Database',
    'AWS::RDS::DBInstance',
    `${engine.label} database`,
    {
      ...common,
      MasterUsername: sub(
        `{{resolve:secretsmanager:${secret.placeholder()}::username}}`,
      ),
      MasterUserPassword: sub(
        `{{resolve:secretsmanager:${secret.placeholder()}::password}}`,
      ),
    },
    { group: 'database', retain: 'Snapshot', dependsOn: hardening.dependsOn },
  );
  const secretAttachment = add(
    'DatabaseSecretAttachment',
    'AWS::SecretsManager::SecretTargetAttachment',
    'Adds the database host and port to the credentials secret',
    {
      SecretId: secret.ref(),
      TargetId: instance.ref(),
      TargetType: 'AWS::RDS::DBInstance',
    },
  );
  const rotationFunctionGroup = securityGroups.rotationFunction;
  if (!rotationFunctionGroup)
    throw new Error(
      'secrets-manager mode needs the rotation function security group',
    );
  // Readers: the execution role (for the bootstrap container) and both rotation functions.
  // After the attachment: the database and the attachment have read the secret by then.
  add(
    'DatabaseSecretPolicy',
    'AWS::SecretsManager::ResourcePolicy',
    'Lets only the task execution role (bootstrap container) and the rotation functions read the master secret',
    secretReadersOnlyPolicy(secret.ref(), [
      executionRole.getAtt('Arn'),
      rotationFunctionRoles(),
    ]),
    { dependsOn: [secretAttachment] },
  );
  add(
    'DatabaseSecretRotation',
    'AWS::SecretsManager::RotationSchedule',
    `Rotates the database password every ${spec.credentials.rotationDays} days`,
    {
      SecretId: secret.ref(),
      HostedRotationLambda: {
        RotationType: engine.rotation.singleUser,
        RotationLambdaName: names.rotationFunctionName,
        VpcSecurityGroupIds: rotationFunctionGroup.getAtt('GroupId'),
        VpcSubnetIds: join(',', network.privateSubnets),
        ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
        ...(keyArn ? { KmsKeyArn: keyArn } : {}),
      },
      RotationRules: { AutomaticallyAfterDays: spec.credentials.rotationDays },
      RotateImmediatelyOnUpdate: false,
    },
    { group: 'secrets', dependsOn: [secretAttachment] },
  );
  return {
    database: instance,
    secretArn: secret.ref(),
    secret,
    secretAttachment,
  };
}
