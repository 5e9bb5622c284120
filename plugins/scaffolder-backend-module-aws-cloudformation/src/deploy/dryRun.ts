import { randomUUID } from 'node:crypto';
import {
  TAG_ENTITY_REF,
  TAG_TEMPLATE_REF,
} from '@golden-path/plugin-cloudformation-common';
import {
  arnOf,
  generatedResourceName,
  pseudoParameters,
  randomNameSuffix,
  resolveIntrinsic,
  secretArnOf,
  typeArnOf,
  urlSuffixOf,
} from '@golden-path/plugin-cloudformation-node';
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
  const scope = { partition, ...target };
  const stackId = arnOf(
    scope,
    'cloudformation',
    `stack/${request.stackName}/${randomUUID()}`,
  );
  const changeSetName = `backstage-${request.idempotencyKey}`;
  const context: Placeholders = {
    request,
    template,
    parameters,
    ...target,
    partition,
    stackId,
    suffix: randomNameSuffix(),
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
        : (resolveIntrinsic(value, name => placeholderOf(name, context)) ??
          `dry-run-${key}`),
    ]),
  );
  return {
    lines,
    result: {
      stackId,
      stackName: request.stackName,
      stackStatus: request.execute ? 'CREATE_COMPLETE' : 'REVIEW_IN_PROGRESS',
      changeSetId: arnOf(
        scope,
        'cloudformation',
        `changeSet/${changeSetName}/${randomUUID()}`,
      ),
      changed: true,
      executed: request.execute,
      outputs,
      changes,
    },
  };
}

// `Param`, `AWS::Region`, `Resource` or `Resource.Attribute` as a placeholder value.
function placeholderOf(
  name: string,
  context: Placeholders,
): string | undefined {
  const { request, template, parameters, region, accountId, partition } =
    context;
  const pseudo = pseudoParameters({
    partition,
    region,
    accountId,
    stackName: request.stackName,
    stackId: context.stackId,
  });
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
  const physicalId = generatedResourceName(
    request.stackName,
    logicalId,
    context.suffix,
  );
  const physicalName =
    resource.type === 'AWS::S3::Bucket' ? physicalId.toLowerCase() : physicalId;
  const scope = { partition, region, accountId };
  const secretArn = secretArnOf(
    scope,
    physicalName,
    context.suffix.slice(0, 6),
  );
  const suffix = urlSuffixOf(partition);
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
  return typeArnOf(scope, resource.type, physicalName);
}
