import crypto from 'node:crypto';
import type { FargateServiceSpec } from './input';

/** Every name the stack gives an AWS resource, from one place so docs, outputs and the template agree. */
export type ResourceNames = {
  stackName: string;
  clusterName: string;
  serviceName: string;
  taskFamily: string;
  logGroupName: string;
  repositoryName: string;
  databaseIdentifier: string;
  /** Secrets Manager mode only; RDS names the secret it manages itself (`rds!db-...`). */
  secretName?: string;
  /** Secrets Manager mode only: the hosted rotation function. */
  rotationFunctionName?: string;
  /** Secrets Manager mode only: the application user's secret and its alternating-users rotation function. */
  applicationSecretName?: string;
  applicationRotationFunctionName?: string;
  /** Secrets Manager mode only: the ECR pull-through cache prefix of the bootstrap image (30 characters at most, unique per stack). */
  bootstrapImagePrefix?: string;
  /** Logs of the state machine that redeploys after a rotation. */
  redeployLogGroupName: string;
  /** SNS topic the credential alarms notify. */
  alarmTopicName: string;
  /** Only when the stack creates the key. */
  kmsAliasName?: string;
};

/**
 * Names are `<service>-<environment>` based: unique per environment in one account, and within
 * every service's limit (the input keeps the pair under 46 characters; RDS allows 63, Lambda 64).
 */
export function resourceNames(
  spec: Pick<
    FargateServiceSpec,
    'serviceName' | 'environment' | 'credentials' | 'kms'
  >,
): ResourceNames {
  const base = `${spec.serviceName}-${spec.environment}`;
  const secretsManager = spec.credentials.mode === 'secrets-manager';
  return {
    stackName: base,
    clusterName: base,
    serviceName: base,
    taskFamily: base,
    logGroupName: `/ecs/${base}`,
    repositoryName: base,
    databaseIdentifier: base,
    redeployLogGroupName: `/aws/vendedlogs/states/${base}-redeploy`,
    alarmTopicName: `${base}-credential-alarms`,
    ...(secretsManager
      ? {
          secretName: `${base}/database`,
          rotationFunctionName: `${base}-db-rotation`,
          applicationSecretName: `${base}/application`,
          applicationRotationFunctionName: `${base}-app-rotation`,
          bootstrapImagePrefix: `bootstrap-${crypto.createHash('sha256').update(base).digest('hex').slice(0, 12)}`,
        }
      : {}),
    ...(spec.kms.mode === 'create' ? { kmsAliasName: `alias/${base}` } : {}),
  };
}

/** Names of the catalog Resources for the stack's database and secrets. */
export type CatalogEntityNames = {
  database: string;
  secret: string;
  /** Secrets Manager mode only. */
  applicationSecret?: string;
};

/**
 * The catalog names the stack's own names: the database by its identifier, each secret by its
 * Secrets Manager name with `/` (which entity names cannot hold) as `-`. RDS names the secret it
 * manages itself (`rds!db-...`, known only once created), so rds-managed mode uses the name
 * secrets-manager mode would give it.
 */
export function catalogEntityNames(names: ResourceNames): CatalogEntityNames {
  const entityName = (secretName: string) => secretName.replace(/\//g, '-');
  return {
    database: names.databaseIdentifier,
    secret: entityName(names.secretName ?? `${names.stackName}/database`),
    ...(names.applicationSecretName
      ? { applicationSecret: entityName(names.applicationSecretName) }
      : {}),
  };
}
