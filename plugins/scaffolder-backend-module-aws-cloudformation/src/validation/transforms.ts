import { asIntrinsic, isPlainObject, joinPath } from './intrinsics';
import type { TemplateDocument, ValidationFinding } from './types';

export const SERVERLESS_TRANSFORM = 'AWS::Serverless-2016-10-31';
export const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';

/** AWS-hosted transforms whose input is already a valid template as written: nothing is left unchecked. */
const PASS_THROUGH_TRANSFORMS = new Set([
  'AWS::SecretsManager-2020-07-23',
  'AWS::SecretsManager-2024-09-16',
  'AWS::CodeDeployBlueGreen',
]);

const FOR_EACH_PREFIX = 'Fn::ForEach::';

/** What the transforms of a template mean for the checks that follow. */
export type TransformContext = {
  /** The template uses the SAM transform: `AWS::Serverless::*` types and their generated resources exist. */
  serverless: boolean;
  /** Logical ids that something other than the template text will create (SAM, unexpanded loops, includes). */
  generatedNames: RegExp[];
  /** Sections to which an `Fn::Transform` (AWS::Include) adds entries at deploy time. */
  includedSections: Set<string>;
};

export type PreparedTemplate = {
  template: TemplateDocument;
  context: TransformContext;
  findings: ValidationFinding[];
};

/**
 * Applies what can be applied offline before the checks run: expands `Fn::ForEach` loops over static
 * collections (`AWS::LanguageExtensions`), sets SAM's `Globals` aside, and says in an `info` finding what is
 * left to CloudFormation (SAM resources, loops over deploy-time collections, macros, `Fn::Transform`).
 */
export function applyTransforms(template: TemplateDocument): PreparedTemplate {
  const findings: ValidationFinding[] = [];
  const context: TransformContext = {
    serverless: false,
    generatedNames: [],
    includedSections: new Set(),
  };
  const names = transformNames(template.Transform);
  if (names === undefined) {
    findings.push({
      severity: 'error',
      rule: 'invalid-transform',
      path: 'Transform',
      message: 'Transform must be a macro name or a list of macro names.',
    });
    return { template, context, findings };
  }
  let prepared = template;
  for (const name of names) {
    if (name === SERVERLESS_TRANSFORM) {
      context.serverless = true;
      prepared = setServerlessPartsAside(prepared, context, findings);
    } else if (name === LANGUAGE_EXTENSIONS) {
      prepared = expandForEachLoops(prepared, context, findings);
    } else if (!PASS_THROUGH_TRANSFORMS.has(name)) {
      findings.push({
        severity: 'info',
        rule: 'macro-left-to-cloudformation',
        path: 'Transform',
        message: `Macro "${name}" runs in CloudFormation; this check sees the template before the macro changes it.`,
      });
    }
  }
  prepared = setSectionIncludesAside(prepared, context, findings);
  for (const path of inlineTransformPaths(prepared.Resources, 'Resources')) {
    findings.push({
      severity: 'info',
      rule: 'macro-left-to-cloudformation',
      path,
      message:
        'Fn::Transform is expanded by CloudFormation; the mapping that holds it is left unchecked.',
    });
  }
  return { template: prepared, context, findings };
}

/** `Fn::Transform` (usually AWS::Include) as a key of a whole section adds entries only CloudFormation sees. */
function setSectionIncludesAside(
  template: TemplateDocument,
  context: TransformContext,
  findings: ValidationFinding[],
): TemplateDocument {
  const result = { ...template };
  for (const section of [
    'Parameters',
    'Mappings',
    'Conditions',
    'Resources',
    'Outputs',
  ]) {
    const value = template[section];
    if (!isPlainObject(value) || !holdsInlineTransform(value)) continue;
    const { 'Fn::Transform': _include, ...rest } = value;
    result[section] = rest;
    context.includedSections.add(section);
    // Included resources and parameters have names this check cannot know: a Ref may point at any of them.
    if (section === 'Resources' || section === 'Parameters')
      context.generatedNames.push(/^/);
    findings.push({
      severity: 'info',
      rule: 'macro-left-to-cloudformation',
      path: joinPath(section, 'Fn::Transform'),
      message: `Fn::Transform adds ${section} entries in CloudFormation; the ones written here are checked, the included ones are left to it.`,
    });
  }
  return result;
}

