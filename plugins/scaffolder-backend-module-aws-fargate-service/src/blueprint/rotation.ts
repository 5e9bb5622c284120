/**
 * Rotation without downtime (secrets-manager mode): the application's own secret, rotated by the
 * alternating-users hosted function with the master secret, the redeploy on the native
 * `Secret Label Updated` event, its logs, and the alarms on a failed rotation or redeploy.
 */
import { databaseEngine } from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import { ResourceHandle, join, sub } from './intrinsics';
import type { ResourceNames } from './naming';
import type { Add } from './stack';
import { APPLICATION_USERNAME } from './applicationUser';
import { logGroupOptions, logGroupProperties } from './logging';
import { rotationFunctionRoles, secretReadersOnlyPolicy } from './secretPolicy';

type PasswordRules = { excludeCharacters: string };

/** The rule that redeploys after a rotation (redeploy.ts); the alternating-users rotation waits for it, so it is named before it exists. */
export const ROTATION_EVENT_RULE = new ResourceHandle('RotationEventRule');

/** secrets-manager mode: the master secret with its attachment, and the database they belong to. */
type MasterCredentials = {
  database: ResourceHandle;
  secret: ResourceHandle;
  secretAttachment: ResourceHandle;
};

export type ApplicationSecret = {
  secret: ResourceHandle;
  /** Adds host and port to the secret; whoever reads those waits for it. */
  attachment: ResourceHandle;
};

/**
 * The application user's secret: generated in the stack, encrypted with the stack's key choice,
 * readable only by the task execution role and the rotation functions (its resource policy), and
 * kept on stack deletion like the master secret: the final snapshot holds `app_user` with its password.
 */
export function addApplicationSecret(
  spec: FargateServiceSpec,
  names: ResourceNames,
  master: MasterCredentials,
  executionRole: ResourceHandle,
  keyArn: unknown,
  rules: PasswordRules,
  add: Add,
): ApplicationSecret {
  // masterarn tells the alternating-users function which secret may create and change the users.
  const template = JSON.stringify({
    username: APPLICATION_USERNAME,
    dbname: spec.database.name,
    masterarn: master.secret.placeholder(),
  });
  const secret = add(
    'ApplicationSecret',
    'AWS::SecretsManager::Secret',
    'Application database credentials (its own user, alternating rotation)',
    {
      Name: names.applicationSecretName,
      Description: `Credentials of the application user of the ${names.databaseIdentifier} database`,
      ...(keyArn ? { KmsKeyId: keyArn } : {}),
      GenerateSecretString: {
        SecretStringTemplate: sub(template),
        GenerateStringKey: 'password',
        PasswordLength: 32,
        ExcludeCharacters: rules.excludeCharacters,
      },
    },
    { group: 'secrets', retain: 'Retain' },
  );
  const attachment = add(
    'ApplicationSecretAttachment',
    'AWS::SecretsManager::SecretTargetAttachment',
    'Adds the database host and port to the application secret',
    {
      SecretId: secret.ref(),
      TargetId: master.database.ref(),
      TargetType: 'AWS::RDS::DBInstance',
    },
  );
  // After the attachment, as for the master secret.
  add(
    'ApplicationSecretPolicy',
    'AWS::SecretsManager::ResourcePolicy',
    'Lets only the task execution role and the rotation functions read the application secret',
    secretReadersOnlyPolicy(secret.ref(), [
      executionRole.getAtt('Arn'),
      rotationFunctionRoles(),
    ]),
    { dependsOn: [attachment] },
  );
  return { secret, attachment };
}

/**
 * Alternating users: each rotation sets a new password on the user the secret does not name now
 * (`app_user` or `app_user_clone`), so the credentials running tasks hold stay valid until they
 * roll. No rotation at creation (`RotateImmediatelyOnUpdate: false`), and none before the rule
 * that redeploys after one exists.
 */
