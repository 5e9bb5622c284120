import type { FargateServiceSpec } from './input';
import { getAtt, ref, sub } from './intrinsics';
import { logGroupOptions, logGroupProperties } from './logging';
import type { ResourceNames } from './naming';
import type { Add } from './stack';
import { serviceTrustPolicy } from './trust';

/** Logs each engine exports to CloudWatch. MySQL's `general` (every statement) and `audit` (needs an option group) stay off: see the exemption file. */
export const DATABASE_LOG_EXPORTS = {
  postgres: ['postgresql', 'upgrade'],
  mysql: ['error', 'slowquery'],
} as const;

/** Parameters that make the database refuse unencrypted connections, plus what the exported logs need. */
export const DATABASE_TLS_PARAMETERS = {
  // PostgreSQL 15+ defaults to 1, older versions to 0: set it either way so a chosen version cannot drop TLS.
  postgres: { 'rds.force_ssl': '1' },
  // MySQL 8.4 defaults to OFF. The slow query log goes to a file, which is what RDS exports.
  mysql: {
    require_secure_transport: 'ON',
    slow_query_log: '1',
    long_query_time: '2',
    log_output: 'FILE',
  },
} as const;

/** The parameter group family of an engine version: `postgres17`, `mysql8.4`. */
export function parameterGroupFamily(
  engine: 'postgres' | 'mysql',
  version: string,
): string {
  const [major, minor] = version.split('.');
  return engine === 'postgres' ? `postgres${major}` : `mysql${major}.${minor}`;
}

export function databaseLogGroupName(
  names: ResourceNames,
  logType: string,
): string {
  return `/aws/rds/instance/${names.databaseIdentifier}/${logType}`;
}

/**
 * Adds the TLS-enforcing parameter group, the log groups RDS exports to (created here so they are
 * encrypted, retained as chosen and kept no longer than `logRetentionDays`) and, when chosen, the
 * Enhanced Monitoring role. Returns the properties the database instance takes and what it waits for.
 */
export function addDatabaseHardening(
  spec: FargateServiceSpec,
  names: ResourceNames,
  keyArn: unknown,
  add: Add,
): { properties: Record<string, unknown>; dependsOn: string[] } {
  const { engine, engineVersion } = spec.database;
  add(
    'DatabaseParameterGroup',
    'AWS::RDS::DBParameterGroup',
    'Database parameters: TLS required for every connection',
    {
      Description: `TLS-only connections for ${names.databaseIdentifier}`,
      Family: parameterGroupFamily(engine, engineVersion),
      Parameters: DATABASE_TLS_PARAMETERS[engine],
    },
    { group: 'database' },
  );

  const logGroups = DATABASE_LOG_EXPORTS[engine].map(logType => {
    const logicalId = `DatabaseLogGroup${logType[0].toUpperCase()}${logType.slice(1)}`;
    add(
      logicalId,
      'AWS::Logs::LogGroup',
      `Database ${logType} log, kept ${spec.logRetentionDays} days`,
      logGroupProperties(spec, databaseLogGroupName(names, logType), keyArn),
      logGroupOptions(spec),
    );
    return logicalId;
  });

  const monitoring = spec.hardening.databaseEnhancedMonitoring;
  if (monitoring) {
    add(
      'DatabaseMonitoringRole',
      'AWS::IAM::Role',
      'Lets RDS Enhanced Monitoring publish OS metrics',
      {
        AssumeRolePolicyDocument: serviceTrustPolicy(
          'monitoring.rds.amazonaws.com',
        ),
        ManagedPolicyArns: [
          sub(
            'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
          ),
        ],
      },
    );
  }
  return {
    properties: {
      DBParameterGroupName: ref('DatabaseParameterGroup'),
      EnableCloudwatchLogsExports: [...DATABASE_LOG_EXPORTS[engine]],
      EnableIAMDatabaseAuthentication: true,
      ...(monitoring
        ? {
            MonitoringInterval: 60,
            MonitoringRoleArn: getAtt('DatabaseMonitoringRole', 'Arn'),
          }
        : {}),
    },
    dependsOn: logGroups,
  };
}
