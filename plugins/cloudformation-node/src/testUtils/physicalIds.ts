import { createHash } from 'node:crypto';
import { pseudoParameters, resolveIntrinsic } from '../resolveIntrinsic';
import {
  arnOf,
  generatedResourceName,
  randomNameSuffix,
  secretArnOf,
  typeArnOf,
  type ArnScope,
} from '../resourceArns';
import { readFakeTemplate } from './fakeTemplate';
import type { FakeStack } from './stackModel';
import {
  databaseEngine,
  isDatabaseEngineId,
} from '@golden-path/plugin-cloudformation-common';

// The property that names a resource of the type; CloudFormation makes a name up when it is left out.
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::ECS::Service': 'ServiceName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::SQS::Queue': 'QueueName',
};

/** Adds a resource to the stack under the physical id CloudFormation would give it. */
export function addResource(
  scope: ArnScope,
  stack: FakeStack,
  logicalId: string,
  type: string,
  status: string,
  at: number,
  properties: Record<string, unknown> = {},
): void {
  stack.resources.set(logicalId, {
    type,
    physicalId: physicalIdOf(scope, stack, logicalId, type, properties),
    status,
    updatedAt: new Date(at),
  });
}

// The physical id CloudFormation reports: the name the template gives the resource, or one made up
// from the stack and logical id; an ARN for the types whose physical id is their ARN.
function physicalIdOf(
  scope: ArnScope,
  stack: FakeStack,
  logicalId: string,
  type: string,
  properties: Record<string, unknown>,
): string {
  const suffix = randomNameSuffix();
  const given = properties[NAME_PROPERTIES[type] ?? ''];
  const name =
    typeof given === 'string'
      ? given
      : generatedResourceName(stack.name, logicalId, suffix);
  switch (type) {
    case 'AWS::ECS::Service': {
      // Ref of a cluster is its name; a literal may be a name or an ARN.
      const cluster =
        refValue(stack, properties.Cluster)?.split('/').pop() ??
        `${stack.name}-cluster`;
      return arnOf(
        scope,
        'ecs',
        `service/${cluster}/${typeof given === 'string' ? given : `${stack.name}-${logicalId}`}`,
      );
    }
    case 'AWS::SecretsManager::Secret':
      return secretArnOf(scope, name, suffix.slice(0, 6).toLowerCase());
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
    case 'AWS::ElasticLoadBalancingV2::TargetGroup': {
      // Load balancer and target group names have at most 32 characters.
      const shortName =
        typeof given === 'string'
          ? given
          : `${stack.name.slice(0, 5)}-${logicalId.slice(0, 5)}-${suffix}`;
      const kind = type.endsWith('LoadBalancer')
        ? `loadbalancer/${properties.Type === 'network' ? 'net' : 'app'}`
        : 'targetgroup';
      return arnOf(
        scope,
        'elasticloadbalancing',
        `${kind}/${shortName}/${hexDigest(name, 16)}`,
      );
    }
    case 'AWS::S3::Bucket':
    case 'AWS::RDS::DBInstance':
    case 'AWS::ECR::Repository':
      // Names these services only accept in lowercase.
      return name.toLowerCase();
    default:
      return name;
  }
}

function refValue(stack: FakeStack, value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  const ref = (value as Record<string, unknown> | undefined)?.Ref;
  return typeof ref === 'string'
    ? stack.resources.get(ref)?.physicalId
    : undefined;
}

/**
 * Output values the way CloudFormation resolves them (parameters, pseudo parameters and resources
 * through the shared resolver); an output it cannot resolve gets a stand-in.
 */
export function resolveOutputs(
  scope: ArnScope,
  stack: FakeStack,
): Record<string, string> {
  const pseudo = pseudoParameters({
    ...scope,
    stackName: stack.name,
    stackId: stack.id,
  });
  const lookup = (name: string): string | undefined => {
    const [logicalId, attribute] = name.split(/\.(.*)/s);
    return (
      pseudo[name] ??
      stack.parameters[name] ??
      (attribute
        ? attributeOf(scope, stack, logicalId, attribute)
        : stack.resources.get(name)?.physicalId)
    );
  };
  return Object.fromEntries(
    Object.entries(readFakeTemplate(stack.templateBody).outputs).map(
      ([key, output]) => [
        key,
        resolveIntrinsic(output.value, lookup) ?? `fake-${key}`,
      ],
    ),
  );
}

// Fn::GetAtt in the formats AWS returns for the attributes stacks commonly output.
function attributeOf(
  scope: ArnScope,
  stack: FakeStack,
  logicalId: string,
  attribute: string,
): string | undefined {
  const resource = stack.resources.get(logicalId);
  if (!resource) {
    return undefined;
  }
  const { physicalId, type } = resource;
  const { region, accountId } = scope;
  const properties =
    readFakeTemplate(stack.templateBody).resources.get(logicalId)?.properties ??
    {};
  // Stable per resource, so every output naming the same attribute agrees.
  const hash = (length: number) =>
    hexDigest(`${physicalId}/${attribute}`, length);
  switch (`${type}.${attribute}`) {
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName': {
      const name = physicalId.split('/')[2] ?? physicalId;
      const digits = String(parseInt(hash(12), 16)).slice(0, 10);
      return `${properties.Scheme === 'internal' ? 'internal-' : ''}${name}-${digits}.${region}.elb.amazonaws.com`.toLowerCase();
    }
    case 'AWS::RDS::DBInstance.Endpoint.Address':
      return `${physicalId}.${hash(12)}.${region}.rds.amazonaws.com`;
    case 'AWS::RDS::DBInstance.Endpoint.Port':
      return String(
        properties.Port ?? defaultDatabasePort(String(properties.Engine ?? '')),
      );
    case 'AWS::RDS::DBInstance.MasterUserSecret.SecretArn': {
      // RDS names the secrets it manages rds!db-<uuid>.
      const id = hash(32);
      const uuid = [
        id.slice(0, 8),
        id.slice(8, 12),
        id.slice(12, 16),
        id.slice(16, 20),
        id.slice(20),
      ].join('-');
      return secretArnOf(scope, `rds!db-${uuid}`, hash(6));
    }
    case 'AWS::ECR::Repository.RepositoryUri':
      return `${accountId}.dkr.ecr.${region}.amazonaws.com/${physicalId}`;
    case 'AWS::ECS::Service.Name':
      return physicalId.split('/').pop();
    default:
      break;
  }
  if (attribute.endsWith('Arn')) {
    return physicalId.startsWith('arn:')
      ? physicalId
      : typeArnOf(scope, type, physicalId);
  }
  return `${physicalId}.${attribute}`;
}

// The port RDS gives an engine when the template names none: the golden path's engines from their
// table, others (any template may be deployed here) by their family.
function defaultDatabasePort(engine: string): number {
  if (isDatabaseEngineId(engine)) return databaseEngine(engine).port;
  return /postgres/.test(engine)
    ? 5432
    : /oracle/.test(engine)
      ? 1521
      : /sqlserver/.test(engine)
        ? 1433
        : 3306;
}

function hexDigest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
