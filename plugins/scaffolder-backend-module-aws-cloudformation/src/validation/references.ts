import { findResourceType } from './resourceModel';
import {
  PSEUDO_PARAMETERS,
  asIntrinsic,
  closestMatch,
  isCustomResourceType,
  isPlainObject,
  joinPath,
  subPlaceholders,
} from './intrinsics';
import type { TransformContext } from './transforms';
import type { TemplateDocument, ValidationFinding } from './types';

type Names = {
  resources: Record<string, unknown>;
  parameters: Set<string>;
  conditions: Set<string>;
  mappings: Set<string>;
  /** Logical ids a transform creates at deploy time: a reference to one is not dangling. */
  generated: RegExp[];
};

type Scope = { names: Names; resource?: string; findings: ValidationFinding[] };

/** Every `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::FindInMap`, `DependsOn` and condition name points at something that exists. */
export function checkReferences(
  template: TemplateDocument,
  context: TransformContext,
): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const resources = isPlainObject(template.Resources) ? template.Resources : {};
  const names: Names = {
    resources,
    parameters: new Set(
      isPlainObject(template.Parameters)
        ? Object.keys(template.Parameters)
        : [],
    ),
    conditions: new Set(
      isPlainObject(template.Conditions)
        ? Object.keys(template.Conditions)
        : [],
    ),
    mappings: new Set(
      isPlainObject(template.Mappings) ? Object.keys(template.Mappings) : [],
    ),
    generated: context.generatedNames,
  };

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isPlainObject(resource)) continue;
    const scope: Scope = { names, resource: logicalId, findings };
    const path = joinPath('Resources', logicalId);
    walk(resource.Properties, joinPath(path, 'Properties'), scope);
    const dependsOn =
      typeof resource.DependsOn === 'string'
        ? [resource.DependsOn]
        : resource.DependsOn;
    if (Array.isArray(dependsOn)) {
      dependsOn.forEach((target, index) => {
        if (typeof target !== 'string' || !(target in resources)) {
          findings.push({
            severity: 'error',
            rule: 'dangling-depends-on',
            resource: logicalId,
            path: joinPath(path, 'DependsOn', index),
            message: `DependsOn names "${String(target)}", which is not a resource in this template${suggest(String(target), Object.keys(resources))}.`,
          });
        } else if (target === logicalId) {
          findings.push({
            severity: 'error',
            rule: 'circular-dependency',
            resource: logicalId,
            path: joinPath(path, 'DependsOn', index),
            message: 'A resource cannot depend on itself.',
          });
        }
      });
    }
    if (resource.Condition !== undefined)
      checkConditionName(
        resource.Condition,
        joinPath(path, 'Condition'),
        scope,
      );
  }
  if (isPlainObject(template.Outputs)) {
    for (const [name, output] of Object.entries(template.Outputs)) {
      const path = joinPath('Outputs', name);
      if (!isPlainObject(output) || output.Value === undefined) {
        findings.push({
          severity: 'error',
          rule: 'missing-output-value',
          path,
          message: `Output "${name}" has no Value.`,
        });
        continue;
      }
      const scope: Scope = { names, findings };
      walk(output.Value, joinPath(path, 'Value'), scope);
      if (output.Condition !== undefined)
        checkConditionName(
          output.Condition,
          joinPath(path, 'Condition'),
          scope,
        );
      if (output.Export !== undefined)
        walk(output.Export, joinPath(path, 'Export'), scope);
    }
  }
  if (isPlainObject(template.Conditions)) {
    for (const [name, condition] of Object.entries(template.Conditions)) {
      walk(condition, joinPath('Conditions', name), { names, findings });
    }
  }
  return findings;
}

function walk(value: unknown, path: string, scope: Scope): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, joinPath(path, index), scope));
    return;
  }
  if (!isPlainObject(value)) return;
  // `{ Condition: name }` inside Fn::And / Fn::Or / Fn::Not refers to another condition.
  if (
    Object.keys(value).length === 1 &&
    'Condition' in value &&
    typeof value.Condition === 'string' &&
    path.includes('Fn::')
  ) {
    checkConditionName(value.Condition, joinPath(path, 'Condition'), scope);
    return;
  }
  const intrinsic = asIntrinsic(value);
  if (!intrinsic) {
    Object.entries(value).forEach(([key, item]) =>
      walk(item, joinPath(path, key), scope),
    );
    return;
  }
  const argsPath = joinPath(path, intrinsic.name);
  switch (intrinsic.name) {
    case 'Ref':
      if (typeof intrinsic.args === 'string')
        checkRef(intrinsic.args, argsPath, scope);
      else walk(intrinsic.args, argsPath, scope);
      return;
    case 'Fn::GetAtt':
      checkGetAtt(intrinsic.args, argsPath, scope);
      return;
    case 'Fn::Sub':
      checkSub(intrinsic.args, argsPath, scope);
      return;
    case 'Fn::FindInMap':
      if (
        Array.isArray(intrinsic.args) &&
        typeof intrinsic.args[0] === 'string' &&
        !scope.names.mappings.has(intrinsic.args[0])
      ) {
        scope.findings.push(
          finding(
            scope,
            'dangling-find-in-map',
            argsPath,
            `Fn::FindInMap names mapping "${intrinsic.args[0]}", which is not in Mappings.`,
          ),
        );
      }
      walk(intrinsic.args, argsPath, scope);
      return;
    case 'Fn::If':
      if (Array.isArray(intrinsic.args)) {
        checkConditionName(intrinsic.args[0], joinPath(argsPath, 0), scope);
        intrinsic.args
          .slice(1)
          .forEach((item, index) =>
            walk(item, joinPath(argsPath, index + 1), scope),
          );
      }
      return;
    default:
      walk(intrinsic.args, argsPath, scope);
  }
}

