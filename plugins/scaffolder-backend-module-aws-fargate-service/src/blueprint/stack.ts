import { METADATA_DESCRIPTION_KEY, TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { STANDARD_TAG_KEYS, type FargateServiceSpec } from './input';
import { GetAtt, Ref, cidr, getAZs, getAtt, join, ref, select, sub } from './intrinsics';
import { addDatabaseHardening } from './databaseHardening';
import { accessLogTemplateSections, addAccessLogs, addFlowLogs, logGroupOptions, logGroupProperties } from './logging';
import { customerKeyPolicy } from './kms';
import { resourceNames, type ResourceNames } from './naming';
import { secretReadersOnlyPolicy } from './secretPolicy';
import { SOURCE_ARNS, serviceTrustPolicy } from './trust';

/** Where a resource sits in the architecture diagram; resources without one are plumbing the diagram leaves out. */
export type DiagramGroup = 'network' | 'loadBalancing' | 'compute' | 'database' | 'secrets' | 'automation';

export type StackResource = {
  Type: string;
  Metadata: Record<string, string>;
  DependsOn?: string[];
  DeletionPolicy?: 'Retain' | 'Snapshot';
  UpdateReplacePolicy?: 'Retain' | 'Snapshot';
  Properties: Record<string, unknown>;
};

export type StackTemplate = {
  AWSTemplateFormatVersion: '2010-09-09';
  Transform?: string;
  Description: string;
  Parameters: Record<string, Record<string, unknown>>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, StackResource>;
  Outputs: Record<string, { Description: string; Value: unknown }>;
};

/** The generated stack: its template plus what the action and the docs need to know about it. */
export type StackModel = {
  template: StackTemplate;
  names: ResourceNames;
  /** Capabilities a change set for this template must acknowledge. */
  capabilities: string[];
  /** Values for infra/parameters.json: every template parameter, none of them secret. */
  parameterValues: Record<string, string>;
  diagramGroups: Record<string, DiagramGroup>;
};

/** The transform AWS documents for `HostedRotationLambda`; it adds a nested stack with the rotation function. */
export const SECRETS_MANAGER_TRANSFORM = 'AWS::SecretsManager-2024-09-16';

/**
 * Resource types in this stack whose `Tags` property takes `[{ Key, Value }]`. Listeners and scalable
 * targets gained tags in 2025; they stay untagged until cfn-lint, the validator of record, knows it.
 */
const TAGGABLE_TYPES = new Set([
  'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::InternetGateway', 'AWS::EC2::RouteTable', 'AWS::EC2::EIP',
  'AWS::EC2::NatGateway', 'AWS::EC2::VPCEndpoint', 'AWS::EC2::SecurityGroup',
  'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ECS::Cluster', 'AWS::ECS::TaskDefinition', 'AWS::ECS::Service', 'AWS::ECR::Repository', 'AWS::Logs::LogGroup',
  'AWS::IAM::Role', 'AWS::RDS::DBInstance', 'AWS::RDS::DBSubnetGroup',
  'AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::Events::Rule', 'AWS::StepFunctions::StateMachine',
  'AWS::RDS::DBParameterGroup', 'AWS::S3::Bucket', 'AWS::EC2::FlowLog',
]);

const CONTAINER_NAME = 'app';
const TMP_VOLUME = 'tmp';
/** Untagged layers go after a week; the newest 50 images stay, so a rollback always finds its image. */
const ECR_LIFECYCLE_POLICY = {
  rules: [
    { rulePriority: 1, description: 'Expire untagged images after 7 days', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
    { rulePriority: 2, description: 'Keep the newest 50 images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 }, action: { type: 'expire' } },
  ],
};
const DATABASE_PORTS = { postgres: 5432, mysql: 3306 } as const;
const ROTATION_TYPES = { postgres: 'PostgreSQLSingleUser', mysql: 'MySQLSingleUser' } as const;
/** Characters kept out of generated passwords: they break connection strings and the rotation functions. */
const PASSWORD_EXCLUDED_CHARACTERS = '"@/\\\' ';

export type AddOptions = {
  group?: DiagramGroup;
  dependsOn?: string[];
  retain?: 'Retain' | 'Snapshot';
};

/** Builds the stack model for a spec: the one place that decides what the stack holds. */
export function buildStack(spec: FargateServiceSpec): StackModel {
  const names = resourceNames(spec);
  const resources: Record<string, StackResource> = {};
  const diagramGroups: Record<string, DiagramGroup> = {};
  const tags = standardTags(spec);
  const add = (logicalId: string, type: string, description: string, properties: Record<string, unknown>, options: AddOptions = {}) => {
    resources[logicalId] = {
      Type: type,
      Metadata: { [METADATA_DESCRIPTION_KEY]: description },
      ...(options.dependsOn?.length ? { DependsOn: options.dependsOn } : {}),
      ...(options.retain ? { DeletionPolicy: options.retain, UpdateReplacePolicy: options.retain } : {}),
      Properties: TAGGABLE_TYPES.has(type) ? { ...properties, Tags: tags } : properties,
    };
    if (options.group) diagramGroups[logicalId] = options.group;
  };

  const secretsManagerMode = spec.credentials.mode === 'secrets-manager';
  const network = addNetwork(spec, add);
  const keyArn = addKey(spec, names, add);
  addFlowLogs(spec, names, keyArn, add);
  addSecurityGroups(spec, network, add);
  const listeners = addLoadBalancer(spec, network, add);
  const secretArn = addDatabase(spec, names, network, keyArn, add);
  addService(spec, names, network, { secretArn, keyArn, dependsOn: [...listeners, ...(secretsManagerMode ? ['DatabaseSecretAttachment'] : [])] }, add);
  addRedeployOnRotation(spec, secretArn, add);

  const https = !!spec.loadBalancer.certificateArn;
  const outputs: StackTemplate['Outputs'] = {
    ServiceUrl: { Description: 'URL of the service', Value: sub(`${https ? 'https' : 'http'}://\${LoadBalancer.DNSName}`) },
    LoadBalancerDnsName: { Description: 'DNS name of the load balancer', Value: getAtt('LoadBalancer', 'DNSName') },
    ClusterName: { Description: 'ECS cluster name', Value: ref('Cluster') },
    ServiceName: { Description: 'ECS service name', Value: getAtt('Service', 'Name') },
    RepositoryUri: { Description: 'ECR repository for the application image', Value: getAtt('Repository', 'RepositoryUri') },
    DatabaseEndpoint: { Description: 'Database host name', Value: getAtt('Database', 'Endpoint.Address') },
    DatabasePort: { Description: 'Database port', Value: getAtt('Database', 'Endpoint.Port') },
    DatabaseSecretArn: { Description: 'ARN of the secret holding the database credentials', Value: secretArn },
    ...(spec.kms.mode === 'create' ? { KmsKeyArn: { Description: 'ARN of the customer-managed KMS key', Value: getAtt('EncryptionKey', 'Arn') } } : {}),
    LogGroupName: { Description: 'CloudWatch log group of the containers', Value: ref('LogGroup') },
  };

  return {
    template: {
      AWSTemplateFormatVersion: '2010-09-09',
      ...(secretsManagerMode ? { Transform: SECRETS_MANAGER_TRANSFORM } : {}),
      Description: spec.description,
      Parameters: {
        ContainerImage: {
          Type: 'String',
          Description: 'Image the service runs; CI deploys a new value through a change set.',
          Default: spec.container.image,
          MinLength: 1,
        },
      },
      ...accessLogTemplateSections(spec),
      Resources: resources,
      Outputs: outputs,
    },
    names,
    capabilities: secretsManagerMode ? ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] : ['CAPABILITY_IAM'],
    parameterValues: { ContainerImage: spec.container.image },
    diagramGroups,
  };
}

export type Add = (logicalId: string, type: string, description: string, properties: Record<string, unknown>, options?: AddOptions) => void;

type Network = {
  vpcId: unknown;
  vpcCidr?: unknown;
  publicSubnets: unknown[];
  privateSubnets: unknown[];
};

function standardTags(spec: FargateServiceSpec): Array<{ Key: string; Value: string }> {
  const standard: Record<(typeof STANDARD_TAG_KEYS)[number], string> = {
    service: spec.serviceName,
    owner: spec.owner,
    environment: spec.environment,
    [TAG_ENTITY_REF]: spec.entityRef,
  };
  return Object.entries({ ...standard, ...spec.tags }).map(([Key, Value]) => ({ Key, Value }));
}

function addNetwork(spec: FargateServiceSpec, add: Add): Network {
  if (spec.network.mode === 'existing') {
    return { vpcId: spec.network.vpcId, publicSubnets: spec.network.publicSubnetIds, privateSubnets: spec.network.privateSubnetIds };
  }
  const { cidr: vpcCidr, natGateways } = spec.network;
  // Four equal subnets: the VPC prefix plus two bits.
  const hostBits = 32 - (Number(vpcCidr.split('/')[1]) + 2);
  const subnetCidr = (index: number) => select(index, cidr(getAtt('Vpc', 'CidrBlock'), 4, hostBits));
  const zone = (index: number) => select(index, getAZs());

  add('Vpc', 'AWS::EC2::VPC', 'Virtual network of the service', { CidrBlock: vpcCidr, EnableDnsHostnames: true, EnableDnsSupport: true }, { group: 'network' });
  add('InternetGateway', 'AWS::EC2::InternetGateway', 'Internet gateway of the VPC', {}, { group: 'network' });
  add('InternetGatewayAttachment', 'AWS::EC2::VPCGatewayAttachment', 'Attaches the internet gateway to the VPC', {
    VpcId: ref('Vpc'),
    InternetGatewayId: ref('InternetGateway'),
  });
  add('PublicRouteTable', 'AWS::EC2::RouteTable', 'Routes of the public subnets', { VpcId: ref('Vpc') });
  add('PublicDefaultRoute', 'AWS::EC2::Route', 'Sends public subnet traffic to the internet gateway', {
    RouteTableId: ref('PublicRouteTable'),
    DestinationCidrBlock: '0.0.0.0/0',
    GatewayId: ref('InternetGateway'),
  }, { dependsOn: ['InternetGatewayAttachment'] });

  const zones = [1, 2];
  for (const n of zones) {
    add(`PublicSubnet${n}`, 'AWS::EC2::Subnet', `Public subnet ${n} (load balancer)`, {
      VpcId: ref('Vpc'),
      CidrBlock: subnetCidr(n - 1),
      AvailabilityZone: zone(n - 1),
      MapPublicIpOnLaunch: false,
    }, { group: 'network' });
    add(`PublicSubnet${n}RouteTableAssociation`, 'AWS::EC2::SubnetRouteTableAssociation', `Uses the public routes in public subnet ${n}`, {
      SubnetId: ref(`PublicSubnet${n}`),
      RouteTableId: ref('PublicRouteTable'),
    });
    add(`PrivateSubnet${n}`, 'AWS::EC2::Subnet', `Private subnet ${n} (tasks and database)`, {
      VpcId: ref('Vpc'),
      CidrBlock: subnetCidr(n + 1),
      AvailabilityZone: zone(n - 1),
      MapPublicIpOnLaunch: false,
    }, { group: 'network' });
    add(`PrivateRouteTable${n}`, 'AWS::EC2::RouteTable', `Routes of private subnet ${n}`, { VpcId: ref('Vpc') });
    add(`PrivateSubnet${n}RouteTableAssociation`, 'AWS::EC2::SubnetRouteTableAssociation', `Uses its own routes in private subnet ${n}`, {
      SubnetId: ref(`PrivateSubnet${n}`),
      RouteTableId: ref(`PrivateRouteTable${n}`),
    });
  }

  if (natGateways !== 'none') {
    const gateways = natGateways === 'per-az' ? zones : [1];
    for (const n of gateways) {
      add(`NatGateway${n}Eip`, 'AWS::EC2::EIP', `Public address of NAT gateway ${n}`, { Domain: 'vpc' }, { dependsOn: ['InternetGatewayAttachment'] });
      add(`NatGateway${n}`, 'AWS::EC2::NatGateway', `NAT gateway ${n}: outbound internet for the private subnets`, {
        AllocationId: getAtt(`NatGateway${n}Eip`, 'AllocationId'),
        SubnetId: ref(`PublicSubnet${n}`),
      }, { group: 'network' });
    }
    for (const n of zones) {
      add(`PrivateDefaultRoute${n}`, 'AWS::EC2::Route', `Sends private subnet ${n} traffic to a NAT gateway`, {
        RouteTableId: ref(`PrivateRouteTable${n}`),
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: ref(`NatGateway${natGateways === 'per-az' ? n : 1}`),
      });
    }
  } else {
    // Without NAT, tasks and the rotation function reach AWS APIs through private endpoints.
    add('EndpointSecurityGroup', 'AWS::EC2::SecurityGroup', 'Admits HTTPS from the VPC to the private endpoints', {
      GroupDescription: 'HTTPS from the VPC to the VPC endpoints',
      VpcId: ref('Vpc'),
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: getAtt('Vpc', 'CidrBlock'), Description: 'HTTPS from the VPC' }],
    });
    add('S3Endpoint', 'AWS::EC2::VPCEndpoint', 'Private route to S3 (ECR image layers)', {
      VpcId: ref('Vpc'),
      VpcEndpointType: 'Gateway',
      ServiceName: sub('com.amazonaws.${AWS::Region}.s3'),
      RouteTableIds: zones.map(n => ref(`PrivateRouteTable${n}`)),
    }, { group: 'network' });
    const interfaceEndpoints: Array<[string, string, string]> = [
      ['EcrApiEndpoint', 'ecr.api', 'Private endpoint for the ECR API'],
      ['EcrDockerEndpoint', 'ecr.dkr', 'Private endpoint for ECR image pulls'],
      ['LogsEndpoint', 'logs', 'Private endpoint for CloudWatch Logs'],
      ['SecretsManagerEndpoint', 'secretsmanager', 'Private endpoint for Secrets Manager'],
    ];
    for (const [logicalId, service, description] of interfaceEndpoints) {
      add(logicalId, 'AWS::EC2::VPCEndpoint', description, {
        VpcId: ref('Vpc'),
        VpcEndpointType: 'Interface',
        ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
        PrivateDnsEnabled: true,
        SubnetIds: zones.map(n => ref(`PrivateSubnet${n}`)),
        SecurityGroupIds: [getAtt('EndpointSecurityGroup', 'GroupId')],
      }, { group: 'network' });
    }
  }
  return {
    vpcId: ref('Vpc'),
    vpcCidr: getAtt('Vpc', 'CidrBlock'),
    publicSubnets: zones.map(n => ref(`PublicSubnet${n}`)),
    privateSubnets: zones.map(n => ref(`PrivateSubnet${n}`)),
  };
}

