import {
  allResourceTypeNames,
  findResourceType,
  typeDefinitionOf,
  type PropertyType,
} from './resourceModel';
import {
  asIntrinsic,
  closestMatch,
  isCustomResourceType,
  containsDynamicReference,
  isPlainObject,
  joinPath,
} from './intrinsics';
import { holdsInlineTransform, type TransformContext } from './transforms';
import type { TemplateDocument, ValidationFinding } from './types';

const TOP_LEVEL_SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Rules',
  'Hooks',
]);
const RESOURCE_ATTRIBUTES = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Metadata',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'CreationPolicy',
  'UpdatePolicy',
]);
/** Attributes only some kinds of resource take: CloudFormation's schema gives custom resources a `Version`, SAM its own. */
const CUSTOM_RESOURCE_ATTRIBUTES = new Set([...RESOURCE_ATTRIBUTES, 'Version']);
const SERVERLESS_RESOURCE_ATTRIBUTES = new Set([
  ...RESOURCE_ATTRIBUTES,
  'Connectors',
  'IgnoreGlobals',
]);
/** The only types CloudFormation applies an UpdatePolicy to. */
const UPDATE_POLICY_TYPES = new Set([
  'AWS::AppStream::Fleet',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::Elasticsearch::Domain',
  'AWS::Lambda::Alias',
  'AWS::OpenSearchService::Domain',
]);
const DELETION_POLICIES = [
  'Delete',
  'Retain',
  'RetainExceptOnCreate',
  'Snapshot',
];
const UPDATE_REPLACE_POLICIES = ['Delete', 'Retain', 'Snapshot'];

type Property = { required?: boolean; type: PropertyType };
type Context = { resource: string; findings: ValidationFinding[] };

/** Template sections and every resource against the CloudFormation resource model. */
export function checkStructure(
  template: TemplateDocument,
  context: TransformContext,
): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  for (const section of Object.keys(template)) {
    if (!TOP_LEVEL_SECTIONS.has(section)) {
      findings.push({
        severity: 'error',
        rule: 'unknown-section',
        path: section,
        message: `Unknown template section "${section}"${suggestion(section, TOP_LEVEL_SECTIONS)}.`,
      });
    }
  }
  const resources = template.Resources;
  if (
    !isPlainObject(resources) ||
    (Object.keys(resources).length === 0 &&
      !context.includedSections.has('Resources'))
  ) {
    findings.push({
      severity: 'error',
      rule: 'missing-resources',
      path: 'Resources',
      message:
        'A template needs a Resources section with at least one resource.',
    });
    return findings;
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    checkResource(logicalId, resource, context.serverless, findings);
  }
  return findings;
}

function checkResource(
  logicalId: string,
  resource: unknown,
  usesServerlessTransform: boolean,
  findings: ValidationFinding[],
) {
  const path = joinPath('Resources', logicalId);
  if (!/^[A-Za-z0-9]+$/.test(logicalId)) {
    findings.push({
      severity: 'error',
      rule: 'invalid-logical-id',
      resource: logicalId,
      path,
      message: `Logical id "${logicalId}" must be alphanumeric.`,
    });
  }
  if (!isPlainObject(resource)) {
    findings.push({
      severity: 'error',
      rule: 'invalid-resource',
      resource: logicalId,
      path,
      message: 'A resource must be a mapping with a Type.',
    });
    return;
  }
  const attributes = resourceAttributesOf(
    resource.Type,
    usesServerlessTransform,
  );
  for (const key of Object.keys(resource)) {
    if (!attributes.has(key)) {
      findings.push({
        severity: 'error',
        rule: 'unknown-resource-attribute',
        resource: logicalId,
        path: joinPath(path, key),
        message: `Unknown resource attribute "${key}"${suggestion(key, attributes)}.`,
      });
    }
  }
  checkPolicyAttribute(
    logicalId,
    resource,
    'DeletionPolicy',
    DELETION_POLICIES,
    findings,
  );
  checkPolicyAttribute(
    logicalId,
    resource,
    'UpdateReplacePolicy',
    UPDATE_REPLACE_POLICIES,
    findings,
  );

  const type = resource.Type;
  if (typeof type !== 'string') {
    findings.push({
      severity: 'error',
      rule: 'missing-type',
      resource: logicalId,
      path: joinPath(path, 'Type'),
      message: 'The resource has no Type.',
    });
    return;
  }
  // Custom resources, registry extensions and transform-expanded types are not in the resource model.
  if (isCustomResourceType(type) || !type.startsWith('AWS::')) return;
  if (usesServerlessTransform && type.startsWith('AWS::Serverless::')) return;
  const definition = findResourceType(type);
  if (!definition) {
    findings.push({
      severity: 'error',
      rule: 'unknown-resource-type',
      resource: logicalId,
      path: joinPath(path, 'Type'),
      message: `Unknown resource type "${type}"${suggestion(type, allResourceTypeNames())}.`,
    });
    return;
  }
  if (resource.UpdatePolicy !== undefined && !UPDATE_POLICY_TYPES.has(type)) {
    findings.push({
      severity: 'error',
      rule: 'unknown-resource-attribute',
      resource: logicalId,
      path: joinPath(path, 'UpdatePolicy'),
      message: `${type} takes no UpdatePolicy; only ${[...UPDATE_POLICY_TYPES].join(', ')} do.`,
    });
  }
  const properties = resource.Properties ?? {};
  if (asIntrinsic(properties)) return;
  if (!isPlainObject(properties)) {
    findings.push({
      severity: 'error',
      rule: 'invalid-type',
      resource: logicalId,
      path: joinPath(path, 'Properties'),
      message: 'Properties must be a mapping.',
    });
    return;
  }
  checkProperties(
    properties,
    definition.properties,
    joinPath(path, 'Properties'),
    { resource: logicalId, findings },
  );
}

