import { isPlainObject } from './intrinsics';
import { checkReferences } from './references';
import { checkSecurity } from './security';
import { checkStructure } from './structure';
import type { ValidationFinding } from './types';

/**
 * Checks a parsed CloudFormation template offline: structure against the CloudFormation resource model,
 * references between its parts, and security rules. Returns every finding; an empty list means valid.
 * `template` is plain data with long-form intrinsics, as `parseTemplate` returns.
 */
export function validateTemplate(template: unknown): ValidationFinding[] {
  if (!isPlainObject(template)) {
    return [{ severity: 'error', rule: 'invalid-template', path: '', message: 'A template must be a mapping of sections.' }];
  }
  return [...checkStructure(template), ...checkReferences(template), ...checkSecurity(template)];
}

/** One line per finding, for logs and error messages: `error unknown-property Resources/Db/Properties/X: message`. */
export function formatFinding(finding: ValidationFinding): string {
  return `${finding.severity} ${finding.rule} ${finding.path}: ${finding.message}`;
}
