import { randomUUID } from 'node:crypto';
import {
  TAG_ENTITY_REF,
  TAG_TEMPLATE_REF,
} from '@golden-path/plugin-cloudformation-common';
import { formatChangeTable, type ResourceChangeRow } from './changeTable';
import { MASK, isSecretLookingKey, maskParameters } from './secrets';
import { readTemplate, type TemplateFacts } from './template';
import type { DeployRequest, DeployResult } from './types';

/** The AWS partition of a region: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, … */
export function partitionOf(region: string): string {
  const prefixes: Array<[string, string]> = [
    ['cn-', 'aws-cn'],
    ['us-gov-', 'aws-us-gov'],
    ['us-isob-', 'aws-iso-b'],
    ['us-isof-', 'aws-iso-f'],
    ['us-iso-', 'aws-iso'],
    ['eu-isoe-', 'aws-iso-e'],
  ];
  return prefixes.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

type Placeholders = {
  request: DeployRequest;
  template: TemplateFacts;
  parameters: Record<string, string>;
  region: string;
  accountId: string;
  partition: string;
  stackId: string;
  suffix: string;
};

/**
 * What a deploy would do, without calling AWS: the log lines of the plan (parameters with
 * secrets masked) and a result with placeholders in the real formats (ARNs in the region's
 * partition, the account, CloudFormation-style physical ids).
 */
export function planDryRun(
  request: DeployRequest,
  target: { region: string; accountId: string },
): {
  lines: string[];
  result: DeployResult;
} {
  const template = readTemplate(request.templateBody);
  const noEcho = Object.keys(template.parameters).filter(
    key => template.parameters[key].noEcho,
  );
  const parameters = maskParameters(request.parameters, noEcho);
  const partition = partitionOf(target.region);
  const uuid = randomUUID();
  const stackId = `arn:${partition}:cloudformation:${target.region}:${target.accountId}:stack/${request.stackName}/${uuid}`;
  const changeSetName = `backstage-${request.idempotencyKey}`;
  const context: Placeholders = {
    request,
    template,
    parameters,
    ...target,
    partition,
    stackId,
    suffix: uuid.replace(/-/g, '').slice(0, 12).toUpperCase(),
  };

  const changes: ResourceChangeRow[] = template.resources.map(resource => ({
    action: 'add',
    logicalResourceId: resource.logicalId,
    resourceType: resource.type,
    replacement: '-',
  }));
  const descriptions = Object.fromEntries(
    template.resources.flatMap(resource =>
      resource.description ? [[resource.logicalId, resource.description]] : [],
    ),
  );
  const missing = Object.keys(template.parameters).filter(
    key => !template.parameters[key].hasDefault && !(key in parameters),
  );
  const tags = {
    ...request.tags,
    [TAG_ENTITY_REF]: request.owner.entityRef,
    ...(request.owner.templateRef
      ? { [TAG_TEMPLATE_REF]: request.owner.templateRef }
      : {}),
  };
  const list = (record: Record<string, string>) =>
    Object.entries(record)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ') || '(none)';
  const lines = [
    `Dry run: no AWS call is made. A real run deploys stack ${request.stackName} to account ${target.accountId} in ${target.region} ` +
      'through a change set: created if the stack does not exist, updated if this entity owns it.',
    `The template has ${changes.length} resource(s); on create they would be:`,
    ...formatChangeTable(changes, descriptions),
    `Parameters: ${list(parameters)}`,
    ...(missing.length
      ? [
          `Parameters without a value or default: ${missing.join(', ')} (a create would fail; an update keeps their deployed values).`,
        ]
      : []),
    `Tags: ${list(tags)}`,
    `Capabilities: ${request.capabilities.join(', ') || '(none)'}; service role: ${request.roleArn ?? '(none)'}; ` +
      `on failure: ${request.onFailure}; timeout: ${request.timeoutMinutes} minutes; ` +
      `termination protection: ${request.terminationProtection === undefined ? 'unchanged' : request.terminationProtection ? 'on' : 'off'}; ` +
      `execute: ${request.execute}`,
  ];

  const outputs = Object.fromEntries(
    Object.entries(template.outputs).map(([key, value]) => [
      key,
      isSecretLookingKey(key)
        ? MASK
        : (resolvePlaceholder(value, context) ?? `dry-run-${key}`),
    ]),
  );
  return {
    lines,
    result: {
      stackId,
      stackName: request.stackName,
      stackStatus: request.execute ? 'CREATE_COMPLETE' : 'REVIEW_IN_PROGRESS',
      changeSetId: `arn:${partition}:cloudformation:${target.region}:${target.accountId}:changeSet/${changeSetName}/${randomUUID()}`,
      changed: true,
      executed: request.execute,
      outputs,
      changes,
    },
  };
}

// The value an output expression would take, with made-up physical ids; undefined when unknown.
function resolvePlaceholder(
  value: unknown,
  context: Placeholders,
): string | undefined {
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return String(value);
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const expression = value as Record<string, unknown>;
  if (typeof expression.Ref === 'string') {
    return resolveName(expression.Ref, context);
  }
  if (Array.isArray(expression['Fn::GetAtt'])) {
    const [logicalId, attribute] = expression['Fn::GetAtt'].map(String);
    return resolveName(`${logicalId}.${attribute}`, context);
  }
  if (expression['Fn::Sub'] !== undefined) {
    const [text, variables] = Array.isArray(expression['Fn::Sub'])
      ? [
          String(expression['Fn::Sub'][0]),
          (expression['Fn::Sub'][1] ?? {}) as Record<string, unknown>,
        ]
      : [String(expression['Fn::Sub']), {} as Record<string, unknown>];
    return text.replace(
      /\$\{([^}!]+)\}/g,
      (whole, name: string) =>
        (name in variables
          ? resolvePlaceholder(variables[name], context)
          : resolveName(name, context)) ?? whole,
    );
  }
  if (Array.isArray(expression['Fn::Join'])) {
    const [delimiter, items] = expression['Fn::Join'];
    if (Array.isArray(items)) {
      const parts = items.map(item => resolvePlaceholder(item, context));
      return parts.every(part => part !== undefined)
        ? parts.join(String(delimiter))
        : undefined;
    }
  }
  return undefined;
}

