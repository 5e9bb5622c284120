import {
  METADATA_DESCRIPTION_KEY,
  TAG_ENTITY_REF,
} from '@golden-path/plugin-cloudformation-common';
import { STANDARD_TAG_KEYS, type FargateServiceSpec } from './input';
import { GetAtt, Ref, getAtt, ref, sub } from './intrinsics';
import {
  accessLogTemplateSections,
  addFlowLogs,
  logGroupOptions,
  logGroupProperties,
} from './logging';
import { customerKeyPolicy } from './kms';
import { resourceNames, type ResourceNames } from './naming';
import { addNetwork, addSecurityGroups, type Network } from './network';
import { addLoadBalancer } from './loadBalancer';
import { addDatabase, PASSWORD_EXCLUDED_CHARACTERS } from './database';
import { addRedeployOnRotation } from './redeploy';
import { assumeRolePolicy } from './trust';
import { addBootstrapImageCache, bootstrapContainer } from './applicationUser';
import {
  addApplicationRotation,
  addApplicationSecret,
  addRotationAlarms,
  APPLICATION_SECRET_ATTACHMENT,
} from './rotation';

export { PASSWORD_EXCLUDED_CHARACTERS } from './database';

/** Where a resource sits in the architecture diagram; resources without one are plumbing the diagram leaves out. */
export type DiagramGroup =
  | 'network'
  | 'loadBalancing'
  | 'compute'
  | 'database'
  | 'secrets'
  | 'automation';

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
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::RouteTable',
  'AWS::EC2::EIP',
  'AWS::EC2::NatGateway',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::SecurityGroup',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ECS::Cluster',
  'AWS::ECS::TaskDefinition',
  'AWS::ECS::Service',
  'AWS::ECR::Repository',
  'AWS::Logs::LogGroup',
  'AWS::IAM::Role',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBSubnetGroup',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::Events::Rule',
  'AWS::StepFunctions::StateMachine',
  'AWS::CloudWatch::Alarm',
  'AWS::SNS::Topic',
  'AWS::RDS::DBParameterGroup',
  'AWS::S3::Bucket',
  'AWS::EC2::FlowLog',
]);

