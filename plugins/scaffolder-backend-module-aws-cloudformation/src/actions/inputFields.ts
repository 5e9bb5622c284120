import { InputError } from '@backstage/errors';
import type { z as zod } from 'zod/v3';

type Zod = typeof zod;

/**
 * Fields the CloudFormation actions share, each with its rule once. Patterns are refinements with
 * messages in words, not `.regex()`: the scaffolder checks input against the action's JSON schema
 * before the handler runs, and a `pattern` there reaches the task log as a regular expression.
 */
export const FIELD_RULES = {
  stackName: {
    pattern: /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/,
    message:
      'must start with a letter and hold only letters, digits and hyphens, at most 128 characters (a CloudFormation stack name)',
  },
  entityRef: {
    pattern: /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/i,
    message:
      'must be a full entity reference kind:namespace/name, e.g. component:default/payments',
  },
  region: {
    pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
    message: 'must be an AWS region code such as eu-west-1',
  },
  accountId: {
    pattern: /^\d{12}$/,
    message: 'must be an AWS account id: 12 digits',
  },
  roleArn: {
    pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
    message:
      'must be an IAM role ARN such as arn:aws:iam::123456789012:role/cloudformation-deployer',
  },
  logicalId: {
    pattern: /^[a-zA-Z0-9]{1,255}$/,
    message:
      'must be a logical resource id: 1 to 255 letters and digits, as in the template',
  },
} as const;

type Rule = keyof typeof FIELD_RULES;

/** A string field that must follow one of {@link FIELD_RULES}. */
export function ruledString(z: Zod, rule: Rule, description: string) {
  const { pattern, message } = FIELD_RULES[rule];
  return z
    .string({ description })
    .refine(value => pattern.test(value), message);
}

/** The optional target inputs every CloudFormation action takes, resolved against the allowlist. */
export const targetInputFields = {
  region: (z: Zod) =>
    ruledString(
      z,
      'region',
      'AWS region; defaults to aws.cloudformation.defaultRegion. Must be allowed by config.',
    ).optional(),
  accountId: (z: Zod) =>
    ruledString(
      z,
      'accountId',
      'AWS account id (12 digits); defaults to the only entry of aws.cloudformation.allowedAccountIds.',
    ).optional(),
};

/**
 * Checks an action's ruled fields in the handler, before anything else: the scaffolder validates
 * input only against the JSON schema, where a refinement leaves no trace. Every problem at once,
 * each naming the field and saying what it must be.
 */
export function checkRuledFields(
  actionId: string,
  input: Record<string, unknown>,
  rules: Readonly<Record<string, Rule>>,
): void {
  const problems = Object.entries(rules).flatMap(([field, rule]) => {
    const value = input[field];
    if (value === undefined) return [];
    const { pattern, message } = FIELD_RULES[rule];
    return (Array.isArray(value) ? value : [value])
      .filter(item => typeof item !== 'string' || !pattern.test(item))
      .map(item => `${field} ${JSON.stringify(item)} ${message}`);
  });
  if (problems.length > 0) {
    throw new InputError(
      `Invalid input for ${actionId}: ${problems.join('; ')}.`,
    );
  }
}
