import {
  METADATA_DESCRIPTION_KEY,
  TAG_ENTITY_REF,
} from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import { STANDARD_TAG_KEYS } from './inputFields';
import { ResourceHandle, sub } from './intrinsics';
import { accessLogTemplateSections, addFlowLogs } from './logging';
import { addKey } from './kms';
import { resourceNames, type ResourceNames } from './naming';
import { addNetwork, addSecurityGroups } from './network';
import { addLoadBalancer } from './loadBalancer';
import {
  addDatabase,
  PASSWORD_EXCLUDED_CHARACTERS,
  type Database,
} from './database';
import { addRedeployOnRotation } from './redeploy';
import {
  addApplicationRotation,
  addApplicationSecret,
  addRotationAlarms,
} from './rotation';
import { addService, EXECUTION_ROLE, type ServiceSecrets } from './service';

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
  /** Where clients enter the stack: the load balancer, the diagram's first node. */
  entryPoint: ResourceHandle;
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

export type AddOptions = {
  group?: DiagramGroup;
  dependsOn?: ResourceHandle[];
  retain?: 'Retain' | 'Snapshot';
};

/** Builds the stack model for a spec: the one place that decides what the stack holds. */
export function buildStack(spec: FargateServiceSpec): StackModel {
  const names = resourceNames(spec);
  const resources: Record<string, StackResource> = {};
  const diagramGroups: Record<string, DiagramGroup> = {};
  const tags = standardTags(spec);
  const add: Add = (resource, type, description, properties, options = {}) => {
    const handle =
      resource instanceof ResourceHandle
        ? resource
        : new ResourceHandle(resource);
    const { logicalId } = handle;
    if (resources[logicalId])
      throw new Error(`The stack already has a resource ${logicalId}`);
    resources[logicalId] = {
      Type: type,
      Metadata: { [METADATA_DESCRIPTION_KEY]: description },
      ...(options.dependsOn?.length
        ? { DependsOn: options.dependsOn.map(other => other.logicalId) }
        : {}),
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
    return handle;
  };

  const secretsManagerMode = spec.credentials.mode === 'secrets-manager';
  const network = addNetwork(spec, add);
  const keyArn = addKey(spec, names, add);
  addFlowLogs(spec, names, keyArn, add);
  const securityGroups = addSecurityGroups(spec, network, add);
  const loadBalancer = addLoadBalancer(spec, network, securityGroups, add);
  const database = addDatabase(
    spec,
    names,
    network,
    securityGroups,
    EXECUTION_ROLE,
    keyArn,
    add,
  );
  // secrets-manager mode: the application logs in as its own user; the master secret serves only the bootstrap and the rotation.
  const passwordRules = { excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS };
  const master = secretsManagerMode ? masterCredentials(database) : undefined;
  const applicationSecret = master
    ? addApplicationSecret(
        spec,
        names,
        master,
        EXECUTION_ROLE,
        keyArn,
        passwordRules,
        add,
      )
    : undefined;
  const serviceSecrets: ServiceSecrets =
    master && applicationSecret
      ? {
          secretArn: applicationSecret.secret.ref(),
          masterSecretArn: database.secretArn,
          keyArn,
          dependsOn: [master.secretAttachment, applicationSecret.attachment],
        }
      : { secretArn: database.secretArn, keyArn, dependsOn: [] };
  const service = addService(
    spec,
    names,
    network,
    securityGroups,
    loadBalancer,
    database.database,
    serviceSecrets,
    add,
  );
  if (master && applicationSecret && securityGroups.rotationFunction)
    addApplicationRotation(
      spec,
      names,
      network,
      securityGroups.rotationFunction,
      master,
      applicationSecret,
      keyArn,
      passwordRules,
      add,
    );
  const redeploy = addRedeployOnRotation(
    spec,
    names,
    service,
    serviceSecrets.secretArn,
    keyArn,
    add,
  );
  const alarms = addRotationAlarms(spec, names, redeploy.stateMachine, add);

  const https = !!spec.loadBalancer.certificateArn;
  const outputs: StackTemplate['Outputs'] = {
    ServiceUrl: {
      Description: 'URL of the service',
      Value: sub(
        `${https ? 'https' : 'http'}://${loadBalancer.loadBalancer.placeholder('DNSName')}`,
      ),
    },
    LoadBalancerDnsName: {
      Description: 'DNS name of the load balancer',
      Value: loadBalancer.loadBalancer.getAtt('DNSName'),
    },
    ClusterName: {
      Description: 'ECS cluster name',
      Value: service.cluster.ref(),
    },
    ServiceName: {
      Description: 'ECS service name',
      Value: service.service.getAtt('Name'),
    },
    RepositoryUri: {
      Description: 'ECR repository for the application image',
      Value: service.repository.getAtt('RepositoryUri'),
    },
    DatabaseEndpoint: {
      Description: 'Database host name',
      Value: database.database.getAtt('Endpoint.Address'),
    },
    DatabasePort: {
      Description: 'Database port',
      Value: database.database.getAtt('Endpoint.Port'),
    },
    DatabaseSecretArn: {
      Description: 'ARN of the secret holding the database credentials',
      Value: database.secretArn,
    },
    ...(applicationSecret
      ? {
          ApplicationSecretArn: {
            Description:
              "ARN of the secret holding the application user's credentials",
            Value: applicationSecret.secret.ref(),
          },
        }
      : {}),
    ...(spec.kms.mode === 'create'
      ? {
          KmsKeyArn: {
            Description: 'ARN of the customer-managed KMS key',
            Value: keyArn,
          },
        }
      : {}),
    LogGroupName: {
      Description: 'CloudWatch log group of the containers',
      Value: service.logGroup.ref(),
    },
    AlarmTopicArn: {
      Description:
        'SNS topic of the failed-rotation and failed-redeploy alarms',
      Value: alarms.topic.ref(),
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
    entryPoint: loadBalancer.loadBalancer,
  };
}

/** secrets-manager mode's master secret and its attachment, which addDatabase adds in that mode. */
function masterCredentials(database: Database) {
  if (!database.secret || !database.secretAttachment)
    throw new Error('secrets-manager mode adds the master secret');
  return {
    database: database.database,
    secret: database.secret,
    secretAttachment: database.secretAttachment,
  };
}

/** Adds a resource under a new logical id, or under a handle handed out before (for a resource others point at first). */
export type Add = (
  resource: string | ResourceHandle,
  type: string,
  description: string,
  properties: Record<string, unknown>,
  options?: AddOptions,
) => ResourceHandle;

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
