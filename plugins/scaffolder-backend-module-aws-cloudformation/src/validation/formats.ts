import {
  asIntrinsic,
  containsDynamicReference,
  isPlainObject,
  joinPath,
} from './intrinsics';
import type { TemplateDocument, ValidationFinding } from './types';

/**
 * Value formats the CloudFormation registry schemas put on properties (the `format` keyword cfn-lint
 * checks, docs/format_keyword.md): a pattern for literal values and the formats a `Ref` may bring.
 */
type Format = {
  description: string;
  matches: (value: string) => boolean;
  accepts: ReadonlyArray<RefFormat>;
};
type RefFormat =
  | 'vpc-id'
  | 'subnet-id'
  | 'security-group-id'
  | 'security-group-name'
  | 'kms-key-id'
  | 'kms-alias-name'
  | 'iam-role-name'
  | 'log-group-name'
  | 'acm-certificate-arn';

const ARN_PREFIX = '^arn:aws[a-zA-Z-]*:';
const pattern = (source: string) => (value: string) =>
  new RegExp(source).test(value);
const KMS_KEY_ARN = pattern(
  `${ARN_PREFIX}kms:[a-z0-9-]+:\\d{12}:(key|alias)/.+$`,
);
const KMS_KEY_ID = pattern(
  '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+)$',
);
const KMS_ALIAS_NAME = pattern('^alias/[a-zA-Z0-9:/_-]+$');

const FORMATS = {
  ipv4Network: {
    description:
      'an IPv4 network in CIDR notation with no host bits set (e.g. 10.0.0.0/16)',
    matches: isIpv4Network,
    accepts: [],
  },
  vpcId: {
    description: 'a VPC id (vpc-0123abcd)',
    matches: pattern('^vpc-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$'),
    accepts: ['vpc-id'],
  },
  subnetId: {
    description: 'a subnet id (subnet-0123abcd)',
    matches: pattern('^subnet-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$'),
    accepts: ['subnet-id'],
  },
  securityGroupId: {
    description: 'a security group id (sg-0123abcd)',
    matches: pattern('^sg-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$'),
    accepts: ['security-group-id'],
  },
  kmsKey: {
    description: 'a KMS key ARN, key id (UUID or mrk-…) or alias (alias/…)',
    matches: value =>
      KMS_KEY_ARN(value) || KMS_KEY_ID(value) || KMS_ALIAS_NAME(value),
    accepts: ['kms-key-id', 'kms-alias-name'],
  },
  kmsKeyArn: {
    description: 'a KMS key ARN (arn:aws:kms:region:account:key/…)',
    matches: KMS_KEY_ARN,
    accepts: [],
  },
  iamRoleArn: {
    description: 'an IAM role ARN (arn:aws:iam::account:role/…)',
    matches: pattern(`${ARN_PREFIX}iam::\\d{12}:role/.+$`),
    accepts: [],
  },
  acmCertificateArn: {
    description:
      'an ACM certificate ARN (arn:aws:acm:region:account:certificate/…)',
    matches: pattern(`${ARN_PREFIX}acm:[a-z0-9-]+:\\d{12}:certificate/.+$`),
    accepts: ['acm-certificate-arn'],
  },
} satisfies Record<string, Format>;