/** Adds the customer-managed key when asked for one; returns the ARN of the customer key in use, if any. */
function addKey(spec: FargateServiceSpec, names: ResourceNames, add: Add): unknown | undefined {
  if (spec.kms.mode === 'existing') return spec.kms.keyArn;
  if (spec.kms.mode === 'aws-managed') return undefined;
  add('EncryptionKey', 'AWS::KMS::Key', 'Customer-managed key for the database, its credentials and the logs', {
    Description: `Encrypts the database, database credentials and logs of ${names.stackName}`,
    EnableKeyRotation: true,
    KeyPolicy: customerKeyPolicy(),
  }, { group: 'secrets', retain: 'Retain' });
  add('EncryptionKeyAlias', 'AWS::KMS::Alias', 'Friendly name of the customer-managed key', {
    AliasName: names.kmsAliasName,
    TargetKeyId: ref('EncryptionKey'),
  });
  return getAtt('EncryptionKey', 'Arn');
}

function addSecurityGroups(spec: FargateServiceSpec, network: Network, add: Add) {
  const https = !!spec.loadBalancer.certificateArn;
  const source = spec.loadBalancer.ingressCidr ?? (spec.loadBalancer.scheme === 'internet-facing' ? '0.0.0.0/0' : network.vpcCidr);
  const webPorts = https ? [80, 443] : [80];
  add('LoadBalancerSecurityGroup', 'AWS::EC2::SecurityGroup', 'Admits web traffic to the load balancer', {
    GroupDescription: 'Web traffic to the load balancer',
    VpcId: network.vpcId,
    SecurityGroupIngress: webPorts.map(port => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: source, Description: `Port ${port} from clients` })),
  });
  add('ServiceSecurityGroup', 'AWS::EC2::SecurityGroup', 'Admits the load balancer to the containers', {
    GroupDescription: 'Load balancer to the service containers',
    VpcId: network.vpcId,
    SecurityGroupIngress: [{
      IpProtocol: 'tcp',
      FromPort: spec.container.port,
      ToPort: spec.container.port,
      SourceSecurityGroupId: getAtt('LoadBalancerSecurityGroup', 'GroupId'),
      Description: 'Container port from the load balancer',
    }],
  });
  const databasePort = DATABASE_PORTS[spec.database.engine];
  const databaseClients: Array<[string, string]> = [['ServiceSecurityGroup', 'Database port from the service']];
  if (spec.credentials.mode === 'secrets-manager') {
    add('RotationFunctionSecurityGroup', 'AWS::EC2::SecurityGroup', 'Network identity of the password rotation function', {
      GroupDescription: 'Secrets Manager rotation function of the database password',
      VpcId: network.vpcId,
    });
    databaseClients.push(['RotationFunctionSecurityGroup', 'Database port from the rotation function']);
  }
  add('DatabaseSecurityGroup', 'AWS::EC2::SecurityGroup', 'Admits only the service to the database port', {
    GroupDescription: 'Database port from the service only',
    VpcId: network.vpcId,
    SecurityGroupIngress: databaseClients.map(([group, description]) => ({
      IpProtocol: 'tcp',
      FromPort: databasePort,
      ToPort: databasePort,
      SourceSecurityGroupId: getAtt(group, 'GroupId'),
      Description: description,
    })),
  });
}

