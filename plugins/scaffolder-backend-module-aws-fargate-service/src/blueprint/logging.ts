import type { FargateServiceSpec } from './input';
import {
  equals,
  findInMap,
  fnIf,
  getAtt,
  join,
  or,
  ref,
  sub,
  type ResourceHandle,
} from './intrinsics';
import type { ResourceNames } from './naming';
import type { Add, AddOptions } from './stack';
import { SOURCE_ARNS, serviceTrustPolicy } from './trust';

/** Where the load balancer writes in the access log bucket. */
export const ACCESS_LOG_PREFIX = 'alb';

/**
 * Regions older than August 2022 take ELB access logs only from their regional ELB account; newer
 * regions from the log delivery service principal (AWS, "Enable access logs for your Application
 * Load Balancer"). The bucket policy picks one by region.
 */
const ELB_ACCOUNT_BY_REGION: Record<string, string> = {
  'us-east-1': 'arn:aws:iam::127311923021:root',
  'us-east-2': 'arn:aws:iam::033677994240:root',
  'us-west-1': 'arn:aws:iam::027434742980:root',
  'us-west-2': 'arn:aws:iam::797873946194:root',
  'af-south-1': 'arn:aws:iam::098369216593:root',
  'ap-east-1': 'arn:aws:iam::754344448648:root',
  'ap-southeast-3': 'arn:aws:iam::589379963580:root',
  'ap-south-1': 'arn:aws:iam::718504428378:root',
  'ap-northeast-3': 'arn:aws:iam::383597477331:root',
  'ap-northeast-2': 'arn:aws:iam::600734575887:root',
  'ap-southeast-1': 'arn:aws:iam::114774131450:root',
  'ap-southeast-2': 'arn:aws:iam::783225319266:root',
  'ap-northeast-1': 'arn:aws:iam::582318560864:root',
  'ca-central-1': 'arn:aws:iam::985666609251:root',
  'eu-central-1': 'arn:aws:iam::054676820928:root',
  'eu-west-1': 'arn:aws:iam::156460612806:root',
  'eu-west-2': 'arn:aws:iam::652711504416:root',
  'eu-south-1': 'arn:aws:iam::635631232127:root',
  'eu-west-3': 'arn:aws:iam::009996457667:root',
  'eu-north-1': 'arn:aws:iam::897822967062:root',
  'me-south-1': 'arn:aws:iam::076674570225:root',
  'sa-east-1': 'arn:aws:iam::507241528517:root',
  'us-gov-west-1': 'arn:aws-us-gov:iam::048591011584:root',
  'us-gov-east-1': 'arn:aws-us-gov:iam::190560391635:root',
  'cn-north-1': 'arn:aws-cn:iam::638102146993:root',
  'cn-northwest-1': 'arn:aws-cn:iam::037604701340:root',
};
const ELB_ACCOUNT_MAPPING = 'ElbLogDeliveryAccounts';
const LEGACY_ELB_REGION = 'IsRegionWithElbLogDeliveryAccount';

/** The Mappings and Conditions the access-log bucket policy needs (Fn::Or takes at most 10 conditions). */
export function accessLogTemplateSections(spec: FargateServiceSpec): {
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
} {
  if (!spec.hardening.loadBalancerAccessLogs) return {};
  const regions = Object.keys(ELB_ACCOUNT_BY_REGION);
  const groups = Array.from(
    { length: Math.ceil(regions.length / 10) },
    (_, index) =>
      or(
        regions
          .slice(index * 10, index * 10 + 10)
          .map(region => equals(ref('AWS::Region'), region)),
      ),
  );
  return {
    Mappings: {
      [ELB_ACCOUNT_MAPPING]: Object.fromEntries(
        regions.map(region => [
          region,
          { Principal: ELB_ACCOUNT_BY_REGION[region] },
        ]),
      ),
    },
    Conditions: { [LEGACY_ELB_REGION]: or(groups) },
  };
}

/** A log group encrypted with the stack's customer key when there is one (CloudWatch Logs accepts no AWS-managed key). */
export function logGroupProperties(
  spec: FargateServiceSpec,
  name: string,
  keyArn: unknown,
): Record<string, unknown> {
  return {
    LogGroupName: name,
    RetentionInDays: spec.logRetentionDays,
    ...(keyArn ? { KmsKeyId: keyArn } : {}),
  };
}