export function addApplicationRotation(
  spec: FargateServiceSpec,
  names: ResourceNames,
  network: { privateSubnets: unknown[] },
  rotationFunctionGroup: ResourceHandle,
  master: MasterCredentials,
  applicationSecret: ApplicationSecret,
  keyArn: unknown,
  rules: PasswordRules,
  add: Add,
) {
  add(
    'ApplicationSecretRotation',
    'AWS::SecretsManager::RotationSchedule',
    `Rotates the application user every ${spec.credentials.rotationDays} days, alternating two users`,
    {
      SecretId: applicationSecret.secret.ref(),
      RotateImmediatelyOnUpdate: false,
      HostedRotationLambda: {
        RotationType: databaseEngine(spec.database.engine).rotation
          .alternatingUsers,
        RotationLambdaName: names.applicationRotationFunctionName,
        MasterSecretArn: master.secret.ref(),
        ...(keyArn ? { MasterSecretKmsKeyArn: keyArn, KmsKeyArn: keyArn } : {}),
        VpcSecurityGroupIds: rotationFunctionGroup.getAtt('GroupId'),
        VpcSubnetIds: join(',', network.privateSubnets),
        ExcludeCharacters: rules.excludeCharacters,
      },
      RotationRules: { AutomaticallyAfterDays: spec.credentials.rotationDays },
    },
    {
      group: 'secrets',
      // Not before the rule that redeploys after a rotation exists.
      dependsOn: [applicationSecret.attachment, ROTATION_EVENT_RULE],
    },
  );
}

/** The native event Secrets Manager sends when AWSCURRENT moves to a new version of this secret; no CloudTrail trail needed. */
export function currentLabelMoved(secretArn: unknown) {
  return {
    source: ['aws.secretsmanager'],
    'detail-type': ['Secret Label Updated'],
    resources: [secretArn],
    detail: { labelUpdated: ['AWSCURRENT'] },
  };
}

/**
 * The redeploy state machine's log group and logging configuration. Errors only, without execution
 * data: the input is an event about the secret, never its value, but nothing needs it either. The
 * group is encrypted, kept and retained like every log group of the stack.
 */
export function addRedeployLogging(
  spec: FargateServiceSpec,
  names: ResourceNames,
  keyArn: unknown,
  add: Add,
) {
  const logGroup = add(
    'RedeployLogGroup',
    'AWS::Logs::LogGroup',
    `Redeploy state machine logs, kept ${spec.logRetentionDays} days`,
    logGroupProperties(spec, names.redeployLogGroupName, keyArn),
    {
      ...logGroupOptions(spec),
      group: 'automation',
    },
  );
  return {
    // X-Ray traces each redeploy; its API has no resource-level permissions either.
    tracingConfiguration: { Enabled: true },
    tracingStatement: {
      Effect: 'Allow',
      Action: [
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
      ],
      Resource: '*',
    },
    loggingConfiguration: {
      Level: 'ERROR',
      IncludeExecutionData: false,
      Destinations: [
        {
          CloudWatchLogsLogGroup: {
            LogGroupArn: logGroup.getAtt('Arn'),
          },
        },
      ],
    },
    // CloudWatch Logs' log delivery API has no resource-level permissions: AWS documents these on "*".
    roleStatement: {
      Effect: 'Allow',
      Action: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ],
      Resource: '*',
    },
  };
}

/**
 * Alarms on the metrics AWS publishes without extra setup: errors of the rotation function
 * (AWS/Lambda) and failed redeploys (AWS/States), notifying the stack's alarm topic. The topic is not
 * KMS-encrypted: CloudWatch cannot publish to one under the AWS-managed SNS key, and the
 * notifications carry metric names, never a secret.
 */
export function addRotationAlarms(
  spec: FargateServiceSpec,
  names: ResourceNames,
  redeployStateMachine: ResourceHandle,
  add: Add,
): { topic: ResourceHandle } {
  const topic = add(
    'AlarmTopic',
    'AWS::SNS::Topic',
    'Notifications of failed rotations and redeploys (subscribe to it)',
    {
      TopicName: names.alarmTopicName,
    },
    { group: 'automation' },
  );
  const alarm = {
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 1,
    EvaluationPeriods: 1,
    Period: 300,
    Statistic: 'Sum',
    TreatMissingData: 'notBreaching',
    AlarmActions: [topic.ref()],
  };
  if (spec.credentials.mode === 'secrets-manager') {
    add(
      'RotationFailedAlarm',
      'AWS::CloudWatch::Alarm',
      'Alarms when the rotation function of the application secret fails',
      {
        AlarmDescription: `Rotation of ${names.applicationSecretName} failed: the service keeps its current credentials; see the function's logs`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [
          {
            Name: 'FunctionName',
            Value: names.applicationRotationFunctionName,
          },
        ],
        ...alarm,
      },
      { group: 'automation' },
    );
  }
  add(
    'RedeployFailedAlarm',
    'AWS::CloudWatch::Alarm',
    'Alarms when a redeploy after rotation fails',
    {
      AlarmDescription: `A redeploy of ${names.serviceName} after its credentials rotated failed; see ${names.redeployLogGroupName}`,
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [
        { Name: 'StateMachineArn', Value: redeployStateMachine.ref() },
      ],
      ...alarm,
    },
    { group: 'automation' },
  );
  return { topic };
}
