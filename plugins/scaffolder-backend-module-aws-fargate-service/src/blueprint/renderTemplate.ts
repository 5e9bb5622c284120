import {
  Document,
  Scalar,
  YAMLSeq,
  type CollectionTag,
  type ScalarTag,
} from 'yaml';
import {
  Cidr,
  ConditionFunction,
  FindInMap,
  GetAZs,
  GetAtt,
  If,
  Join,
  Ref,
  Select,
  Sub,
} from './intrinsics';
import type { StackTemplate } from './stack';

/**
 * Short-form tags for the model's intrinsic classes. The `yaml` package quotes and escapes every
 * string, so no user text can leave the scalar it was put in.
 */
const intrinsicTags: Array<ScalarTag | CollectionTag> = [
  {
    tag: '!Ref',
    identify: value => value instanceof Ref,
    createNode: (_schema, value) => new Scalar((value as Ref).target),
    resolve: text => text,
  },
  {
    tag: '!GetAtt',
    identify: value => value instanceof GetAtt,
    createNode: (_schema, value) =>
      new Scalar(`${(value as GetAtt).target}.${(value as GetAtt).attribute}`),
    resolve: text => text,
  },
  {
    tag: '!Sub',
    identify: value => value instanceof Sub,
    createNode: (_schema, value) => new Scalar((value as Sub).text),
    resolve: text => text,
  },
  {
    tag: '!Join',
    collection: 'seq',
    identify: value => value instanceof Join,
    createNode: (schema, value, ctx) =>
      YAMLSeq.from(
        schema,
        [(value as Join).delimiter, (value as Join).values],
        ctx,
      ),
  },
  {
    tag: '!Select',
    collection: 'seq',
    identify: value => value instanceof Select,
    createNode: (schema, value, ctx) =>
      YAMLSeq.from(
        schema,
        [(value as Select).index, (value as Select).list],
        ctx,
      ),
  },
  {
    tag: '!GetAZs',
    identify: value => value instanceof GetAZs,
    createNode: () => new Scalar(''),
    resolve: text => text,
  },
  {
    tag: '!FindInMap',
    collection: 'seq',
    identify: value => value instanceof FindInMap,
    createNode: (schema, value, ctx) =>
      YAMLSeq.from(
        schema,
        [
          (value as FindInMap).mapping,
          (value as FindInMap).topKey,
          (value as FindInMap).secondKey,
        ],
        ctx,
      ),
  },
  {
    tag: '!If',
    collection: 'seq',
    identify: value => value instanceof If,
    createNode: (schema, value, ctx) =>
      YAMLSeq.from(
        schema,
        [
          (value as If).condition,
          (value as If).whenTrue,
          (value as If).whenFalse,
        ],
        ctx,
      ),
  },
  ...(['Equals', 'Or'] as const).map((name): CollectionTag => ({
    tag: `!${name}`,
    collection: 'seq',
    identify: value =>
      value instanceof ConditionFunction && value.name === name,
    createNode: (schema, value, ctx) =>
      YAMLSeq.from(schema, (value as ConditionFunction).args, ctx),
  })),
  {
    tag: '!Cidr',
    collection: 'seq',
    identify: value => value instanceof Cidr,
    createNode: (schema, value, ctx) =>
      YAMLSeq.from(
        schema,
        [
          (value as Cidr).ipBlock,
          (value as Cidr).count,
          (value as Cidr).hostBits,
        ],
        ctx,
      ),
  },
];

/**
 * Writes the template as YAML with short-form intrinsics. YAML 1.1, as CloudFormation reads it, so
 * strings like `yes`, `on` or `2010-09-09` come out quoted instead of turning into booleans or dates;
 * no anchors or aliases, which CloudFormation does not accept.
 */
export function renderTemplateYaml(template: StackTemplate): string {
  const document = new Document(template, {
    version: '1.1',
    customTags: intrinsicTags,
    aliasDuplicateObjects: false,
  });
  return document.toString({ singleQuote: true, lineWidth: 0 });
}