function transformNames(transform: unknown): string[] | undefined {
  if (transform === undefined) return [];
  if (typeof transform === 'string') return [transform];
  if (
    Array.isArray(transform) &&
    transform.every(name => typeof name === 'string')
  )
    return transform;
  return undefined;
}

/** SAM resources and Globals are expanded by CloudFormation; everything it generates is named after its resource. */
function setServerlessPartsAside(
  template: TemplateDocument,
  context: TransformContext,
  findings: ValidationFinding[],
): TemplateDocument {
  const resources = isPlainObject(template.Resources) ? template.Resources : {};
  const serverlessIds = Object.entries(resources)
    .filter(
      ([, resource]) =>
        isPlainObject(resource) &&
        typeof resource.Type === 'string' &&
        resource.Type.startsWith('AWS::Serverless::'),
    )
    .map(([logicalId]) => logicalId);
  context.generatedNames.push(
    ...serverlessIds.map(
      logicalId => new RegExp(`^${logicalId}[.A-Za-z0-9]+$`),
    ),
    /^Serverless(RestApi|HttpApi)[A-Za-z0-9]*$/,
  );
  const { Globals: globals, ...rest } = template;
  findings.push({
    severity: 'info',
    rule: 'transform-left-to-cloudformation',
    path: 'Transform',
    message:
      `The ${SERVERLESS_TRANSFORM} transform expands ${serverlessIds.length} AWS::Serverless::* resource(s)` +
      `${globals === undefined ? '' : ' and the Globals section'} in CloudFormation; their properties are left to it. ` +
      'The other resources and all references are checked.',
  });
  return rest;
}

type LoopState = {
  expanded: number;
  unexpanded: string[];
  findings: ValidationFinding[];
  context: TransformContext;
};

function expandForEachLoops(
  template: TemplateDocument,
  context: TransformContext,
  findings: ValidationFinding[],
): TemplateDocument {
  const state: LoopState = { expanded: 0, unexpanded: [], findings, context };
  const expanded = { ...template };
  for (const section of ['Conditions', 'Resources', 'Outputs']) {
    if (isPlainObject(template[section]))
      expanded[section] = expandLoops(template[section], section, state);
  }
  if (state.expanded > 0 || state.unexpanded.length > 0) {
    const left =
      state.unexpanded.length > 0
        ? ` ${state.unexpanded.length} loop(s) over a collection known only at deploy time are left to CloudFormation: ${state.unexpanded.join(', ')}.`
        : '';
    findings.push({
      severity: 'info',
      rule: 'transform-left-to-cloudformation',
      path: 'Transform',
      message: `${LANGUAGE_EXTENSIONS}: ${state.expanded} Fn::ForEach loop(s) over a static collection were expanded and checked.${left}`,
    });
  }
  return expanded;
}

function expandLoops(value: unknown, path: string, state: LoopState): unknown {
  if (Array.isArray(value))
    return value.map((item, index) =>
      expandLoops(item, joinPath(path, index), state),
    );
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith(FOR_EACH_PREFIX))
      Object.assign(result, expandLoop(item, joinPath(path, key), state));
    else result[key] = expandLoops(item, joinPath(path, key), state);
  }
  return result;
}