const CONTAINER_NAME = 'app';
const TMP_VOLUME = 'tmp';
/** Untagged layers go after a week; the newest 50 images stay, so a rollback always finds its image. */
const ECR_LIFECYCLE_POLICY = {
  rules: [
    {
      rulePriority: 1,
      description: 'Expire untagged images after 7 days',
      selection: {
        tagStatus: 'untagged',
        countType: 'sinceImagePushed',
        countUnit: 'days',
        countNumber: 7,
      },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'Keep the newest 50 images',
      selection: {
        tagStatus: 'any',
        countType: 'imageCountMoreThan',
        countNumber: 50,
      },
      action: { type: 'expire' },
    },
  ],
};

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
  const add = (
    logicalId: string,
    type: string,
    description: string,
    properties: Record<string, unknown>,
    options: AddOptions = {},
  ) => {
    resources[logicalId] = {
      Type: type,
      Metadata: { [METADATA_DESCRIPTION_KEY]: description },
      ...(options.dependsOn?.length ? { DependsOn: options.dependsOn } : {}),
      ...(options.retain
        ? {
            DeletionPolicy: options.retain,
            UpdateReplacePolicy: options.retain,
          }
        : {}),
      Properties: TAGGABLE_TYPES.has(type)
        ? { ...properties, Tags: tags }
        : properties,
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
  // secrets-manager mode: the application logs in as its own user; the master secret serves only the bootstrap and the rotation.
  const passwordRules = { excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS };
  const applicationSecretArn = secretsManagerMode
    ? addApplicationSecret(spec, names, keyArn, passwordRules, add)
    : undefined;
  const serviceSecrets: ServiceSecrets = applicationSecretArn
    ? {
        secretArn: applicationSecretArn,
        masterSecretArn: secretArn,
        keyArn,
        dependsOn: [
          ...listeners,
          'DatabaseSecretAttachment',
          APPLICATION_SECRET_ATTACHMENT,
        ],
      }
    : { secretArn, keyArn, dependsOn: listeners };
  addService(spec, names, network, serviceSecrets, add);
  if (secretsManagerMode)
    addApplicationRotation(spec, names, network, keyArn, passwordRules, add);
  addRedeployOnRotation(
    spec,
    names,
    applicationSecretArn ?? secretArn,
    keyArn,
    add,
  );
  addRotationAlarms(spec, names, add);

  const https = !!spec.loadBalancer.certificateArn;
  const outputs: StackTemplate['Outputs'] = {
    ServiceUrl: {
      Description: 'URL of the service',
      Value: sub(`${https ? 'https' : 'http'}://\${LoadBalancer.DNSName}`),
    },
    LoadBalancerDnsName: {
      Description: 'DNS name of the load balancer',
      Value: getAtt('LoadBalancer', 'DNSName'),
    },
    ClusterName: { Description: 'ECS cluster name', Value: ref('Cluster') },
    ServiceName: {
      Description: 'ECS service name',
      Value: getAtt('Service', 'Name'),
    },
    RepositoryUri: {
      Description: 'ECR repository for the application image',
      Value: getAtt('Repository', 'RepositoryUri'),
    },
    DatabaseEndpoint: {
      Description: 'Database host name',
      Value: getAtt('Database', 'Endpoint.Address'),
    },
    DatabasePort: {
      Description: 'Database port',
      Value: getAtt('Database', 'Endpoint.Port'),
    },
    DatabaseSecretArn: {
      Description: 'ARN of the secret holding the database credentials',
      Value: secretArn,
    },
    ...(applicationSecretArn
      ? {
          ApplicationSecretArn: {
            Description:
              "ARN of the secret holding the application user's credentials",
            Value: applicationSecretArn,
          },
        }
      : {}),
    ...(spec.kms.mode === 'create'
      ? {
          KmsKeyArn: {
            Description: 'ARN of the customer-managed KMS key',
            Value: getAtt('EncryptionKey', 'Arn'),
          },
        }
      : {}),
    LogGroupName: {
      Description: 'CloudWatch log group of the containers',
      Value: ref('LogGroup'),
    },
    AlarmTopicArn: {
      Description:
        'SNS topic of the failed-rotation and failed-redeploy alarms',
      Value: ref('AlarmTopic'),
    },
  };

  return {
    template: {
      AWSTemplateFormatVersion: '2010-09-09',
      ...(secretsManagerMode ? { Transform: SECRETS_MANAGER_TRANSFORM } : {}),
      Description: spec.description,
      Parameters: {
        ContainerImage: {
          Type: 'String',
          Description:
            'Image the service runs; CI deploys a new value through a change set.',
          Default: spec.container.image,
          MinLength: 1,
        },
      },
      ...accessLogTemplateSections(spec),
      Resources: resources,
      Outputs: outputs,
    },
    names,
    capabilities: secretsManagerMode
      ? ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND']
      : ['CAPABILITY_IAM'],
    parameterValues: { ContainerImage: spec.container.image },
    diagramGroups,
  };
}

export type Add = (
  logicalId: string,
  type: string,
  description: string,
  properties: Record<string, unknown>,
  options?: AddOptions,
) => void;

function standardTags(
  spec: FargateServiceSpec,
): Array<{ Key: string; Value: string }> {
  const standard: Record<(typeof STANDARD_TAG_KEYS)[number], string> = {
    service: spec.serviceName,
    owner: spec.owner,
    environment: spec.environment,
    [TAG_ENTITY_REF]: spec.entityRef,
  };
  return Object.entries({ ...standard, ...spec.tags }).map(([Key, Value]) => ({
    Key,
    Value,
  }));
}

/** Adds the customer-managed key when asked for one; returns the ARN of the customer key in use, if any. */
function addKey(
  spec: FargateServiceSpec,
  names: ResourceNames,
  add: Add,
): unknown | undefined {
  if (spec.kms.mode === 'existing') return spec.kms.keyArn;
  if (spec.kms.mode === 'aws-managed') return undefined;
  add(
    'EncryptionKey',
    'AWS::KMS::Key',
    'Customer-managed key for the database, its credentials and the logs',
    {
      Description: `Encrypts the database, database credentials and logs of ${names.stackName}`,
      EnableKeyRotation: true,
      KeyPolicy: customerKeyPolicy(),
    },
    { group: 'secrets', retain: 'Retain' },
  );
  add(
    'EncryptionKeyAlias',
    'AWS::KMS::Alias',
    'Friendly name of the customer-managed key',
    {
      AliasName: names.kmsAliasName,
      TargetKeyId: ref('EncryptionKey'),
    },
  );
  return getAtt('EncryptionKey', 'Arn');
}

/** `secretArn`: what the application container reads; `masterSecretArn`: what only the bootstrap container reads. */
type ServiceSecrets = {
  secretArn: unknown;
  masterSecretArn?: unknown;
  keyArn: unknown;
  dependsOn: string[];
};

function addService(
  spec: FargateServiceSpec,
  names: ResourceNames,
  network: Network,
  secrets: ServiceSecrets,
  add: Add,
) {
  const { container, scaling } = spec;
  add(
    'Cluster',
    'AWS::ECS::Cluster',
    'ECS cluster of the service (Container Insights on)',
    {
      ClusterName: names.clusterName,
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    },
    { group: 'compute' },
  );
  add(
    'LogGroup',
    'AWS::Logs::LogGroup',
    `Container logs, kept ${spec.logRetentionDays} days`,
    logGroupProperties(spec, names.logGroupName, secrets.keyArn),
    {
      group: 'compute',
      ...logGroupOptions(spec),
    },
  );
  add(
    'Repository',
    'AWS::ECR::Repository',
    'Image repository of the application',
    {
      RepositoryName: names.repositoryName,
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      LifecyclePolicy: {
        LifecyclePolicyText: JSON.stringify(ECR_LIFECYCLE_POLICY),
      },
    },
    { group: 'compute', retain: 'Retain' },
  );

  const ecsTasksTrust = assumeRolePolicy('ecs-tasks.amazonaws.com');
  const readSecret: Array<Record<string, unknown>> = [
    {
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: secrets.masterSecretArn
        ? [secrets.secretArn, secrets.masterSecretArn]
        : secrets.secretArn,
    },
  ];
  const pullBootstrapImage = secrets.masterSecretArn
    ? [addBootstrapImageCache(names, add)]
    : [];
  // With an AWS-managed key, Secrets Manager decrypts under that key's own policy: no KMS grant is needed.
  if (secrets.keyArn)
    readSecret.push({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: secrets.keyArn,
    });
  add(
    'ExecutionRole',
    'AWS::IAM::Role',
    `Lets ECS pull the image, write logs and read the database secret${secrets.masterSecretArn ? 's (the master one for the bootstrap container only)' : ''}`,
    {
      AssumeRolePolicyDocument: ecsTasksTrust,
      Policies: [
        {
          PolicyName: 'pull-image-and-write-logs',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'ecr:GetAuthorizationToken',
                Resource: '*',
              },
              {
                Effect: 'Allow',
                Action: [
                  'ecr:BatchCheckLayerAvailability',
                  'ecr:GetDownloadUrlForLayer',
                  'ecr:BatchGetImage',
                ],
                Resource: getAtt('Repository', 'Arn'),
              },
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: getAtt('LogGroup', 'Arn'),
              },
              ...pullBootstrapImage,
            ],
          },
        },
        {
          PolicyName: 'read-database-secret',
          PolicyDocument: { Version: '2012-10-17', Statement: readSecret },
        },
      ],
    },
    { group: 'compute' },
  );
  add(
    'TaskRole',
    'AWS::IAM::Role',
    'Identity of the application code (add its AWS permissions here)',
    {
      AssumeRolePolicyDocument: ecsTasksTrust,
    },
  );

  // `<secret ARN>:<json key>::` selects one key of the secret's JSON (latest version).
  const secretKey = (key: string) =>
    sub(`\${${placeholderOf(secrets.secretArn)}}:${key}::`);
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
  const bootstrap = secrets.masterSecretArn
    ? bootstrapContainer(spec, names, {
        masterSecret: placeholderOf(secrets.masterSecretArn),
        applicationSecret: placeholderOf(secrets.secretArn),
      })
    : undefined;
  add(
    'TaskDefinition',
    'AWS::ECS::TaskDefinition',
    `Fargate task: ${container.cpu} CPU units, ${container.memory} MiB`,
    {
      Family: names.taskFamily,
      Cpu: String(container.cpu),
      Memory: String(container.memory),
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: {
        CpuArchitecture: container.cpuArchitecture,
        OperatingSystemFamily: 'LINUX',
      },
      ExecutionRoleArn: getAtt('ExecutionRole', 'Arn'),
      TaskRoleArn: getAtt('TaskRole', 'Arn'),
      ...(spec.hardening.readOnlyRootFilesystem
        ? { Volumes: [{ Name: TMP_VOLUME }] }
        : {}),
      ContainerDefinitions: [
        {
          Name: CONTAINER_NAME,
          Image: ref('ContainerImage'),
          Essential: true,
          User: spec.hardening.containerUser,
          Memory: container.memory,
          ReadonlyRootFilesystem: spec.hardening.readOnlyRootFilesystem,
          // Read-only: a task volume at /tmp stays writable (root-owned unless the image declares VOLUME /tmp for its user).
          ...(spec.hardening.readOnlyRootFilesystem
            ? {
                MountPoints: [
                  {
                    SourceVolume: TMP_VOLUME,
                    ContainerPath: '/tmp',
                    ReadOnly: false,
                  },
                ],
              }
            : {}),
          PortMappings: [{ ContainerPort: container.port, Protocol: 'tcp' }],
          ...(userVariables.length + databaseVariables.length > 0
            ? { Environment: [...userVariables, ...databaseVariables] }
            : {}),
          Secrets: secretVariables,
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: {
              'awslogs-group': ref('LogGroup'),
              'awslogs-region': ref('AWS::Region'),
              'awslogs-stream-prefix': CONTAINER_NAME,
            },
          },
          ...(bootstrap
            ? {
                DependsOn: [
                  { ContainerName: bootstrap.Name, Condition: 'SUCCESS' },
                ],
              }
            : {}),
        },
        ...(bootstrap ? [bootstrap] : []),
      ],
    },
    { group: 'compute' },
  );
  add(
    'Service',
    'AWS::ECS::Service',
    `ECS service running ${scaling.desiredCount} task(s) on Fargate`,
    {
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
      LoadBalancers: [
        {
          ContainerName: CONTAINER_NAME,
          ContainerPort: container.port,
          TargetGroupArn: ref('TargetGroup'),
        },
      ],
      PropagateTags: 'SERVICE',
      EnableECSManagedTags: true,
    },
    { group: 'compute', dependsOn: secrets.dependsOn },
  );
  add(
    'ScalableTarget',
    'AWS::ApplicationAutoScaling::ScalableTarget',
    `Autoscaling between ${scaling.minCapacity} and ${scaling.maxCapacity} tasks`,
    {
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: sub('service/${Cluster}/${Service.Name}'),
      MinCapacity: scaling.minCapacity,
      MaxCapacity: scaling.maxCapacity,
    },
    { group: 'compute' },
  );
  add(
    'CpuScalingPolicy',
    'AWS::ApplicationAutoScaling::ScalingPolicy',
    `Keeps average CPU near ${scaling.cpuTargetPercent}%`,
    {
      PolicyName: `${names.serviceName}-cpu`,
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: ref('ScalableTarget'),
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
        },
        TargetValue: scaling.cpuTargetPercent,
        ScaleInCooldown: 120,
        ScaleOutCooldown: 60,
      },
    },
  );
}

/** The `Fn::Sub` placeholder (`Name` or `Name.Attribute`) for a reference to a resource of this stack. */
function placeholderOf(value: unknown): string {
  if (value instanceof Ref) return value.target;
  if (value instanceof GetAtt) return `${value.target}.${value.attribute}`;
  throw new Error('Only a Ref or GetAtt has a Fn::Sub placeholder');
}
