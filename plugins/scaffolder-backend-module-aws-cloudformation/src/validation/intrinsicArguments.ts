import { asIntrinsic, isPlainObject, joinPath } from './intrinsics';
import type { TemplateDocument, ValidationFinding } from './types';

/** Functions whose result can be a list, so they may stand where a list argument goes. */
const LIST_FUNCTIONS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::GetAZs',
  'Fn::Split',
  'Fn::Cidr',
  'Fn::FindInMap',
  'Fn::If',
  'Fn::Select',
  'Fn::Transform',
]);
/** Functions that may give a Fn::Select index or a Fn::FindInMap key. */
const SCALAR_LOOKUPS = new Set([
  'Ref',
  'Fn::FindInMap',
  'Fn::Select',
  'Fn::Length',
  'Fn::If',
  'Fn::Sub',
  'Fn::Join',
  'Fn::ImportValue',
  'Fn::GetAtt',
]);
/** Every function CloudFormation knows, including the Rules-section assertions and AWS::LanguageExtensions. */
const KNOWN_FUNCTIONS = new Set([
  'Ref',
  'Fn::And',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Equals',
  'Fn::FindInMap',
  'Fn::GetAZs',
  'Fn::GetAtt',
  'Fn::GetStackOutput',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Length',
  'Fn::Not',
  'Fn::Or',
  'Fn::Select',
  'Fn::Split',
  'Fn::Sub',
  'Fn::ToJsonString',
  'Fn::Transform',
  'Fn::Contains',
  'Fn::EachMemberEquals',
  'Fn::EachMemberIn',
  'Fn::RefAll',
  'Fn::ValueOf',
  'Fn::ValueOfAll',
]);
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

type Scope = {
  mappings: Record<string, unknown>;
  resource?: string;
  findings: ValidationFinding[];
};

/**
 * Intrinsic function arguments by the shapes CloudFormation documents for each function: `Fn::GetAZs`,
 * `Fn::Select`, `Fn::Split`, `Fn::Join`, `Fn::Sub` variables, `Fn::If`, `Fn::FindInMap` (map and keys),
 * the condition functions, `Fn::Base64`, `Fn::Cidr` and `Ref`. Target names are checked in `references.ts`.
 */
export function checkIntrinsicArguments(
  template: TemplateDocument,
): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const mappings = isPlainObject(template.Mappings) ? template.Mappings : {};
  for (const [logicalId, resource] of Object.entries(
    isPlainObject(template.Resources) ? template.Resources : {},
  )) {
    if (isPlainObject(resource))
      walk(
        resource.Properties,
        joinPath('Resources', logicalId, 'Properties'),
        { mappings, resource: logicalId, findings },
      );
  }
  for (const section of ['Outputs', 'Conditions']) {
    const entries = isPlainObject(template[section]) ? template[section] : {};
    for (const [name, entry] of Object.entries(entries))
      walk(entry, joinPath(section, name), { mappings, findings });
  }
  return findings;
}

function walk(value: unknown, path: string, scope: Scope): void {
  if (Array.isArray(value))
    return value.forEach((item, index) =>
      walk(item, joinPath(path, index), scope),
    );
  if (!isPlainObject(value)) return;
  const intrinsic = asIntrinsic(value);
  if (!intrinsic)
    return Object.entries(value).forEach(([key, item]) =>
      walk(item, joinPath(path, key), scope),
    );
  const argsPath = joinPath(path, intrinsic.name);
  const problem = KNOWN_FUNCTIONS.has(intrinsic.name)
    ? checkCall(intrinsic.name, intrinsic.args, scope)
    : `${intrinsic.name} is not an intrinsic function.`;
  if (problem) {
    scope.findings.push({
      severity: 'error',
      rule: 'invalid-function-argument',
      ...(scope.resource ? { resource: scope.resource } : {}),
      path: argsPath,
      message: problem,
    });
    return;
  }
  walk(intrinsic.args, argsPath, scope);
}

/** What is wrong with the arguments of one call, in words, or undefined when they fit. */
function checkCall(
  name: string,
  args: unknown,
  scope: Scope,
): string | undefined {
  switch (name) {
    case 'Ref':
      return typeof args === 'string'
        ? undefined
        : 'Ref takes the name of a parameter, resource or pseudo parameter as a string.';
    case 'Fn::GetAZs':
      if (typeof args === 'string')
        return args === '' || REGION.test(args)
          ? undefined
          : `Fn::GetAZs takes a region name or "" (the stack's region), not ${preview(args)}.`;
      return asIntrinsic(args)?.name === 'Ref'
        ? undefined
        : `Fn::GetAZs takes a region name, "" or a Ref, not ${shapeOf(args)}.`;
    case 'Fn::Select':
      return checkSelect(args);
    case 'Fn::Split':
      if (!pair(args)) return 'Fn::Split takes [delimiter, source string].';
      if (typeof args[0] !== 'string')
        return 'The Fn::Split delimiter must be a literal string; functions are not allowed there.';
      return isStringLike(args[1])
        ? undefined
        : `The Fn::Split source must be a string or a function giving one, not ${shapeOf(args[1])}.`;
    case 'Fn::Join':
      if (!pair(args)) return 'Fn::Join takes [delimiter, [values]].';
      if (typeof args[0] !== 'string')
        return 'The Fn::Join delimiter must be a literal string; functions are not allowed there.';
      if (Array.isArray(args[1])) {
        const bad = args[1].find(item => !isStringLike(item));
        return bad === undefined
          ? undefined
          : `Fn::Join joins strings, not ${shapeOf(bad)}.`;
      }
      return isListFunction(args[1])
        ? undefined
        : `The second Fn::Join argument must be a list or a function giving one, not ${shapeOf(args[1])}.`;
    case 'Fn::Sub':
      return checkSubVariables(args);
    case 'Fn::If':
      return Array.isArray(args) &&
        args.length === 3 &&
        typeof args[0] === 'string'
        ? undefined
        : 'Fn::If takes [condition name, value if true, value if false].';
    case 'Fn::FindInMap':
      return checkFindInMap(args, scope);
    case 'Fn::Equals':
      return Array.isArray(args) && args.length === 2
        ? undefined
        : 'Fn::Equals takes exactly two values.';
    case 'Fn::Not':
      return Array.isArray(args) && args.length === 1
        ? undefined
        : 'Fn::Not takes a list of one condition.';
    case 'Fn::And':
    case 'Fn::Or':
      return Array.isArray(args) && args.length >= 2 && args.length <= 10
        ? undefined
        : `${name} takes a list of 2 to 10 conditions.`;
    case 'Fn::Base64':
      return isStringLike(args)
        ? undefined
        : 'Fn::Base64 takes a string or a function giving one.';
    case 'Fn::Cidr':
      // cfn-lint, like CloudFormation, takes the cidr bits as optional.
      return Array.isArray(args) && (args.length === 2 || args.length === 3)
        ? undefined
        : 'Fn::Cidr takes [ip block, count, cidr bits].';
    default:
      return undefined;
  }
}

