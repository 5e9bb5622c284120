/** Helpers of the input schema: field checks, and problems worded as `field: what to fix`. */
import path from 'node:path';
import { z } from 'zod/v3';

/** Template forms send empty optional fields as '' or null: they mean "not given", so defaults apply. */
export function withoutEmptyFields(raw: unknown): unknown {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return raw;
  return Object.fromEntries(
    Object.entries(raw).filter(
      ([, value]) => value !== '' && value !== null && value !== undefined,
    ),
  );
}

/** `field: what is wrong and what is allowed`, with the field path as the template author wrote it. */
export function describeIssue(
  issue: z.ZodIssue,
  allowedFields: string[],
): string {
  const field = issue.path
    .map(segment => (typeof segment === 'number' ? `[${segment}]` : segment))
    .join('.')
    .replace(/\.\[/g, '[');
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return `${issue.keys.join(', ')}: unknown field(s); allowed fields are ${allowedFields.join(', ')}`;
  }
  if (issue.code === z.ZodIssueCode.invalid_type) {
    return issue.received === 'undefined'
      ? `${field}: is required`
      : `${field}: must be ${article(issue.expected)}, got ${issue.received}`;
  }
  if (issue.code === z.ZodIssueCode.invalid_enum_value) {
    return `${field}: must be one of ${issue.options.map(option => `"${String(option)}"`).join(', ')}`;
  }
  return `${field || '(input)'}: ${issue.message}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function isInsideWorkspace(target: string): boolean {
  if (
    target === '' ||
    path.posix.isAbsolute(target) ||
    path.win32.isAbsolute(target)
  )
    return false;
  return !path.posix
    .normalize(target.replace(/\\/g, '/'))
    .split('/')
    .includes('..');
}

export function isIpv4Cidr(block: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(
    block,
  );
  return (
    !!match &&
    match.slice(1, 5).every(octet => Number(octet) <= 255) &&
    Number(match[5]) <= 32
  );
}

export function prefixOf(block: string): number {
  return Number(block.split('/')[1]);
}

export function range(from: number, to: number, step: number): number[] {
  return Array.from(
    { length: (to - from) / step + 1 },
    (_, index) => from + index * step,
  );
}

/**
 * Pattern checks are refinements, not `.regex()`: the scaffolder validates input against the JSON schema
 * before the handler runs, and a JSON-schema pattern error reads far worse than these messages.
 */
export const matching = (pattern: RegExp) => (value: string) =>
  pattern.test(value);