function checkRef(target: string, path: string, scope: Scope) {
  const { names } = scope;
  if (
    target in names.resources ||
    names.parameters.has(target) ||
    PSEUDO_PARAMETERS.has(target) ||
    isGenerated(target, names)
  )
    return;
  const candidates = [
    ...Object.keys(names.resources),
    ...names.parameters,
    ...PSEUDO_PARAMETERS,
  ];
  scope.findings.push(
    finding(
      scope,
      'dangling-ref',
      path,
      `Ref to "${target}", which is neither a parameter, a resource nor a pseudo parameter${suggest(target, candidates)}.`,
    ),
  );
}

function checkGetAtt(args: unknown, path: string, scope: Scope) {
  const parts = typeof args === 'string' ? splitAttribute(args) : args;
  if (
    !Array.isArray(parts) ||
    parts.length !== 2 ||
    typeof parts[0] !== 'string'
  ) {
    scope.findings.push(
      finding(
        scope,
        'invalid-get-att',
        path,
        'Fn::GetAtt takes [logicalId, attributeName].',
      ),
    );
    return;
  }
  const [target, attribute] = parts as [string, unknown];
  if (typeof attribute !== 'string') {
    walk(attribute, joinPath(path, 1), scope);
    if (!(target in scope.names.resources) && !isGenerated(target, scope.names))
      danglingGetAtt(target, path, scope);
    return;
  }
  checkAttribute(target, attribute, path, scope);
}

function checkAttribute(
  target: string,
  attribute: string,
  path: string,
  scope: Scope,
) {
  const resource = scope.names.resources[target];
  if (!isPlainObject(resource)) {
    if (!isGenerated(target, scope.names)) danglingGetAtt(target, path, scope);
    return;
  }
  const type = typeof resource.Type === 'string' ? resource.Type : '';
  // Stacks expose their outputs, custom resources whatever they return, SAM resources what the transform
  // generates: nothing to check against.
  if (
    type === 'AWS::CloudFormation::Stack' ||
    isCustomResourceType(type) ||
    type.startsWith('AWS::Serverless::')
  )
    return;
  const definition = findResourceType(type);
  if (!definition) return; // an unknown type is reported by the structure check
  if (!(attribute in definition.attributes)) {
    const known = Object.keys(definition.attributes);
    scope.findings.push(
      finding(
        scope,
        'unknown-attribute',
        path,
        `${type} has no attribute "${attribute}"${suggest(attribute, known)}; it has ${known.join(', ') || 'none'}.`,
      ),
    );
  }
}

function isGenerated(target: string, names: Names): boolean {
  return names.generated.some(pattern => pattern.test(target));
}

function danglingGetAtt(target: string, path: string, scope: Scope) {
  scope.findings.push(
    finding(
      scope,
      'dangling-get-att',
      path,
      `Fn::GetAtt names "${target}", which is not a resource in this template${suggest(target, Object.keys(scope.names.resources))}.`,
    ),
  );
}

function checkSub(args: unknown, path: string, scope: Scope) {
  const [text, variables] = Array.isArray(args) ? args : [args, undefined];
  if (typeof text !== 'string') {
    scope.findings.push(
      finding(
        scope,
        'invalid-sub',
        path,
        'Fn::Sub takes a string or [string, { variables }].',
      ),
    );
    return;
  }
  const variableNames = new Set(
    isPlainObject(variables) ? Object.keys(variables) : [],
  );
  if (isPlainObject(variables)) walk(variables, joinPath(path, 1), scope);
  for (const placeholder of subPlaceholders(text)) {
    if (variableNames.has(placeholder)) continue;
    const dot = placeholder.indexOf('.');
    if (dot > 0 && !scope.names.parameters.has(placeholder)) {
      checkAttribute(
        placeholder.slice(0, dot),
        placeholder.slice(dot + 1),
        path,
        scope,
      );
    } else {
      checkRef(placeholder, path, scope);
    }
  }
}

function checkConditionName(name: unknown, path: string, scope: Scope) {
  if (typeof name !== 'string') {
    scope.findings.push(
      finding(
        scope,
        'dangling-condition',
        path,
        `A condition is named by a string, not ${JSON.stringify(name) ?? String(name)}.`,
      ),
    );
  } else if (!scope.names.conditions.has(name)) {
    scope.findings.push(
      finding(
        scope,
        'dangling-condition',
        path,
        `Condition "${String(name)}" is not defined in Conditions${suggest(String(name), scope.names.conditions)}.`,
      ),
    );
  }
}

function splitAttribute(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

function finding(
  scope: Scope,
  rule: string,
  path: string,
  message: string,
): ValidationFinding {
  return {
    severity: 'error',
    rule,
    ...(scope.resource ? { resource: scope.resource } : {}),
    path,
    message,
  };
}

function suggest(name: string, candidates: Iterable<string>): string {
  const match = closestMatch(name, candidates);
  return match ? ` (did you mean "${match}"?)` : '';
}
