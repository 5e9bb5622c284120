import type { FargateServiceSpec } from './input';
import { getAtt, join, ref, sub } from './intrinsics';
import type { ResourceNames } from './naming';
import type { Add, AddOptions } from './stack';
import { SOURCE_ARNS, serviceTrustPolicy } from './trust';

/** Where the load balancer writes in the access log bucket. */
export const ACCESS_LOG_PREFIX = 'alb';

/** A log group encrypted with the stack's customer key when there is one (CloudWatch Logs accepts no AWS-managed key). */
export function logGroupProperties(spec: FargateServiceSpec, name: string, keyArn: unknown): Record<string, unknown> {
  return { LogGroupName: name, RetentionInDays: spec.logRetentionDays, ...(keyArn ? { KmsKeyId: keyArn } : {}) };
}

/** Log groups outlive the stack (for their retention period) only when asked to. */
export function logGroupOptions(spec: FargateServiceSpec): Pick<AddOptions, 'retain' | 'group'> {
  return spec.hardening.retainLogsOnDelete ? { retain: 'Retain' } : {};
}

/**
 * The bucket of the load balancer's access logs and its policy: private, owner-enforced, versioned,
 * TLS-only, expiring after `logRetentionDays`, writable only by ELB log delivery for this account.
 * Encrypted with S3-managed keys, the only encryption ELB access logs support. Always retained:
 * CloudFormation cannot delete a bucket that holds objects. Returns the load balancer attributes.
 */
export function addAccessLogs(spec: FargateServiceSpec, add: Add): Array<{ Key: string; Value: unknown }> {
  if (!spec.hardening.loadBalancerAccessLogs) return [];
  add('AccessLogsBucket', 'AWS::S3::Bucket', `Load balancer access logs, kept ${spec.logRetentionDays} days`, {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    VersioningConfiguration: { Status: 'Enabled' },
    LifecycleConfiguration: {
      Rules: [{ Id: 'expire-access-logs', Status: 'Enabled', ExpirationInDays: spec.logRetentionDays, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }],
    },
  }, { group: 'loadBalancing', retain: 'Retain' });
  const objects = sub(`\${AccessLogsBucket.Arn}/${ACCESS_LOG_PREFIX}/AWSLogs/\${AWS::AccountId}/*`);
  add('AccessLogsBucketPolicy', 'AWS::S3::BucketPolicy', 'Lets only ELB log delivery write access logs, over TLS only', {
    Bucket: ref('AccessLogsBucket'),
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ElbLogDeliveryWritesThisAccountsLogs',
          Effect: 'Allow',
          Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: objects,
        },
        {
          Sid: 'TlsOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          // The two-item Resource list (bucket ARN, Join of it and /*) is the shape CT.S3.PR.8 recognises.
          Resource: [getAtt('AccessLogsBucket', 'Arn'), join('', [getAtt('AccessLogsBucket', 'Arn'), '/*'])],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
  });
  return [
    { Key: 'access_logs.s3.enabled', Value: 'true' },
    { Key: 'access_logs.s3.bucket', Value: ref('AccessLogsBucket') },
    { Key: 'access_logs.s3.prefix', Value: ACCESS_LOG_PREFIX },
  ];
}

/** VPC flow logs (all traffic) of a new VPC into an encrypted log group, through a role only VPC flow logs of this account can assume. */
export function addFlowLogs(spec: FargateServiceSpec, names: ResourceNames, keyArn: unknown, add: Add) {
  if (spec.network.mode !== 'new' || !spec.hardening.vpcFlowLogs) return;
  add('FlowLogGroup', 'AWS::Logs::LogGroup', `VPC flow logs, kept ${spec.logRetentionDays} days`, logGroupProperties(spec, `/vpc/${names.stackName}/flow-logs`, keyArn), {
    ...logGroupOptions(spec),
    group: 'network',
  });
  add('FlowLogRole', 'AWS::IAM::Role', 'Lets VPC flow logs write to their log group only', {
    AssumeRolePolicyDocument: serviceTrustPolicy('vpc-flow-logs.amazonaws.com', SOURCE_ARNS.flowLogs),
    Policies: [
      {
        PolicyName: 'write-flow-logs',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: getAtt('FlowLogGroup', 'Arn') }],
        },
      },
    ],
  });
  add('FlowLog', 'AWS::EC2::FlowLog', 'Records all traffic of the VPC', {
    ResourceId: ref('Vpc'),
    ResourceType: 'VPC',
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
    LogGroupName: ref('FlowLogGroup'),
    DeliverLogsPermissionArn: getAtt('FlowLogRole', 'Arn'),
  }, { group: 'network' });
}
