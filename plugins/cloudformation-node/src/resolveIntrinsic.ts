import { isRecord } from './values';
import { urlSuffixOf } from './resourceArns';

/**
 * The value of a name an expression refers to: a parameter, a pseudo parameter (`AWS::Region`), a
 * resource (`Queue`) or a resource's attribute (`Database.Endpoint.Address`); undefined when unknown.
 */
export type NameLookup = (name: string) => string | undefined;

/**
 * The string value of a template expression (an output's `Value`, say) in long form: literals,
 * `Ref`, `Fn::GetAtt`, `Fn::Sub` (with `${!Literal}` escapes and its own variables) and `Fn::Join`.
 * Names are looked up by `lookup`; undefined when any part cannot be resolved (a `Fn::Sub`
 * variable that cannot be resolved stays as written).
 */
export function resolveIntrinsic(
  value: unknown,
  lookup: NameLookup,
): string | undefined {
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return String(value);
  }
  if (!isRecord(value)) {
    return undefined;
  }
  if (typeof value.Ref === 'string') {
    return lookup(value.Ref);
  }
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) {
    return lookup(getAtt.map(String).join('.'));
  }
  if (typeof getAtt === 'string') {
    return lookup(getAtt);
  }
  const sub = value['Fn::Sub'];
  if (sub !== undefined) {
    const [text, variables] = Array.isArray(sub)
      ? [String(sub[0]), isRecord(sub[1]) ? sub[1] : {}]
      : [String(sub), {}];
    return text.replace(
      /\$\{(!?)([^}]+)\}/g,
      (whole, literal: string, name: string) =>
        literal
          ? `\${${name}}`
          : ((name in variables
              ? resolveIntrinsic(variables[name], lookup)
              : lookup(name)) ?? whole),
    );
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const parts = join[1].map(item => resolveIntrinsic(item, lookup));
    return parts.every(part => part !== undefined)
      ? parts.join(String(join[0]))
      : undefined;
  }
  return undefined;
}

/** The pseudo parameters (`AWS::Region`, `AWS::StackName`, …) of one stack. */
export function pseudoParameters(stack: {
  partition: string;
  region: string;
  accountId: string;
  stackName: string;
  stackId: string;
}): Record<string, string> {
  return {
    'AWS::Region': stack.region,
    'AWS::AccountId': stack.accountId,
    'AWS::Partition': stack.partition,
    'AWS::URLSuffix': urlSuffixOf(stack.partition),
    'AWS::StackName': stack.stackName,
    'AWS::StackId': stack.stackId,
  };
}