/** Property paths (`*` stands for every list item) and their format, per resource type. */
const PROPERTY_FORMATS: Record<string, Array<[string, Format]>> = {
  'AWS::EC2::VPC': [['CidrBlock', FORMATS.ipv4Network]],
  'AWS::EC2::Subnet': [
    ['CidrBlock', FORMATS.ipv4Network],
    ['VpcId', FORMATS.vpcId],
  ],
  'AWS::EC2::SecurityGroup': [
    ['VpcId', FORMATS.vpcId],
    ['SecurityGroupIngress/*/CidrIp', FORMATS.ipv4Network],
    ['SecurityGroupIngress/*/SourceSecurityGroupId', FORMATS.securityGroupId],
    ['SecurityGroupEgress/*/CidrIp', FORMATS.ipv4Network],
    [
      'SecurityGroupEgress/*/DestinationSecurityGroupId',
      FORMATS.securityGroupId,
    ],
  ],
  'AWS::EC2::SecurityGroupIngress': [
    ['CidrIp', FORMATS.ipv4Network],
    ['GroupId', FORMATS.securityGroupId],
    ['SourceSecurityGroupId', FORMATS.securityGroupId],
  ],
  'AWS::EC2::SecurityGroupEgress': [
    ['CidrIp', FORMATS.ipv4Network],
    ['GroupId', FORMATS.securityGroupId],
    ['DestinationSecurityGroupId', FORMATS.securityGroupId],
  ],
  'AWS::EC2::Route': [['DestinationCidrBlock', FORMATS.ipv4Network]],
  'AWS::EC2::RouteTable': [['VpcId', FORMATS.vpcId]],
  'AWS::EC2::VPCGatewayAttachment': [['VpcId', FORMATS.vpcId]],
  'AWS::EC2::NatGateway': [['SubnetId', FORMATS.subnetId]],
  'AWS::EC2::SubnetRouteTableAssociation': [['SubnetId', FORMATS.subnetId]],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': [
    ['Subnets/*', FORMATS.subnetId],
    ['SecurityGroups/*', FORMATS.securityGroupId],
  ],
  'AWS::ElasticLoadBalancingV2::TargetGroup': [['VpcId', FORMATS.vpcId]],
  'AWS::ElasticLoadBalancingV2::Listener': [
    ['Certificates/*/CertificateArn', FORMATS.acmCertificateArn],
  ],
  'AWS::ECS::Service': [
    ['NetworkConfiguration/AwsvpcConfiguration/Subnets/*', FORMATS.subnetId],
    [
      'NetworkConfiguration/AwsvpcConfiguration/SecurityGroups/*',
      FORMATS.securityGroupId,
    ],
  ],
  'AWS::ECS::TaskDefinition': [
    ['ExecutionRoleArn', FORMATS.iamRoleArn],
    ['TaskRoleArn', FORMATS.iamRoleArn],
  ],
  'AWS::RDS::DBSubnetGroup': [['SubnetIds/*', FORMATS.subnetId]],
  'AWS::RDS::DBInstance': [['KmsKeyId', FORMATS.kmsKey]],
  'AWS::SecretsManager::Secret': [['KmsKeyId', FORMATS.kmsKey]],
  'AWS::SNS::Topic': [['KmsMasterKeyId', FORMATS.kmsKey]],
  'AWS::SQS::Queue': [['KmsMasterKeyId', FORMATS.kmsKey]],
  'AWS::Logs::LogGroup': [['KmsKeyId', FORMATS.kmsKeyArn]],
  'AWS::Lambda::Function': [['Role', FORMATS.iamRoleArn]],
};

/** What `Ref` to a resource of each type returns (its physical id), where a property format cares. */
function refFormatOf(resource: Record<string, unknown>): RefFormat | undefined {
  switch (resource.Type) {
    case 'AWS::EC2::VPC':
      return 'vpc-id';
    case 'AWS::EC2::Subnet':
      return 'subnet-id';
    case 'AWS::EC2::SecurityGroup':
      // Without a VpcId the group lands in the default VPC and Ref returns its name.
      return isPlainObject(resource.Properties) &&
        resource.Properties.VpcId !== undefined
        ? 'security-group-id'
        : 'security-group-name';
    case 'AWS::KMS::Key':
      return 'kms-key-id';
    case 'AWS::KMS::Alias':
      return 'kms-alias-name';
    case 'AWS::IAM::Role':
      return 'iam-role-name';
    case 'AWS::Logs::LogGroup':
      return 'log-group-name';
    case 'AWS::CertificateManager::Certificate':
      return 'acm-certificate-arn';
    default:
      return undefined;
  }
}

