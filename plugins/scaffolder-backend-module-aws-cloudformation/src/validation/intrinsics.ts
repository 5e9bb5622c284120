/** An intrinsic function call in long form: `{ Ref: x }` or `{ 'Fn::Name': args }`. */
export type IntrinsicCall = { name: string; args: unknown };

/** The intrinsic function call `value` is, if it is one. */
export function asIntrinsic(value: unknown): IntrinsicCall | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [name] = keys;
  return name === 'Ref' || name.startsWith('Fn::')
    ? { name, args: value[name] }
    : undefined;
}

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Custom resources take any property and return any attribute their provider sends back. */
export function isCustomResourceType(type: string): boolean {
  return (
    type.startsWith('Custom::') ||
    type === 'AWS::CloudFormation::CustomResource'
  );
}

/** A dynamic reference (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm:…}}`), which CloudFormation resolves at deploy time. */
const DYNAMIC_REFERENCE = /\{\{resolve:[a-z-]+:[^}]+\}\}/;

/** Whether `text` holds a dynamic reference (alone or inside, e.g. a JSON secret string): its value is known only at deploy time. */
export function containsDynamicReference(text: string): boolean {
  return DYNAMIC_REFERENCE.test(text);
}

/** Pseudo parameters `Ref` accepts besides parameters and resources. */
export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** `${Name}` and `${Res.Attr}` placeholders of an `Fn::Sub` string; `${!Literal}` is an escape, not a placeholder. */
export function subPlaceholders(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map(match =>
    match[1].trim(),
  );
}

/** Joins path segments the way findings report them. */
export function joinPath(...segments: Array<string | number>): string {
  return segments.join('/');
}

/** The candidate closest to `name` by edit distance, when close enough to be a likely typo. */
export function closestMatch(
  name: string,
  candidates: Iterable<string>,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
