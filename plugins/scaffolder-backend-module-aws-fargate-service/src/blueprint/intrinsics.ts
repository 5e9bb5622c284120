/**
 * CloudFormation intrinsic functions as values of the stack model. Each knows its long JSON form
 * (`toJSON`, used for in-process validation) and the logical ids it points at (for the diagram);
 * `renderTemplate.ts` writes them as short-form YAML tags.
 */
export abstract class Intrinsic {
  abstract toJSON(): Record<string, unknown>;
  abstract references(): string[];
}

export class Ref extends Intrinsic {
  constructor(readonly target: string) {
    super();
  }
  toJSON() {
    return { Ref: this.target };
  }
  references() {
    return this.target.startsWith('AWS::') ? [] : [this.target];
  }
}

export class GetAtt extends Intrinsic {
  constructor(
    readonly target: string,
    readonly attribute: string,
  ) {
    super();
  }
  toJSON() {
    return { 'Fn::GetAtt': [this.target, this.attribute] };
  }
  references() {
    return [this.target];
  }
}

/** `Fn::Sub` over template names only: user text never goes into a Sub string. */
export class Sub extends Intrinsic {
  constructor(readonly text: string) {
    super();
  }
  toJSON() {
    return { 'Fn::Sub': this.text };
  }
  references() {
    const placeholders = [...this.text.matchAll(/\$\{([^}!][^}]*)\}/g)].map(
      match => match[1].split('.')[0],
    );
    return placeholders.filter(name => !name.startsWith('AWS::'));
  }
}

export class Join extends Intrinsic {
  constructor(
    readonly delimiter: string,
    readonly values: unknown[],
  ) {
    super();
  }
  toJSON() {
    return { 'Fn::Join': [this.delimiter, this.values] };
  }
  references() {
    return referencesIn(this.values);
  }
}

export class Select extends Intrinsic {
  constructor(
    readonly index: number,
    readonly list: unknown,
  ) {
    super();
  }
  toJSON() {
    return { 'Fn::Select': [this.index, this.list] };
  }
  references() {
    return referencesIn(this.list);
  }
}

export class GetAZs extends Intrinsic {
  toJSON() {
    return { 'Fn::GetAZs': '' };
  }
  references() {
    return [];
  }
}

export class Cidr extends Intrinsic {
  constructor(
    readonly ipBlock: unknown,
    readonly count: number,
    readonly hostBits: number,
  ) {
    super();
  }
  toJSON() {
    return { 'Fn::Cidr': [this.ipBlock, this.count, this.hostBits] };
  }
  references() {
    return referencesIn(this.ipBlock);
  }
}

/** `Fn::FindInMap` over a mapping of the template; its keys are template names or pseudo parameters. */
export class FindInMap extends Intrinsic {
  constructor(
    readonly mapping: string,
    readonly topKey: unknown,
    readonly secondKey: string,
  ) {
    super();
  }
  toJSON() {
    return { 'Fn::FindInMap': [this.mapping, this.topKey, this.secondKey] };
  }
  references() {
    return referencesIn(this.topKey);
  }
}

/** `Fn::If` on a condition of the template. */
export class If extends Intrinsic {
  constructor(
    readonly condition: string,
    readonly whenTrue: unknown,
    readonly whenFalse: unknown,
  ) {
    super();
  }
  toJSON() {
    return { 'Fn::If': [this.condition, this.whenTrue, this.whenFalse] };
  }
  references() {
    return referencesIn([this.whenTrue, this.whenFalse]);
  }
}

/** Condition functions (`Fn::Equals`, `Fn::Or`) for the template's Conditions section. */
export class ConditionFunction extends Intrinsic {
  constructor(
    readonly name: 'Equals' | 'Or',
    readonly args: unknown[],
  ) {
    super();
  }
  toJSON() {
    return { [`Fn::${this.name}`]: this.args };
  }
  references() {
    return referencesIn(this.args);
  }
}

export const ref = (target: string) => new Ref(target);
export const findInMap = (
  mapping: string,
  topKey: unknown,
  secondKey: string,
) => new FindInMap(mapping, topKey, secondKey);
export const fnIf = (
  condition: string,
  whenTrue: unknown,
  whenFalse: unknown,
) => new If(condition, whenTrue, whenFalse);
export const equals = (left: unknown, right: unknown) =>
  new ConditionFunction('Equals', [left, right]);
export const or = (conditions: unknown[]) =>
  new ConditionFunction('Or', conditions);
export const getAtt = (target: string, attribute: string) =>
  new GetAtt(target, attribute);
export const sub = (text: string) => new Sub(text);
export const join = (delimiter: string, values: unknown[]) =>
  new Join(delimiter, values);
export const select = (index: number, list: unknown) => new Select(index, list);
export const getAZs = () => new GetAZs();
export const cidr = (ipBlock: unknown, count: number, hostBits: number) =>
  new Cidr(ipBlock, count, hostBits);

/** Logical ids an arbitrary model value points at through its intrinsic functions. */
export function referencesIn(value: unknown): string[] {
  if (value instanceof Intrinsic) return value.references();
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (typeof value === 'object' && value !== null)
    return Object.values(value).flatMap(referencesIn);
  return [];
}

/**
 * A resource of the stack as other builders see it: its logical id, and the intrinsics that point at
 * it. Builders return handles, so a reference names the resource it was given, not a repeated string.
 */
export class ResourceHandle {
  constructor(readonly logicalId: string) {}
  ref(): Ref {
    return ref(this.logicalId);
  }
  getAtt(attribute: string): GetAtt {
    return getAtt(this.logicalId, attribute);
  }
  /** The `Fn::Sub` placeholder, `${Id}` or `${Id.Attribute}`. */
  placeholder(attribute?: string): string {
    return `\${${attribute ? `${this.logicalId}.${attribute}` : this.logicalId}}`;
  }
}