/** Adds the load balancer; returns the listeners the service must wait for. */
function addLoadBalancer(spec: FargateServiceSpec, network: Network, add: Add): string[] {
  const { scheme, certificateArn } = spec.loadBalancer;
  const accessLogAttributes = addAccessLogs(spec, add);
  add('LoadBalancer', 'AWS::ElasticLoadBalancingV2::LoadBalancer', `Application load balancer (${scheme})`, {
    Type: 'application',
    Scheme: scheme,
    Subnets: scheme === 'internet-facing' ? network.publicSubnets : network.privateSubnets,
    SecurityGroups: [getAtt('LoadBalancerSecurityGroup', 'GroupId')],
    LoadBalancerAttributes: [
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'deletion_protection.enabled', Value: String(spec.hardening.loadBalancerDeletionProtection) },
      ...accessLogAttributes,
    ],
  }, { group: 'loadBalancing', dependsOn: accessLogAttributes.length ? ['AccessLogsBucketPolicy'] : [] });
  add('TargetGroup', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'Service tasks behind the load balancer, with their health check', {
    TargetType: 'ip',
    Protocol: 'HTTP',
    Port: spec.container.port,
    VpcId: network.vpcId,
    HealthCheckProtocol: 'HTTP',
    HealthCheckPath: spec.container.healthCheckPath,
    Matcher: { HttpCode: '200-399' },
    TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
  }, { group: 'loadBalancing' });
  const forward = [{ Type: 'forward', TargetGroupArn: ref('TargetGroup') }];
  if (!certificateArn) {
    add('HttpListener', 'AWS::ElasticLoadBalancingV2::Listener', 'HTTP listener forwarding to the service', {
      LoadBalancerArn: ref('LoadBalancer'),
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: forward,
    }, { group: 'loadBalancing' });
    return ['HttpListener'];
  }
  add('HttpListener', 'AWS::ElasticLoadBalancingV2::Listener', 'HTTP listener redirecting to HTTPS', {
    LoadBalancerArn: ref('LoadBalancer'),
    Port: 80,
    Protocol: 'HTTP',
    DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
  }, { group: 'loadBalancing' });
  add('HttpsListener', 'AWS::ElasticLoadBalancingV2::Listener', 'HTTPS listener forwarding to the service', {
    LoadBalancerArn: ref('LoadBalancer'),
    Port: 443,
    Protocol: 'HTTPS',
    Certificates: [{ CertificateArn: certificateArn }],
    SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    DefaultActions: forward,
  }, { group: 'loadBalancing' });
  return ['HttpListener', 'HttpsListener'];
}

