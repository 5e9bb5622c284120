/**
 * The service itself: its cluster, logs, image repository, roles, task definition, ECS service and
 * autoscaling. It joins the other builders' resources through their handles.
 */
import { addBootstrapImageCache, bootstrapContainer } from './applicationUser';
import type { FargateServiceSpec } from './input';
import { GetAtt, Ref, ResourceHandle, ref, sub } from './intrinsics';
import type { LoadBalancer } from './loadBalancer';
import { logGroupOptions, logGroupProperties } from './logging';
import type { ResourceNames } from './naming';
import type { Network, SecurityGroups } from './network';
import type { Add } from './stack';
import { assumeRolePolicy } from './trust';

/** The task execution role: the database and application secrets name it in their policies before the service adds it. */
export const EXECUTION_ROLE = new ResourceHandle('ExecutionRole');

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

/**
 * `secretArn`: what the application container reads; `masterSecretArn`: what only the bootstrap
 * container reads; `dependsOn`: what the service waits for (listeners, secret attachments).
 */
export type ServiceSecrets = {
  secretArn: unknown;
  masterSecretArn?: unknown;
  keyArn: unknown;
  dependsOn: ResourceHandle[];
};

/** What the outputs and the redeploy after a rotation point at. */
export type Service = {
  cluster: ResourceHandle;
  service: ResourceHandle;
  logGroup: ResourceHandle;
  repository: ResourceHandle;
};

export function addService(
  spec: FargateServiceSpec,
  names: ResourceNames,
  network: Network,
  securityGroups: SecurityGroups,
  loadBalancer: LoadBalancer,
  database: ResourceHandle,
  secrets: ServiceSecrets,
  add: Add,
): Service {
  const { container, scaling } = spec;
  const cluster = add(
    'Cluster',
    'AWS::ECS::Cluster',
    'ECS cluster of the service (Container Insights on)',
    {
      ClusterName: names.clusterName,
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    },
    { group: 'compute' },
  );
  const logGroup = add(
    'LogGroup',
    'AWS::Logs::LogGroup',
    `Container logs, kept ${spec.logRetentionDays} days`,
    logGroupProperties(spec, names.logGroupName, secrets.keyArn),
    {
      group: 'compute',
      ...logGroupOptions(spec),
    },
  );
  const repository = add(
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
    EXECUTION_ROLE,
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
                Resource: repository.getAtt('Arn'),
              },
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: logGroup.getAtt('Arn'),
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
  const taskRole = add(
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
          { Name: 'DB_HOST', Value: database.getAtt('Endpoint.Address') },
          { Name: 'DB_PORT', Value: database.getAtt('Endpoint.Port') },
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
    ? bootstrapContainer(
        spec,
        names,
        {
          masterSecret: placeholderOf(secrets.masterSecretArn),
          applicationSecret: placeholderOf(secrets.secretArn),
        },
        { database, logGroup },
      )
    : undefined;
  const taskDefinition = add(
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
      ExecutionRoleArn: EXECUTION_ROLE.getAtt('Arn'),
      TaskRoleArn: taskRole.getAtt('Arn'),
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
              'awslogs-group': logGroup.ref(),
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
  const service = add(
    'Service',
    'AWS::ECS::Service',
    `ECS service running ${scaling.desiredCount} task(s) on Fargate`,
    {
      ServiceName: names.serviceName,
      Cluster: cluster.ref(),
      TaskDefinition: taskDefinition.ref(),
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
          SecurityGroups: [securityGroups.service.getAtt('GroupId')],
        },
      },
      LoadBalancers: [
        {
          ContainerName: CONTAINER_NAME,
          ContainerPort: container.port,
          TargetGroupArn: loadBalancer.targetGroup.ref(),
        },
      ],
      PropagateTags: 'SERVICE',
      EnableECSManagedTags: true,
    },
    {
      group: 'compute',
      dependsOn: [...loadBalancer.listeners, ...secrets.dependsOn],
    },
  );
  const scalableTarget = add(
    'ScalableTarget',
    'AWS::ApplicationAutoScaling::ScalableTarget',
    `Autoscaling between ${scaling.minCapacity} and ${scaling.maxCapacity} tasks`,
    {
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: sub(
        `service/${cluster.placeholder()}/${service.placeholder('Name')}`,
      ),
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
      ScalingTargetId: scalableTarget.ref(),
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
  return { cluster, service, logGroup, repository };
}

/** The `Fn::Sub` placeholder (`Name` or `Name.Attribute`) for a reference to a resource of this stack. */
function placeholderOf(value: unknown): string {
  if (value instanceof Ref) return value.target;
  if (value instanceof GetAtt) return `${value.target}.${value.attribute}`;
  throw new Error('Only a Ref or GetAtt has a Fn::Sub placeholder');
}