function checkSelect(args: unknown): string | undefined {
  if (!pair(args)) return 'Fn::Select takes [index, list].';
  const [index, list] = args;
  const literalIndex =
    typeof index === 'number' ||
    (typeof index === 'string' && /^\d+$/.test(index))
      ? Number(index)
      : undefined;
  if (
    literalIndex === undefined &&
    !SCALAR_LOOKUPS.has(asIntrinsic(index)?.name ?? '')
  )
    return `The Fn::Select index must be a whole number or a function giving one, not ${preview(index)}.`;
  if (
    literalIndex !== undefined &&
    (!Number.isInteger(literalIndex) || literalIndex < 0)
  )
    return `The Fn::Select index must be 0 or more, not ${preview(index)}.`;
  if (Array.isArray(list)) {
    return literalIndex === undefined || literalIndex < list.length
      ? undefined
      : `Fn::Select index ${literalIndex} is past the end of a list of ${list.length}.`;
  }
  return isListFunction(list)
    ? undefined
    : `The Fn::Select list must be a list or a function giving one, not ${shapeOf(list)}.`;
}

function checkSubVariables(args: unknown): string | undefined {
  if (!Array.isArray(args)) return undefined; // the string form is checked with the references
  if (
    args.length !== 2 ||
    typeof args[0] !== 'string' ||
    !isPlainObject(args[1])
  )
    return 'Fn::Sub takes a string, or [string, { variable: value }].';
  for (const [variable, value] of Object.entries(args[1])) {
    if (!isStringLike(value))
      return `Fn::Sub variable "${variable}" must be a string or a function giving one, not ${shapeOf(value)}.`;
  }
  return undefined;
}

function checkFindInMap(args: unknown, scope: Scope): string | undefined {
  // AWS::LanguageExtensions adds a fourth argument: { DefaultValue: value }.
  const withDefault =
    Array.isArray(args) &&
    args.length === 4 &&
    isPlainObject(args[3]) &&
    'DefaultValue' in args[3];
  if (!Array.isArray(args) || (args.length !== 3 && !withDefault))
    return 'Fn::FindInMap takes [map name, top-level key, second-level key].';
  const bad = args
    .slice(0, 3)
    .find(
      key =>
        !isScalar(key) && !SCALAR_LOOKUPS.has(asIntrinsic(key)?.name ?? ''),
    );
  if (bad !== undefined)
    return `Fn::FindInMap names and keys must be strings or Ref / Fn::FindInMap, not ${shapeOf(bad)}.`;
  // YAML 1.1 reads keys such as `on` or `1` as booleans and numbers, in the mapping and the lookup alike.
  const [mapName, topKey, secondKey] = args.map(key =>
    isScalar(key) ? String(key) : key,
  );
  const map = typeof mapName === 'string' ? scope.mappings[mapName] : undefined;
  if (withDefault || !isPlainObject(map) || typeof topKey !== 'string')
    return undefined; // a missing map is a dangling reference
  if (!(topKey in map))
    return `Mapping "${mapName}" has no key "${topKey}"; it has ${Object.keys(map).join(', ')}.`;
  const second = map[topKey];
  if (
    typeof secondKey === 'string' &&
    isPlainObject(second) &&
    !(secondKey in second)
  ) {
    return `Mapping "${mapName}" has no key "${secondKey}" under "${topKey}"; it has ${Object.keys(second).join(', ')}.`;
  }
  return undefined;
}

function pair(args: unknown): args is [unknown, unknown] {
  return Array.isArray(args) && args.length === 2;
}

function isScalar(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

/** A literal scalar or a function call (whose result type is checked where it is known). */
function isStringLike(value: unknown): boolean {
  return isScalar(value) || asIntrinsic(value) !== undefined;
}

function isListFunction(value: unknown): boolean {
  return LIST_FUNCTIONS.has(asIntrinsic(value)?.name ?? '');
}

/**
 * What kind of value stands where an argument goes, for messages about values that may be anything
 * (a Join part, a Sub variable): findings reach logs, so they name the shape, never the value.
 */
function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const intrinsic = asIntrinsic(value);
  if (intrinsic) return `a ${intrinsic.name} call`;
  return isPlainObject(value) ? 'a mapping' : `a ${typeof value}`;
}

/** A short rendering of a region name or index, which say nothing secret. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
