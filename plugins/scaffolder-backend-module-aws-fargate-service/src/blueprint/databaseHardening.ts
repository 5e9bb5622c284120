import {
  databaseEngine,
  parameterGroupFamily,
} from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import { sub, type ResourceHandle } from './intrinsics';
import { logGroupOptions, logGroupProperties } from './logging';
import type { ResourceNames } from './naming';
import type { Add } from './stack';
import { serviceTrustPolicy } from './trust';

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
): { properties: Record<string, unknown>; dependsOn: ResourceHandle[] } {
  const engine = databaseEngine(spec.database.engine);
  const parameterGroup = add(
    'DatabaseParameterGroup',
    'AWS::RDS::DBParameterGroup',
    'Database parameters: TLS required for every connection',
    {
      Description: `TLS-only connections for ${names.databaseIdentifier}`,
      Family: parameterGroupFamily(engine, spec.database.engineVersion),
      Parameters: { ...engine.tlsParameters },
    },
    { group: 'database' },
  );

  const logGroups = engine.logExports.map(logType =>
    add(
      `DatabaseLogGroup${logType[0].toUpperCase()}${logType.slice(1)}`,
      'AWS::Logs::LogGroup',
      `Database ${logType} log, kept ${spec.logRetentionDays} days`,
      logGroupProperties(spec, databaseLogGroupName(names, logType), keyArn),
      logGroupOptions(spec),
    ),
  );

  const monitoring = spec.hardening.databaseEnhancedMonitoring;
  const monitoringRole = monitoring
    ? add(
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
      )
    : undefined;
  return {
    properties: {
      DBParameterGroupName: parameterGroup.ref(),
      EnableCloudwatchLogsExports: [...engine.logExports],
      EnableIAMDatabaseAuthentication: true,
      ...(monitoringRole
        ? {
            MonitoringInterval: 60,
            MonitoringRoleArn: monitoringRole.getAtt('Arn'),
          }
        : {}),
    },
    dependsOn: logGroups,
  };
}