// `Param`, `AWS::Region`, `Resource` or `Resource.Attribute` as a placeholder value.
function resolveName(name: string, context: Placeholders): string | undefined {
  const {
    request,
    template,
    parameters,
    region,
    accountId,
    partition,
    stackId,
  } = context;
  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::Partition': partition,
    'AWS::StackName': request.stackName,
    'AWS::StackId': stackId,
    'AWS::URLSuffix':
      partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
  if (name in pseudo) {
    return pseudo[name];
  }
  if (name in parameters) {
    return parameters[name];
  }
  const [logicalId, attribute] = name.split(/\.(.*)/s);
  const resource = template.resources.find(
    candidate => candidate.logicalId === logicalId,
  );
  if (!resource) {
    return undefined;
  }
  const physicalId = `${request.stackName}-${logicalId}-${context.suffix}`;
  const physicalName =
    resource.type === 'AWS::S3::Bucket' ? physicalId.toLowerCase() : physicalId;
  const arn = (service: string, resourcePart: string, inRegion = true) =>
    `arn:${partition}:${service}:${inRegion ? region : ''}:${accountId}:${resourcePart}`;
  // Secrets Manager appends six random characters to a secret's name in its ARN.
  const secretArn = arn(
    'secretsmanager',
    `secret:${physicalName}-${context.suffix.slice(0, 6)}`,
  );
  const suffix = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  if (!attribute) {
    return resource.type === 'AWS::SecretsManager::Secret'
      ? secretArn
      : physicalName;
  }
  const wellKnown: Record<string, string | undefined> = {
    'MasterUserSecret.SecretArn': secretArn,
    DNSName: `${physicalName.toLowerCase()}-${context.suffix.slice(0, 10)}.${region}.elb.${suffix}`,
    'Endpoint.Address': `${physicalName.toLowerCase()}.${context.suffix.toLowerCase()}.${region}.rds.${suffix}`,
    RepositoryUri: `${accountId}.dkr.ecr.${region}.${suffix}/${physicalName.toLowerCase()}`,
  };
  if (wellKnown[attribute]) {
    return wellKnown[attribute];
  }
  if (!attribute.endsWith('Arn')) {
    return `${physicalName}-${attribute}`;
  }
  const [, service = 'unknown', kind = 'resource'] = resource.type
    .toLowerCase()
    .split('::');
  if (service === 's3') {
    return `arn:${partition}:s3:::${physicalName}`;
  }
  if (service === 'iam') {
    return arn('iam', `${kind}/${physicalName}`, false);
  }
  return arn(service, `${kind}/${physicalName}`);
}