/** Adds the database and its credentials; returns the ARN of the secret holding them. */
function addDatabase(spec: FargateServiceSpec, names: ResourceNames, network: Network, keyArn: unknown, add: Add): unknown {
  const { database } = spec;
  const hardening = addDatabaseHardening(spec, names, keyArn, add);
  add('DatabaseSubnetGroup', 'AWS::RDS::DBSubnetGroup', 'Private subnets of the database', {
    DBSubnetGroupDescription: `Private subnets of ${names.databaseIdentifier}`,
    SubnetIds: network.privateSubnets,
  });
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
    DBSubnetGroupName: ref('DatabaseSubnetGroup'),
    VPCSecurityGroups: [getAtt('DatabaseSecurityGroup', 'GroupId')],
    DBName: database.name,
    CopyTagsToSnapshot: true,
    AutoMinorVersionUpgrade: true,
    ...hardening.properties,
  };
  const engineLabel = database.engine === 'postgres' ? 'PostgreSQL' : 'MySQL';

  if (spec.credentials.mode === 'rds-managed') {
    add('Database', 'AWS::RDS::DBInstance', `${engineLabel} database (credentials managed by RDS in Secrets Manager)`, {
      ...common,
      MasterUsername: database.username,
      ManageMasterUserPassword: true,
      ...(keyArn ? { MasterUserSecret: { KmsKeyId: keyArn } } : {}),
    }, { group: 'database', retain: 'Snapshot', dependsOn: hardening.dependsOn });
    const secretArn = getAtt('Database', 'MasterUserSecret.SecretArn');
    add('DatabaseSecretPolicy', 'AWS::SecretsManager::ResourcePolicy', 'Lets only the task execution role read the database secret', secretReadersOnlyPolicy(secretArn, [getAtt('ExecutionRole', 'Arn')]));
    return secretArn;
  }

  // The secret's JSON holds dbname from the start; the attachment adds host, port and engine.
  add('DatabaseSecret', 'AWS::SecretsManager::Secret', 'Database credentials (Secrets Manager)', {
    Name: names.secretName,
    Description: `Master credentials of the ${names.databaseIdentifier} database`,
    ...(keyArn ? { KmsKeyId: keyArn } : {}),
    GenerateSecretString: {
      SecretStringTemplate: JSON.stringify({ username: database.username, dbname: database.name }),
      GenerateStringKey: 'password',
      PasswordLength: 32,
      ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
    },
    // Retained: the database's final snapshot opens with this password.
  }, { group: 'secrets', retain: 'Retain' });

  add('Database', 'AWS::RDS::DBInstance', `${engineLabel} database`, {
    ...common,
    MasterUsername: sub('{{resolve:secretsmanager:${DatabaseSecret}::username}}'),
    MasterUserPassword: sub('{{resolve:secretsmanager:${DatabaseSecret}::password}}'),
  }, { group: 'database', retain: 'Snapshot', dependsOn: hardening.dependsOn });
  add('DatabaseSecretAttachment', 'AWS::SecretsManager::SecretTargetAttachment', 'Adds the database host and port to the credentials secret', {
    SecretId: ref('DatabaseSecret'),
    TargetId: ref('Database'),
    TargetType: 'AWS::RDS::DBInstance',
  });
  // The hosted rotation function's role lives in the transform's nested stack, named after this stack.
  // After the attachment: the database and the attachment have read the secret by then.
  const rotationRole = sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AWS::StackName}-*');
  add('DatabaseSecretPolicy', 'AWS::SecretsManager::ResourcePolicy', 'Lets only the task execution role and the rotation function read the database secret', secretReadersOnlyPolicy(ref('DatabaseSecret'), [getAtt('ExecutionRole', 'Arn'), rotationRole]), {
    dependsOn: ['DatabaseSecretAttachment'],
  });
  add('DatabaseSecretRotation', 'AWS::SecretsManager::RotationSchedule', `Rotates the database password every ${spec.credentials.rotationDays} days`, {
    SecretId: ref('DatabaseSecret'),
    HostedRotationLambda: {
      RotationType: ROTATION_TYPES[database.engine],
      RotationLambdaName: names.rotationFunctionName,
      VpcSecurityGroupIds: getAtt('RotationFunctionSecurityGroup', 'GroupId'),
      VpcSubnetIds: join(',', network.privateSubnets),
      ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
      ...(keyArn ? { KmsKeyArn: keyArn } : {}),
    },
    RotationRules: { AutomaticallyAfterDays: spec.credentials.rotationDays },
  }, { group: 'secrets', dependsOn: ['DatabaseSecretAttachment'] });
  return ref('DatabaseSecret');
}