type Scope = {
  resources: Record<string, unknown>;
  resource: string;
  findings: ValidationFinding[];
};

/** Literal values against the property's pattern, and `Ref` targets against the property's format. */
export function checkFormats(template: TemplateDocument): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const resources = isPlainObject(template.Resources) ? template.Resources : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (
      !isPlainObject(resource) ||
      typeof resource.Type !== 'string' ||
      !isPlainObject(resource.Properties)
    )
      continue;
    for (const [propertyPath, format] of PROPERTY_FORMATS[resource.Type] ??
      []) {
      const scope = { resources, resource: logicalId, findings };
      visit(
        resource.Properties,
        propertyPath.split('/'),
        joinPath('Resources', logicalId, 'Properties'),
        value => check(value, format, scope),
      );
    }
  }
  return findings;
}

/** Calls `at` with each value and path the segments reach; `*` walks every item of a list. */
function visit(
  value: unknown,
  segments: string[],
  path: string,
  at: (item: [unknown, string]) => void,
): void {
  if (value === undefined) return;
  if (segments.length === 0) return at([value, path]);
  const [segment, ...rest] = segments;
  if (segment === '*') {
    if (Array.isArray(value))
      value.forEach((item, index) =>
        visit(item, rest, joinPath(path, index), at),
      );
  } else if (isPlainObject(value) && !asIntrinsic(value)) {
    visit(value[segment], rest, joinPath(path, segment), at);
  }
}

function check(
  [value, path]: [unknown, string],
  format: Format,
  scope: Scope,
): void {
  const intrinsic = asIntrinsic(value);
  if (
    intrinsic?.name === 'Fn::If' &&
    Array.isArray(intrinsic.args) &&
    intrinsic.args.length === 3
  ) {
    [1, 2].forEach(branch =>
      check(
        [
          (intrinsic.args as unknown[])[branch],
          joinPath(path, 'Fn::If', branch),
        ],
        format,
        scope,
      ),
    );
    return;
  }
  if (intrinsic?.name === 'Ref' && typeof intrinsic.args === 'string') {
    const target = scope.resources[intrinsic.args];
    const returned = isPlainObject(target) ? refFormatOf(target) : undefined;
    if (returned && !format.accepts.includes(returned)) {
      push(
        scope,
        'ref-format',
        joinPath(path, 'Ref'),
        `Ref to "${intrinsic.args}" gives ${describeRef(returned)}, but the property takes ${format.description}.`,
      );
    }
    return;
  }
  if (
    typeof value === 'string' &&
    !containsDynamicReference(value) &&
    !format.matches(value)
  ) {
    push(
      scope,
      'invalid-format',
      path,
      `${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} is not ${format.description}.`,
    );
  }
}

const REF_FORMAT_DESCRIPTIONS: Record<RefFormat, string> = {
  'vpc-id': 'a VPC id',
  'subnet-id': 'a subnet id',
  'security-group-id': 'a security group id',
  'security-group-name': 'a security group name (the group has no VpcId)',
  'kms-key-id': 'a KMS key id',
  'kms-alias-name': 'a KMS alias name',
  'iam-role-name': 'an IAM role name',
  'log-group-name': 'a log group name',
  'acm-certificate-arn': 'an ACM certificate ARN',
};

function describeRef(format: RefFormat): string {
  return REF_FORMAT_DESCRIPTIONS[format];
}

function push(scope: Scope, rule: string, path: string, message: string) {
  scope.findings.push({
    severity: 'error',
    rule,
    resource: scope.resource,
    path,
    message,
  });
}

function isIpv4Network(value: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(
    value,
  );
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some(octet => octet > 255) || bits > 32) return false;
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const hostBits = 2 ** (32 - bits);
  return address % hostBits === 0;
}
