/** Input combinations covering every choice of the blueprint at least once. */
export const EXISTING_VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  privateSubnetIds: ['subnet-0123456789abcdef2', 'subnet-0123456789abcdef3'],
};
export const CERTIFICATE_ARN =
  'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
export const EXISTING_KEY_ARN =
  'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** Without NAT only private ECR is reachable (through its VPC endpoint). */
export const PRIVATE_ECR_IMAGE =
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.0.0';

export const INPUT_MATRIX: Record<string, Record<string, unknown>> = {
  defaults: { serviceName: 'orders' },
  'postgres-rds-create-key-https': {
    serviceName: 'orders',
    kmsKey: 'create',
    certificateArn: CERTIFICATE_ARN,
  },
  'postgres-rds-existing-key-internal-existing-vpc': {
    serviceName: 'orders',
    ...EXISTING_VPC,
    loadBalancerScheme: 'internal',
    loadBalancerIngressCidr: '10.0.0.0/8',
    kmsKey: 'existing',
    kmsKeyArn: EXISTING_KEY_ARN,
  },
  'postgres-sm-aws-key-per-az-nat': {
    serviceName: 'orders',
    credentialsMode: 'secrets-manager',
    natGateways: 'per-az',
  },
  'postgres-sm-create-key-no-nat-https': {
    serviceName: 'orders',
    credentialsMode: 'secrets-manager',
    kmsKey: 'create',
    natGateways: 'none',
    containerImage: PRIVATE_ECR_IMAGE,
    certificateArn: CERTIFICATE_ARN,
  },
  'postgres-sm-existing-key-existing-vpc-https': {
    serviceName: 'orders',
    ...EXISTING_VPC,
    credentialsMode: 'secrets-manager',
    kmsKey: 'existing',
    kmsKeyArn: EXISTING_KEY_ARN,
    certificateArn: CERTIFICATE_ARN,
  },
  'mysql-rds-aws-key-internal-new-vpc': {
    serviceName: 'billing',
    databaseEngine: 'mysql',
    loadBalancerScheme: 'internal',
  },
  'mysql-rds-create-key-existing-vpc-internal-https': {
    serviceName: 'billing',
    databaseEngine: 'mysql',
    ...EXISTING_VPC,
    publicSubnetIds: undefined,
    loadBalancerScheme: 'internal',
    loadBalancerIngressCidr: '172.16.0.0/12',
    kmsKey: 'create',
    certificateArn: CERTIFICATE_ARN,
  },
  'mysql-rds-existing-key-no-nat-arm': {
    serviceName: 'billing',
    databaseEngine: 'mysql',
    kmsKey: 'existing',
    kmsKeyArn: EXISTING_KEY_ARN,
    natGateways: 'none',
    containerImage: PRIVATE_ECR_IMAGE,
    cpuArchitecture: 'ARM64',
  },
  'mysql-sm-aws-key-existing-vpc': {
    serviceName: 'billing',
    databaseEngine: 'mysql',
    credentialsMode: 'secrets-manager',
    ...EXISTING_VPC,
  },
  'mysql-sm-create-key-internal-per-az-https': {
    serviceName: 'billing',
    databaseEngine: 'mysql',
    credentialsMode: 'secrets-manager',
    kmsKey: 'create',
    loadBalancerScheme: 'internal',
    natGateways: 'per-az',
    certificateArn: CERTIFICATE_ARN,
  },
  'mysql-sm-existing-key-large-prod': {
    serviceName: 'billing',
    environment: 'prod',
    databaseEngine: 'mysql',
    credentialsMode: 'secrets-manager',
    kmsKey: 'existing',
    kmsKeyArn: EXISTING_KEY_ARN,
    cpu: 4096,
    memory: 16384,
    desiredCount: 3,
    minCapacity: 3,
    maxCapacity: 12,
    databaseMultiAz: true,
    certificateArn: CERTIFICATE_ARN,
    databaseInstanceClass: 'db.m7g.large',
    databaseAllocatedStorage: 100,
    rotationDays: 7,
    logRetentionDays: 365,
    vpcCidr: '10.42.0.0/20',
    containerPort: 8080,
    healthCheckPath: '/health',
    environmentVariables: { LOG_LEVEL: 'info', FEATURE_FLAGS: 'a,b' },
    tags: { 'cost-center': 'cc-42' },
  },
};

// The environment decides the defaults of the controls that cost money or choice: prod gets them all.
INPUT_MATRIX['prod-defaults'] = {
  serviceName: 'orders',
  environment: 'prod',
  certificateArn: CERTIFICATE_ARN,
};
INPUT_MATRIX['prod-postgres14-internal-sm'] = {
  serviceName: 'orders',
  environment: 'prod',
  loadBalancerScheme: 'internal',
  databaseEngineVersion: '14.17',
  credentialsMode: 'secrets-manager',
  retainLogsOnDelete: false,
};
INPUT_MATRIX['dev-every-control-on'] = {
  serviceName: 'billing',
  databaseEngine: 'mysql',
  databaseEngineVersion: '8.0.42',
  kmsKey: 'create',
  databaseMultiAz: true,
  readOnlyRootFilesystem: true,
  databaseEnhancedMonitoring: true,
  loadBalancerAccessLogs: true,
  loadBalancerDeletionProtection: true,
  vpcFlowLogs: true,
  retainLogsOnDelete: true,
  logRetentionDays: 365,
  certificateArn: CERTIFICATE_ARN,
};

/** Text that would change a template's structure if it reached the file without a serializer. */
export const HOSTILE_TEXT =
  'line one\nkey: value\n!Ref Database\n{{ jinja }} ${{ parameters.x }} \'"quotes"\'\n---\n...\n# comment';

INPUT_MATRIX['user-text-is-data'] = {
  serviceName: 'orders',
  description: HOSTILE_TEXT,
  owner: 'group:default/team-a: ops',
  tags: { 'team/area': 'a: b = c + d @ e', yes: 'on' },
  environmentVariables: {
    GREETING: HOSTILE_TEXT,
    EMPTY: '',
    TRUTHY: 'yes',
    NUMBERISH: '0123',
    DATE: '2010-09-09',
  },
};