type ServiceSecrets = { secretArn: unknown; keyArn: unknown; dependsOn: string[] };

function addService(spec: FargateServiceSpec, names: ResourceNames, network: Network, secrets: ServiceSecrets, add: Add) {
  const { container, scaling } = spec;
  add('Cluster', 'AWS::ECS::Cluster', 'ECS cluster of the service (Container Insights on)', {
    ClusterName: names.clusterName,
    ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
  }, { group: 'compute' });
  add('LogGroup', 'AWS::Logs::LogGroup', `Container logs, kept ${spec.logRetentionDays} days`, logGroupProperties(spec, names.logGroupName, secrets.keyArn), {
    group: 'compute',
    ...logGroupOptions(spec),
  });
  add('Repository', 'AWS::ECR::Repository', 'Image repository of the application', {
    RepositoryName: names.repositoryName,
    ImageScanningConfiguration: { ScanOnPush: true },
    ImageTagMutability: 'IMMUTABLE',
    LifecyclePolicy: { LifecyclePolicyText: JSON.stringify(ECR_LIFECYCLE_POLICY) },
  }, { group: 'compute', retain: 'Retain' });

  const ecsTasksTrust = assumeRolePolicy('ecs-tasks.amazonaws.com');
  const readSecret: Array<Record<string, unknown>> = [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secrets.secretArn }];
  // With an AWS-managed key, Secrets Manager decrypts under that key's own policy: no KMS grant is needed.
  if (secrets.keyArn) readSecret.push({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: secrets.keyArn });
  add('ExecutionRole', 'AWS::IAM::Role', 'Lets ECS pull the image, write logs and read the database secret', {
    AssumeRolePolicyDocument: ecsTasksTrust,
    Policies: [
      {
        PolicyName: 'pull-image-and-write-logs',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            { Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Resource: getAtt('Repository', 'Arn') },
            { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAtt('LogGroup', 'Arn') },
          ],
        },
      },
      { PolicyName: 'read-database-secret', PolicyDocument: { Version: '2012-10-17', Statement: readSecret } },
    ],
  }, { group: 'compute' });
  add('TaskRole', 'AWS::IAM::Role', 'Identity of the application code (add its AWS permissions here)', {
    AssumeRolePolicyDocument: ecsTasksTrust,
  });

  // `<secret ARN>:<json key>::` selects one key of the secret's JSON (latest version).
  const secretKey = (key: string) => sub(`\${${placeholderOf(secrets.secretArn)}}:${key}::`);
  const userVariables = Object.entries(container.environmentVariables)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Name, Value]) => ({ Name, Value }));
  // An RDS-managed secret holds only username and password; everything else comes from the database itself.
  const databaseVariables =
    spec.credentials.mode === 'rds-managed'
      ? [
          { Name: 'DB_HOST', Value: getAtt('Database', 'Endpoint.Address') },
          { Name: 'DB_PORT', Value: getAtt('Database', 'Endpoint.Port') },
          { Name: 'DB_NAME', Value: spec.database.name },
        ]
      : [];
  const secretVariables = [
    { Name: 'DB_USER', ValueFrom: secretKey('username') },
    { Name: 'DB_PASSWORD', ValueFrom: secretKey('password') },
    ...(spec.credentials.mode === 'secrets-manager'
      ? [
          { Name: 'DB_HOST', ValueFrom: secretKey('host') },
          { Name: 'DB_PORT', ValueFrom: secretKey('port') },
          { Name: 'DB_NAME', ValueFrom: secretKey('dbname') },
        ]
      : []),
  ];
  add('TaskDefinition', 'AWS::ECS::TaskDefinition', `Fargate task: ${container.cpu} CPU units, ${container.memory} MiB`, {
    Family: names.taskFamily,
    Cpu: String(container.cpu),
    Memory: String(container.memory),
    NetworkMode: 'awsvpc',
    RequiresCompatibilities: ['FARGATE'],
    RuntimePlatform: { CpuArchitecture: container.cpuArchitecture, OperatingSystemFamily: 'LINUX' },
    ExecutionRoleArn: getAtt('ExecutionRole', 'Arn'),
    TaskRoleArn: getAtt('TaskRole', 'Arn'),
    ...(spec.hardening.readOnlyRootFilesystem ? { Volumes: [{ Name: TMP_VOLUME }] } : {}),
    ContainerDefinitions: [
      {
        Name: CONTAINER_NAME,
        Image: ref('ContainerImage'),
        Essential: true,
        User: spec.hardening.containerUser,
        Memory: container.memory,
        ReadonlyRootFilesystem: spec.hardening.readOnlyRootFilesystem,
        // Read-only: a task volume at /tmp stays writable (root-owned unless the image declares VOLUME /tmp for its user).
        ...(spec.hardening.readOnlyRootFilesystem ? { MountPoints: [{ SourceVolume: TMP_VOLUME, ContainerPath: '/tmp', ReadOnly: false }] } : {}),
        PortMappings: [{ ContainerPort: container.port, Protocol: 'tcp' }],
        ...(userVariables.length + databaseVariables.length > 0 ? { Environment: [...userVariables, ...databaseVariables] } : {}),
        Secrets: secretVariables,
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: { 'awslogs-group': ref('LogGroup'), 'awslogs-region': ref('AWS::Region'), 'awslogs-stream-prefix': CONTAINER_NAME },
        },
      },
    ],
  }, { group: 'compute' });
  add('Service', 'AWS::ECS::Service', `ECS service running ${scaling.desiredCount} task(s) on Fargate`, {
    ServiceName: names.serviceName,
    Cluster: ref('Cluster'),
    TaskDefinition: ref('TaskDefinition'),
    LaunchType: 'FARGATE',
    DesiredCount: scaling.desiredCount,
    HealthCheckGracePeriodSeconds: 60,
    DeploymentConfiguration: {
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      MinimumHealthyPercent: 100,
      MaximumPercent: 200,
    },
    NetworkConfiguration: {
      AwsvpcConfiguration: {
        AssignPublicIp: 'DISABLED',
        Subnets: network.privateSubnets,
        SecurityGroups: [getAtt('ServiceSecurityGroup', 'GroupId')],
      },
    },
    LoadBalancers: [{ ContainerName: CONTAINER_NAME, ContainerPort: container.port, TargetGroupArn: ref('TargetGroup') }],
    PropagateTags: 'SERVICE',
    EnableECSManagedTags: true,
  }, { group: 'compute', dependsOn: secrets.dependsOn });
  add('ScalableTarget', 'AWS::ApplicationAutoScaling::ScalableTarget', `Autoscaling between ${scaling.minCapacity} and ${scaling.maxCapacity} tasks`, {
    ServiceNamespace: 'ecs',
    ScalableDimension: 'ecs:service:DesiredCount',
    ResourceId: sub('service/${Cluster}/${Service.Name}'),
    MinCapacity: scaling.minCapacity,
    MaxCapacity: scaling.maxCapacity,
  }, { group: 'compute' });
  add('CpuScalingPolicy', 'AWS::ApplicationAutoScaling::ScalingPolicy', `Keeps average CPU near ${scaling.cpuTargetPercent}%`, {
    PolicyName: `${names.serviceName}-cpu`,
    PolicyType: 'TargetTrackingScaling',
    ScalingTargetId: ref('ScalableTarget'),
    TargetTrackingScalingPolicyConfiguration: {
      PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      TargetValue: scaling.cpuTargetPercent,
      ScaleInCooldown: 120,
      ScaleOutCooldown: 60,
    },
  });
}