/** `[identifier, collection, { keyTemplate: value }]`, once per element; nested loops expand too. */
function expandLoop(
  args: unknown,
  path: string,
  state: LoopState,
): Record<string, unknown> {
  if (
    !Array.isArray(args) ||
    args.length !== 3 ||
    typeof args[0] !== 'string' ||
    !/^[A-Za-z0-9]+$/.test(args[0]) ||
    !isPlainObject(args[2])
  ) {
    state.findings.push({
      severity: 'error',
      rule: 'invalid-for-each',
      path,
      message:
        'Fn::ForEach takes [identifier (alphanumeric), collection, { "key${identifier}": value }].',
    });
    return {};
  }
  const [identifier, collection, body] = args as [
    string,
    unknown,
    Record<string, unknown>,
  ];
  if (
    Array.isArray(collection)
      ? collection.some(element => !isScalar(element) && !asIntrinsic(element))
      : !asIntrinsic(collection)
  ) {
    state.findings.push({
      severity: 'error',
      rule: 'invalid-for-each',
      path: joinPath(path, 1),
      message: 'The Fn::ForEach collection must be a list of strings.',
    });
    return {};
  }
  if (!Array.isArray(collection) || !collection.every(isScalar)) {
    state.unexpanded.push(path);
    for (const key of Object.keys(body))
      state.context.generatedNames.push(keyPattern(key));
    return {};
  }
  state.expanded++;
  const result: Record<string, unknown> = {};
  for (const element of collection.map(String)) {
    Object.assign(
      result,
      expandLoops(substitute(body, identifier, element), path, state),
    );
  }
  return result;
}

/** Replaces the loop identifier: `${id}` and `&{id}` (alphanumerics only) in keys and Fn::Sub strings, `{ Ref: id }` by the element. */
function substitute(
  value: unknown,
  identifier: string,
  element: string,
): unknown {
  if (Array.isArray(value))
    return value.map(item => substitute(item, identifier, element));
  if (!isPlainObject(value)) return value;
  const intrinsic = asIntrinsic(value);
  if (intrinsic?.name === 'Ref' && intrinsic.args === identifier)
    return element;
  if (intrinsic?.name === 'Fn::Sub') {
    const args = intrinsic.args;
    if (typeof args === 'string')
      return { 'Fn::Sub': replaceIdentifier(args, identifier, element) };
    if (
      Array.isArray(args) &&
      typeof args[0] === 'string' &&
      !(isPlainObject(args[1]) && identifier in args[1])
    ) {
      return {
        'Fn::Sub': [
          replaceIdentifier(args[0], identifier, element),
          substitute(args[1], identifier, element),
        ],
      };
    }
  }
  const result = Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      replaceIdentifier(key, identifier, element),
      substitute(item, identifier, element),
    ]),
  );
  // `Ref: !Sub '${Name}Queue'` and `GetAtt: [!Sub '${Name}Queue', Arn]` name a generated resource; once
  // substituted they are a plain Ref and GetAtt.
  if (intrinsic?.name === 'Ref') {
    const name = literalSub(result.Ref);
    if (name !== undefined) return { Ref: name };
  }
  const getAtt = result['Fn::GetAtt'];
  if (intrinsic?.name === 'Fn::GetAtt' && Array.isArray(getAtt)) {
    const name = literalSub(getAtt[0]);
    if (name !== undefined) return { 'Fn::GetAtt': [name, ...getAtt.slice(1)] };
  }
  return result;
}

/** The text of a `Fn::Sub` with no placeholders left. */
function literalSub(value: unknown): string | undefined {
  const sub = asIntrinsic(value);
  return sub?.name === 'Fn::Sub' &&
    typeof sub.args === 'string' &&
    !sub.args.includes('${')
    ? sub.args
    : undefined;
}

function replaceIdentifier(
  text: string,
  identifier: string,
  element: string,
): string {
  return text
    .split(`\${${identifier}}`)
    .join(element)
    .split(`&{${identifier}}`)
    .join(element.replace(/[^A-Za-z0-9]/g, ''));
}

function keyPattern(keyTemplate: string): RegExp {
  const parts = keyTemplate
    .split(/[$&]\{[^}]*\}/)
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[A-Za-z0-9]*')}$`);
}

function isScalar(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

/** Paths of `Fn::Transform` keys (AWS::Include and other macros applied to a part of the template). */
function inlineTransformPaths(value: unknown, path: string): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) =>
      inlineTransformPaths(item, joinPath(path, index)),
    );
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'Fn::Transform'
      ? [joinPath(path, key)]
      : inlineTransformPaths(item, joinPath(path, key)),
  );
}

/** Whether a mapping is (partly) produced by a macro at deploy time, so its keys cannot be checked. */
export function holdsInlineTransform(value: Record<string, unknown>): boolean {
  return 'Fn::Transform' in value;
}