function resourceAttributesOf(
  type: unknown,
  usesServerlessTransform: boolean,
): Set<string> {
  if (typeof type !== 'string') return RESOURCE_ATTRIBUTES;
  if (isCustomResourceType(type)) return CUSTOM_RESOURCE_ATTRIBUTES;
  if (usesServerlessTransform && type.startsWith('AWS::Serverless::'))
    return SERVERLESS_RESOURCE_ATTRIBUTES;
  return RESOURCE_ATTRIBUTES;
}

function checkPolicyAttribute(
  logicalId: string,
  resource: Record<string, unknown>,
  key: string,
  allowed: string[],
  findings: ValidationFinding[],
) {
  const value = resource[key];
  if (value === undefined || asIntrinsic(value)) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    findings.push({
      severity: 'error',
      rule: 'invalid-enum',
      resource: logicalId,
      path: joinPath('Resources', logicalId, key),
      message: `${key} must be one of ${allowed.join(', ')}.`,
    });
  }
}

function checkProperties(
  value: Record<string, unknown>,
  schema: Record<string, Property>,
  path: string,
  ctx: Context,
) {
  if (holdsInlineTransform(value)) return; // its keys are known only once CloudFormation runs the macro
  for (const [name, propertyValue] of Object.entries(value)) {
    const property = schema[name];
    if (!property) {
      ctx.findings.push({
        severity: 'error',
        rule: 'unknown-property',
        resource: ctx.resource,
        path: joinPath(path, name),
        message: `Unknown property "${name}"${suggestion(name, Object.keys(schema))}.`,
      });
      continue;
    }
    checkValue(propertyValue, property.type, joinPath(path, name), ctx);
  }
  for (const [name, property] of Object.entries(schema)) {
    if (property.required && !(name in value)) {
      ctx.findings.push({
        severity: 'error',
        rule: 'missing-required-property',
        resource: ctx.resource,
        path: joinPath(path, name),
        message: `Required property "${name}" is missing.`,
      });
    }
  }
}