/**
 * ECS reads secrets only when a task starts: after a successful rotation, a rule on this secret's
 * RotationSucceeded event starts a state machine that forces a new deployment. No code to maintain.
 */
function addRedeployOnRotation(spec: FargateServiceSpec, secretArn: unknown, add: Add) {
  add('RedeployStateMachineRole', 'AWS::IAM::Role', 'Lets the redeploy state machine restart this service only', {
    AssumeRolePolicyDocument: assumeRolePolicy('states.amazonaws.com'),
    Policies: [allowOnly('force-new-deployment', 'ecs:UpdateService', ref('Service'))],
  });
  add('RedeployStateMachine', 'AWS::StepFunctions::StateMachine', 'Restarts the service so tasks read the rotated password', {
    StateMachineType: 'STANDARD',
    RoleArn: getAtt('RedeployStateMachineRole', 'Arn'),
    Definition: {
      Comment: `Force a new deployment of ${spec.serviceName} after its database password rotates`,
      StartAt: 'ForceNewDeployment',
      States: {
        ForceNewDeployment: {
          Type: 'Task',
          Resource: '${UpdateServiceTask}',
          Parameters: { Cluster: '${ClusterArn}', Service: '${ServiceArn}', ForceNewDeployment: true },
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, MaxAttempts: 5, BackoffRate: 2 }],
          End: true,
        },
      },
    },
    DefinitionSubstitutions: {
      UpdateServiceTask: sub('arn:${AWS::Partition}:states:::aws-sdk:ecs:updateService'),
      ClusterArn: getAtt('Cluster', 'Arn'),
      ServiceArn: ref('Service'),
    },
  }, { group: 'automation' });
  add('RotationEventRole', 'AWS::IAM::Role', 'Lets the rotation rule start the redeploy state machine', {
    AssumeRolePolicyDocument: assumeRolePolicy('events.amazonaws.com'),
    Policies: [allowOnly('start-redeploy', 'states:StartExecution', ref('RedeployStateMachine'))],
  });
  add('RotationEventRule', 'AWS::Events::Rule', 'Redeploys the service when its database secret rotates', {
    Description: 'Successful rotation of the database secret triggers a redeploy',
    State: 'ENABLED',
    EventPattern: {
      source: ['aws.secretsmanager'],
      'detail-type': ['AWS Service Event via CloudTrail'],
      detail: {
        eventSource: ['secretsmanager.amazonaws.com'],
        eventName: ['RotationSucceeded'],
        additionalEventData: { SecretId: [secretArn] },
      },
    },
    Targets: [{ Id: 'redeploy-service', Arn: ref('RedeployStateMachine'), RoleArn: getAtt('RotationEventRole', 'Arn') }],
  }, { group: 'automation' });
}

/** The `Fn::Sub` placeholder (`Name` or `Name.Attribute`) for a reference to a resource of this stack. */
function placeholderOf(value: unknown): string {
  if (value instanceof Ref) return value.target;
  if (value instanceof GetAtt) return `${value.target}.${value.attribute}`;
  throw new Error('Only a Ref or GetAtt has a Fn::Sub placeholder');
}

/** An inline policy allowing one action on one resource. */
function allowOnly(policyName: string, action: string, resource: unknown) {
  return {
    PolicyName: policyName,
    PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] },
  };
}

const TRUST_SOURCE_ARNS: Record<string, string> = {
  'ecs-tasks.amazonaws.com': SOURCE_ARNS.ecsTasks,
  'states.amazonaws.com': SOURCE_ARNS.stepFunctions,
  'events.amazonaws.com': SOURCE_ARNS.events,
};

function assumeRolePolicy(service: string) {
  return serviceTrustPolicy(service, TRUST_SOURCE_ARNS[service]);
}
