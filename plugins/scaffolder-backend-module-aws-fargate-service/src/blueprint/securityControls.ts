import { databaseEngine } from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import { EXECUTION_ROLE } from './service';

// Templates are read back as untyped CloudFormation JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * One row of the Security table in docs/architecture.md: what this stack does about a control, which
 * input changes it, what it costs, and `holds`, which checks the claim on the template as written
 * (the tests run it over the whole input matrix, so the docs cannot drift from the stack).
 */
export type SecurityControl = {
  control: string;
  does: string;
  input: string;
  cost: string;
  holds: (template: Json) => boolean;
};

const resources = (template: Json, type: string): Json[] =>
  Object.values<Json>(template.Resources).filter(
    resource => resource.Type === type,
  );
const attribute = (template: Json, key: string) =>
  template.Resources.LoadBalancer.Properties.LoadBalancerAttributes.find(
    (a: Json) => a.Key === key,
  )?.Value;

export function securityControls(spec: FargateServiceSpec): SecurityControl[] {
  const { hardening } = spec;
  const customerKey = spec.kms.mode !== 'aws-managed';
  const https = !!spec.loadBalancer.certificateArn;
  const secretsManager = spec.credentials.mode === 'secrets-manager';
  return [
    {
      control: secretsManager
        ? 'Who can read the database secrets'
        : 'Who can read the database secret',
      does: secretsManager
        ? "The resource policies of the master and the application secret deny `secretsmanager:GetSecretValue` to every IAM principal except the task execution role and roles named after the stack (`<stack>-*`, the pattern the rotation functions' nested-stack roles match), even one IAM allows everything. The stack's own IAM grants it to the execution role only (the rotation transform grants its functions theirs); only the `db-bootstrap` container receives the master secret."
        : 'Its resource policy denies `secretsmanager:GetSecretValue` to every IAM principal except the task execution role, even one IAM allows everything; IAM grants it to the execution role only.',
      input: '—',
      cost: 'None',
      holds: template => {
        const policies = resources(
          template,
          'AWS::SecretsManager::ResourcePolicy',
        );
        const secrets = resources(template, 'AWS::SecretsManager::Secret');
        return (
          policies.length === (secretsManager ? secrets.length : 1) &&
          policies.every(policy => {
            const readers =
              policy.Properties.ResourcePolicy.Statement[0].Condition
                .ArnNotLike['aws:PrincipalArn'];
            return (
              JSON.stringify(readers?.[0]) ===
                JSON.stringify(EXECUTION_ROLE.getAtt('Arn')) &&
              readers.length === (secretsManager ? 2 : 1)
            );
          })
        );
      },
    },
    {
      control: 'Encryption key',
      does: customerKey
        ? `A customer-managed key encrypts the ${secretsManager ? 'secrets' : 'secret'}, the database and every log group. Its policy allows use only through Secrets Manager and RDS (and CloudWatch Logs for this account's log groups), and grants only for AWS resources.`
        : "The AWS-managed keys `aws/secretsmanager` and `aws/rds`; log groups keep CloudWatch Logs' own encryption at rest.",
      input: '`kmsKey` (prod: `create`)',
      cost: 'A customer key: $1/month plus requests',
      holds: template =>
        customerKey
          ? resources(template, 'AWS::Logs::LogGroup').every(
              group => group.Properties.KmsKeyId,
            ) && !!template.Resources.Database.Properties.KmsKeyId
          : !template.Resources.Database.Properties.KmsKeyId &&
            resources(template, 'AWS::Logs::LogGroup').every(
              group => !group.Properties.KmsKeyId,
            ),
    },
    {
      control: 'TLS to the database',
      does: `The parameter group sets \`${tlsSwitch(spec)}\`: the database refuses unencrypted connections, whatever the engine version's default.`,
      input: '—',
      cost: 'None',
      holds: template => {
        const parameters =
          template.Resources.DatabaseParameterGroup?.Properties.Parameters ??
          {};
        return (
          parameters['rds.force_ssl'] === '1' ||
          parameters.require_secure_transport === 'ON'
        );
      },
    },
    {
      control: 'HTTPS',
      does: https
        ? 'HTTPS with TLS 1.2/1.3 (`ELBSecurityPolicy-TLS13-1-2-2021-06`); HTTP only redirects to it.'
        : 'Plain HTTP: no certificate was given. An internet-facing prod service is refused without one.',
      input: '`certificateArn` (required for internet-facing prod)',
      cost: 'ACM public certificates are free',
      holds: template =>
        https
          ? template.Resources.HttpListener.Properties.DefaultActions[0]
              .Type === 'redirect' && !!template.Resources.HttpsListener
          : !template.Resources.HttpsListener,
    },
    {
      control: 'Container user and filesystem',
      does:
        `Runs as user \`${hardening.containerUser}\` (never root) with a memory limit; root filesystem ${hardening.readOnlyRootFilesystem ? 'read-only, `/tmp` on a task volume' : 'writable'}.` +
        (secretsManager
          ? " The `db-bootstrap` init container runs as its image's unprivileged user, read-only, limited to 128 MiB."
          : ''),
      input: '`containerUser`, `readOnlyRootFilesystem` (prod: on)',
      cost: 'Read-only: the image must write only to `/tmp`',
      holds: template => {
        const [container, ...others] =
          template.Resources.TaskDefinition.Properties.ContainerDefinitions;
        return (
          container.User === hardening.containerUser &&
          container.ReadonlyRootFilesystem ===
            hardening.readOnlyRootFilesystem &&
          !!container.Memory &&
          others.length === (secretsManager ? 1 : 0) &&
          others.every(
            (other: Json) =>
              !/^(0|root)(:|$)/.test(other.User ?? 'root') &&
              other.ReadonlyRootFilesystem === true &&
              other.Memory === 128,
          )
        );
      },
    },
    {
      control: 'Database availability and monitoring',
      does: `${spec.database.multiAz ? 'Multi-AZ standby' : 'Single AZ'}; exports ${databaseEngine(spec.database.engine).logExports.join(', ')} logs; IAM database authentication on; Enhanced Monitoring ${hardening.databaseEnhancedMonitoring ? 'every 60 s' : 'off'}.`,
      input: '`databaseMultiAz`, `databaseEnhancedMonitoring` (prod: both on)',
      cost: 'Multi-AZ doubles the instance cost; monitoring is billed as log ingestion',
      holds: template => {
        const database = template.Resources.Database.Properties;
        return (
          database.MultiAZ === spec.database.multiAz &&
          (database.MonitoringInterval === 60) ===
            hardening.databaseEnhancedMonitoring &&
          database.EnableCloudwatchLogsExports.length > 0
        );
      },
    },
    {
      control: 'Load balancer logs and protection',
      does: `Access logs ${hardening.loadBalancerAccessLogs ? 'to a private, TLS-only, versioned S3 bucket (SSE-S3, the only encryption ELB supports)' : 'off'}; deletion protection ${hardening.loadBalancerDeletionProtection ? 'on' : 'off'}; invalid headers dropped.`,
      input:
        '`loadBalancerAccessLogs`, `loadBalancerDeletionProtection` (prod: both on)',
      cost: 'Access logs: S3 storage until they expire',
      holds: template =>
        (attribute(template, 'access_logs.s3.enabled') === 'true') ===
          hardening.loadBalancerAccessLogs &&
        attribute(template, 'deletion_protection.enabled') ===
          String(hardening.loadBalancerDeletionProtection),
    },
    {
      control: 'VPC flow logs',
      does:
        spec.network.mode === 'existing'
          ? "Not created: the existing VPC's flow logs belong to its owner."
          : hardening.vpcFlowLogs
            ? 'All traffic of the VPC, to an encrypted log group.'
            : 'Off.',
      input: '`vpcFlowLogs` (prod: on; new VPC only)',
      cost: 'CloudWatch Logs ingestion per GB of traffic',
      holds: template =>
        !!template.Resources.FlowLog ===
        (spec.network.mode === 'new' && hardening.vpcFlowLogs),
    },
    {
      control: 'Log retention',
      does: `Every log group keeps ${spec.logRetentionDays} days; ${hardening.retainLogsOnDelete ? 'kept' : 'deleted'} when the stack is deleted.`,
      input: '`logRetentionDays` (prod: 365), `retainLogsOnDelete` (prod: on)',
      cost: 'CloudWatch Logs storage',
      holds: template =>
        resources(template, 'AWS::Logs::LogGroup').every(
          group =>
            group.Properties.RetentionInDays === spec.logRetentionDays &&
            (group.DeletionPolicy === 'Retain') ===
              hardening.retainLogsOnDelete,
        ),
    },
    {
      control: 'Rotation and redeploy monitoring',
      does:
        'The redeploy state machine logs errors (no execution data) to its log group and is traced with X-Ray. ' +
        `Alarms on ${secretsManager ? 'a failed rotation of the application secret and ' : ''}a failed redeploy notify the stack's SNS topic, which is not KMS-encrypted: its messages name alarms, never a secret.`,
      input: '—',
      cost: 'CloudWatch alarms ($0.10/month each), X-Ray traces and log ingestion per rotation',
      holds: template => {
        const machine = template.Resources.RedeployStateMachine.Properties;
        const alarms = resources(template, 'AWS::CloudWatch::Alarm');
        return (
          machine.TracingConfiguration?.Enabled === true &&
          machine.LoggingConfiguration?.Level === 'ERROR' &&
          machine.LoggingConfiguration.IncludeExecutionData === false &&
          alarms.length === (secretsManager ? 2 : 1) &&
          alarms.every(
            alarm =>
              JSON.stringify(alarm.Properties.AlarmActions) ===
              JSON.stringify([{ Ref: 'AlarmTopic' }]),
          ) &&
          !template.Resources.AlarmTopic.Properties.KmsMasterKeyId
        );
      },
    },
    {
      control: 'Role trust',
      does: 'Every role may be assumed only by its AWS service acting for this account (`aws:SourceAccount`; `aws:SourceArn` where the service sets it).',
      input: '—',
      cost: 'None',
      holds: template =>
        resources(template, 'AWS::IAM::Role').every(role =>
          role.Properties.AssumeRolePolicyDocument.Statement.every(
            (s: Json) => s.Condition?.StringEquals?.['aws:SourceAccount'],
          ),
        ),
    },
    {
      control: 'Image repository',
      does: 'Scan on push, immutable tags; untagged images expire after 7 days, the newest 50 stay.',
      input: '—',
      cost: 'ECR storage of up to 50 images',
      holds: template =>
        !!template.Resources.Repository.Properties.LifecyclePolicy &&
        template.Resources.Repository.Properties.ImageTagMutability ===
          'IMMUTABLE',
    },
  ];
}

/** The parameter that makes the engine refuse unencrypted connections: the first of its TLS parameters. */
function tlsSwitch(spec: FargateServiceSpec): string {
  const [name, value] = Object.entries(
    databaseEngine(spec.database.engine).tlsParameters,
  )[0];
  return `${name} = ${value}`;
}