/** Checks a value against a property type; intrinsic functions are taken on trust except `Fn::If` branches. */
function checkValue(
  value: unknown,
  type: PropertyType,
  path: string,
  ctx: Context,
): void {
  const intrinsic = asIntrinsic(value);
  if (intrinsic) {
    if (
      intrinsic.name === 'Fn::If' &&
      Array.isArray(intrinsic.args) &&
      intrinsic.args.length === 3
    ) {
      [1, 2].forEach(branch => {
        const branchValue = (intrinsic.args as unknown[])[branch];
        if (
          asIntrinsic(branchValue)?.name !== 'Ref' ||
          (branchValue as { Ref: unknown }).Ref !== 'AWS::NoValue'
        ) {
          checkValue(branchValue, type, joinPath(path, 'Fn::If', branch), ctx);
        }
      });
    }
    return;
  }
  // A dynamic reference is resolved by CloudFormation into a value of the property's type.
  if (typeof value === 'string' && containsDynamicReference(value)) return;
  switch (type.type) {
    case 'string':
    case 'date-time':
      if (!isScalar(value)) return wrongType(value, 'a string', path, ctx);
      if (
        type.type === 'string' &&
        type.allowedValues &&
        !type.allowedValues.includes(String(value))
      ) {
        ctx.findings.push({
          severity: 'error',
          rule: 'invalid-enum',
          resource: ctx.resource,
          path,
          message: `${preview(value)} is not allowed; use one of ${type.allowedValues.join(', ')}.`,
        });
      }
      return;
    case 'integer':
    case 'number':
      if (!isNumeric(value, type.type === 'integer'))
        return wrongType(
          value,
          type.type === 'integer' ? 'an integer' : 'a number',
          path,
          ctx,
        );
      if (
        type.type === 'integer' &&
        type.allowedValues &&
        !type.allowedValues.includes(Number(value))
      ) {
        ctx.findings.push({
          severity: 'error',
          rule: 'invalid-enum',
          resource: ctx.resource,
          path,
          message: `${String(value)} is not allowed; use one of ${type.allowedValues.join(', ')}.`,
        });
      }
      return;
    case 'boolean':
      if (
        typeof value !== 'boolean' &&
        !(typeof value === 'string' && /^(true|false)$/i.test(value))
      )
        wrongType(value, 'a boolean', path, ctx);
      return;
    case 'json':
      if (!isPlainObject(value) && typeof value !== 'string')
        wrongType(value, 'a JSON object', path, ctx);
      return;
    case 'null':
      if (value !== null) wrongType(value, 'null', path, ctx);
      return;
    case 'tag':
      if (!isPlainObject(value))
        return wrongType(value, 'a tag ({ Key, Value })', path, ctx);
      checkProperties(
        value,
        {
          Key: { required: true, type: { type: 'string' } },
          Value: { required: true, type: { type: 'string' } },
        },
        path,
        ctx,
      );
      return;
    case 'array':
      if (!Array.isArray(value)) return wrongType(value, 'a list', path, ctx);
      value.forEach((item, index) =>
        checkValue(item, type.element, joinPath(path, index), ctx),
      );
      return;
    case 'map':
      if (!isPlainObject(value))
        return wrongType(value, 'a mapping', path, ctx);
      Object.entries(value).forEach(([key, item]) =>
        checkValue(item, type.element, joinPath(path, key), ctx),
      );
      return;
    case 'ref':
      if (!isPlainObject(value))
        return wrongType(
          value,
          `a ${typeDefinitionOf(type).name} mapping`,
          path,
          ctx,
        );
      checkProperties(value, typeDefinitionOf(type).properties, path, ctx);
      return;
    case 'union': {
      // Check against the member whose shape matches the value; only a value no member could take is a type error.
      const member = type.types.find(
        candidate => shapeOf(candidate) === shapeOfValue(value),
      );
      if (member) return checkValue(value, member, path, ctx);
      return wrongType(
        value,
        type.types.map(describeType).join(' or '),
        path,
        ctx,
      );
    }
  }
}

type Shape = 'scalar' | 'list' | 'mapping' | 'null';

function shapeOf(type: PropertyType): Shape {
  switch (type.type) {
    case 'array':
      return 'list';
    case 'map':
    case 'ref':
    case 'tag':
    case 'json':
      return 'mapping';
    case 'null':
      return 'null';
    case 'union':
      return shapeOf(type.types[0]);
    default:
      return 'scalar';
  }
}

function shapeOfValue(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return isPlainObject(value) ? 'mapping' : 'scalar';
}

function describeType(type: PropertyType): string {
  switch (shapeOf(type)) {
    case 'list':
      return 'a list';
    case 'mapping':
      return 'a mapping';
    case 'null':
      return 'null';
    default:
      return `a ${type.type}`;
  }
}

function isScalar(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

function isNumeric(value: unknown, integer: boolean): boolean {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return Number.isFinite(number) && (!integer || Number.isInteger(number));
}

function wrongType(
  value: unknown,
  expected: string,
  path: string,
  ctx: Context,
): void {
  ctx.findings.push({
    severity: 'error',
    rule: 'invalid-type',
    resource: ctx.resource,
    path,
    message: `Expected ${expected}, got ${preview(value)}.`,
  });
}

/** A short rendering of a value for messages: findings end up in logs, so they never carry a whole blob. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function suggestion(name: string, candidates: Iterable<string>): string {
  const match = closestMatch(name, candidates);
  return match ? ` (did you mean "${match}"?)` : '';
}
