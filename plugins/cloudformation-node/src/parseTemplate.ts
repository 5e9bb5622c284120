import { createHash } from 'node:crypto';
import {
  parseDocument,
  type CollectionTag,
  type ScalarTag,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/** Thrown when a template is not well-formed YAML or JSON; the message holds every syntax error with its line. */
export class TemplateParseError extends Error {
  override readonly name = 'TemplateParseError';
}

/** Short-form intrinsic function names (`!Name`) and the long-form key each expands to. */
const SHORT_FORM_FUNCTIONS: ReadonlyArray<readonly [string, string]> = [
  ['Ref', 'Ref'],
  ['Condition', 'Condition'],
  ...[
    'And',
    'Base64',
    'Cidr',
    'Equals',
    'FindInMap',
    'ForEach',
    'GetAZs',
    'GetAtt',
    'If',
    'ImportValue',
    'Join',
    'Length',
    'Not',
    'Or',
    'Select',
    'Split',
    'Sub',
    'ToJsonString',
    'Transform',
  ].map(name => [name, `Fn::${name}`] as const),
];

/** `!GetAtt Res.Attr.Sub` means `['Res', 'Attr.Sub']`: attribute names may contain dots, logical ids never do. */
function expandScalar(key: string, value: string): unknown {
  if (key === 'Fn::GetAtt') {
    const dot = value.indexOf('.');
    return {
      [key]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)],
    };
  }
  return { [key]: value };
}

/**
 * yaml tags for CloudFormation's short forms in all three node kinds (`!Sub 'x'`, `!Sub [x, {..}]`,
 * `!Base64 {Fn::Sub: ..}`); each resolves to the long form so checks see one shape.
 */
const cloudFormationParseTags: Array<ScalarTag | CollectionTag> =
  SHORT_FORM_FUNCTIONS.flatMap(([shortName, key]) => [
    {
      tag: `!${shortName}`,
      resolve: (value: string) => expandScalar(key, value),
    } satisfies ScalarTag,
    {
      tag: `!${shortName}`,
      collection: 'seq',
      resolve: seq => ({ [key]: (seq as YAMLSeq).toJSON() }),
    } satisfies CollectionTag,
    {
      tag: `!${shortName}`,
      collection: 'map',
      resolve: map => ({ [key]: (map as YAMLMap).toJSON() }),
    } satisfies CollectionTag,
  ]);

// One task validates a template and then deploys it, so the same text is parsed twice in a row:
// remember the last few results (YAML parsing dominates both steps) and hand out copies.
const RECENT_PARSES_KEPT = 8;
const recentParses = new Map<string, unknown>();

/**
 * Parses a CloudFormation template written in JSON or YAML (with or without short-form tags) into
 * plain data with long-form intrinsic functions. YAML 1.1 rules apply, as in CloudFormation.
 * Every call returns its own copy, free to change.
 */
export function parseTemplate(text: string): unknown {
  const key = createHash('sha256').update(text).digest('hex');
  const recent = recentParses.get(key);
  if (recent !== undefined) return structuredClone(recent);

  const doc = parseDocument(text, {
    version: '1.1',
    customTags: cloudFormationParseTags,
    uniqueKeys: true,
    prettyErrors: true,
  });
  if (doc.errors.length > 0) {
    throw new TemplateParseError(
      doc.errors.map(error => error.message).join('\n'),
    );
  }
  const parsed = doc.toJS({ maxAliasCount: 100 });
  recentParses.set(key, parsed);
  if (recentParses.size > RECENT_PARSES_KEPT)
    recentParses.delete(recentParses.keys().next().value!);
  return structuredClone(parsed);
}
