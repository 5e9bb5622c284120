/**
 * The golden-path service name rule, in words: the name becomes the repository, the catalog entity
 * and the prefix of every AWS resource (`aws:fargateService:generate` enforces the same rule).
 */
export const SERVICE_NAME_RULE =
  'use 2 to 28 characters: lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit';

const SERVICE_NAME = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/** What is wrong with a service name, in words; `undefined` when it is fine. */
export function serviceNameProblem(name: string): string | undefined {
  if (name.length < 2) return `The name is too short: ${SERVICE_NAME_RULE}.`;
  if (name.length > 28) return `The name is too long: ${SERVICE_NAME_RULE}.`;
  if (!SERVICE_NAME.test(name))
    return `The name ${name} is not allowed: ${SERVICE_NAME_RULE}.`;
  return undefined;
}