/** Log groups outlive the stack (for their retention period) only when asked to. */
export function logGroupOptions(
  spec: FargateServiceSpec,
): Pick<AddOptions, 'retain' | 'group'> {
  return spec.hardening.retainLogsOnDelete ? { retain: 'Retain' } : {};
}

/**
 * The bucket of the load balancer's access logs and its policy: private, owner-enforced, versioned,
 * TLS-only, expiring after `logRetentionDays`, writable only by ELB log delivery for this account.
 * Encrypted with S3-managed keys, the only encryption ELB access logs support. Always retained:
 * CloudFormation cannot delete a bucket that holds objects. Returns the load balancer attributes and
 * what the load balancer must wait for (the policy: ELB checks it can write when the attributes are set).
 */
export function addAccessLogs(
  spec: FargateServiceSpec,
  add: Add,
): {
  attributes: Array<{ Key: string; Value: unknown }>;
  dependsOn: ResourceHandle[];
} {
  if (!spec.hardening.loadBalancerAccessLogs)
    return { attributes: [], dependsOn: [] };
  const bucket = add(
    'AccessLogsBucket',
    'AWS::S3::Bucket',
    `Load balancer access logs, kept ${spec.logRetentionDays} days`,
    {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: {
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-access-logs',
            Status: 'Enabled',
            ExpirationInDays: spec.logRetentionDays,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          },
        ],
      },
    },
    { group: 'loadBalancing', retain: 'Retain' },
  );
  const objects = sub(
    `${bucket.placeholder('Arn')}/${ACCESS_LOG_PREFIX}/AWSLogs/\${AWS::AccountId}/*`,
  );
  const policy = add(
    'AccessLogsBucketPolicy',
    'AWS::S3::BucketPolicy',
    'Lets only ELB log delivery write access logs, over TLS only',
    {
      Bucket: bucket.ref(),
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ElbLogDeliveryWritesThisAccountsLogs',
            Effect: 'Allow',
            Principal: fnIf(
              LEGACY_ELB_REGION,
              {
                AWS: findInMap(
                  ELB_ACCOUNT_MAPPING,
                  ref('AWS::Region'),
                  'Principal',
                ),
              },
              { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
            ),
            Action: 's3:PutObject',
            Resource: objects,
          },
          {
            Sid: 'TlsOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            // The two-item Resource list (bucket ARN, Join of it and /*) is the shape CT.S3.PR.8 recognises.
            Resource: [
              bucket.getAtt('Arn'),
              join('', [bucket.getAtt('Arn'), '/*']),
            ],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    },
  );
  return {
    attributes: [
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: bucket.ref() },
      { Key: 'access_logs.s3.prefix', Value: ACCESS_LOG_PREFIX },
    ],
    dependsOn: [policy],
  };
}

/** VPC flow logs (all traffic) of a new VPC into an encrypted log group, through a role only VPC flow logs of this account can assume. */
export function addFlowLogs(
  spec: FargateServiceSpec,
  names: ResourceNames,
  keyArn: unknown,
  add: Add,
) {
  if (spec.network.mode !== 'new' || !spec.hardening.vpcFlowLogs) return;
  add(
    'FlowLogGroup',
    'AWS::Logs::LogGroup',
    `VPC flow logs, kept ${spec.logRetentionDays} days`,
    logGroupProperties(spec, `/vpc/${names.stackName}/flow-logs`, keyArn),
    {
      ...logGroupOptions(spec),
      group: 'network',
    },
  );
  add(
    'FlowLogRole',
    'AWS::IAM::Role',
    'Lets VPC flow logs write to their log group only',
    {
      AssumeRolePolicyDocument: serviceTrustPolicy(
        'vpc-flow-logs.amazonaws.com',
        SOURCE_ARNS.flowLogs,
      ),
      Policies: [
        {
          PolicyName: 'write-flow-logs',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  'logs:CreateLogStream',
                  'logs:PutLogEvents',
                  'logs:DescribeLogStreams',
                ],
                Resource: getAtt('FlowLogGroup', 'Arn'),
              },
            ],
          },
        },
      ],
    },
  );
  add(
    'FlowLog',
    'AWS::EC2::FlowLog',
    'Records all traffic of the VPC',
    {
      ResourceId: ref('Vpc'),
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: ref('FlowLogGroup'),
      DeliverLogsPermissionArn: getAtt('FlowLogRole', 'Arn'),
    },
    { group: 'network' },
  );
}
