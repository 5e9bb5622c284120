import {
  parseDocument,
  type CollectionTag,
  type ScalarTag,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { isRecord } from '../values';
import { FakeError } from './stackModel';

/*
 * The fake reads templates on its own instead of through the product's parser: a parsing bug in
 * the code under test would otherwise be copied into the fake and hidden from every test that
 * talks to it. It reads only what CloudFormation's answers need.
 */

/** A resource of a template as the fake needs it. */
export type FakeResourceDefinition = {
  type: string;
  /** The whole definition as JSON, to tell a modified resource from an unchanged one. */
  json: string;
  properties: Record<string, unknown>;
  deletionPolicy?: string;
};

/** What the fake reads from a template. */
export type FakeTemplate = {
  parameters: Record<string, { noEcho: boolean; hasDefault: boolean }>;
  /** By logical id, in template order. */
  resources: Map<string, FakeResourceDefinition>;
  /** Output values (long form) and descriptions by output name. */
  outputs: Record<string, { value: unknown; description?: string }>;
};

const SHORT_FORMS = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'GetAtt',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
];

// `!Ref X` is `{ Ref: X }`, `!Sub …` is `{ 'Fn::Sub': … }`; `!GetAtt A.B.C` is `['A', 'B.C']`.
const SHORT_FORM_TAGS: Array<ScalarTag | CollectionTag> = [
  ['Ref', 'Ref'],
  ['Condition', 'Condition'],
  ...SHORT_FORMS.map(name => [name, `Fn::${name}`]),
].flatMap(([name, key]) => [
  {
    tag: `!${name}`,
    resolve: (value: string) => {
      const dot = value.indexOf('.');
      return {
        [key]:
          key === 'Fn::GetAtt' && dot > 0
            ? [value.slice(0, dot), value.slice(dot + 1)]
            : value,
      };
    },
  } satisfies ScalarTag,
  {
    tag: `!${name}`,
    collection: 'seq',
    resolve: seq => ({ [key]: (seq as YAMLSeq).toJSON() }),
  } satisfies CollectionTag,
  {
    tag: `!${name}`,
    collection: 'map',
    resolve: map => ({ [key]: (map as YAMLMap).toJSON() }),
  } satisfies CollectionTag,
]);

const EMPTY: FakeTemplate = {
  parameters: {},
  resources: new Map(),
  outputs: {},
};

// A stack's template is read on every event and answer: keep the last few readings.
const recent = new Map<string, FakeTemplate>();

/**
 * Reads a template body (JSON or YAML, short forms included); an empty body is a template with
 * nothing in it. Malformed text is CloudFormation's `ValidationError`.
 */
export function readFakeTemplate(body: string): FakeTemplate {
  if (!body.trim()) {
    return EMPTY;
  }
  const known = recent.get(body);
  if (known) {
    return known;
  }
  const template = interpret(parse(body));
  recent.set(body, template);
  if (recent.size > 8) {
    recent.delete(recent.keys().next().value!);
  }
  return template;
}

/** Like {@link readFakeTemplate}, and the template must have a resource, as CloudFormation requires. */
export function readDeployableTemplate(body: string): FakeTemplate {
  const template = readFakeTemplate(body);
  if (template.resources.size === 0) {
    throw new FakeError(
      'ValidationError',
      'Template format error: At least one Resources member must be defined.',
    );
  }
  return template;
}

function parse(body: string): Record<string, unknown> {
  const document = parseDocument(body, {
    version: '1.1',
    customTags: SHORT_FORM_TAGS,
  });
  const parsed: unknown = document.errors.length
    ? undefined
    : document.toJS({ maxAliasCount: 100 });
  if (!isRecord(parsed)) {
    throw new FakeError(
      'ValidationError',
      `Template format error: ${document.errors[0]?.message ?? 'not a JSON or YAML object'}`,
    );
  }
  return parsed;
}

function interpret(template: Record<string, unknown>): FakeTemplate {
  const section = (name: string) =>
    Object.entries(isRecord(template[name]) ? template[name] : {}).map(
      ([key, value]) => [key, isRecord(value) ? value : {}] as const,
    );
  return {
    parameters: Object.fromEntries(
      section('Parameters').map(([key, parameter]) => [
        key,
        {
          noEcho: String(parameter.NoEcho).toLowerCase() === 'true',
          hasDefault: parameter.Default !== undefined,
        },
      ]),
    ),
    resources: new Map(
      section('Resources').map(([logicalId, resource]) => [
        logicalId,
        {
          type: String(resource.Type),
          json: JSON.stringify(resource),
          properties: isRecord(resource.Properties) ? resource.Properties : {},
          ...(typeof resource.DeletionPolicy === 'string'
            ? { deletionPolicy: resource.DeletionPolicy }
            : {}),
        },
      ]),
    ),
    outputs: Object.fromEntries(
      section('Outputs').map(([key, output]) => [
        key,
        {
          value: output.Value,
          ...(typeof output.Description === 'string'
            ? { description: output.Description }
            : {}),
        },
      ]),
    ),
  };
}
