import { checkControls } from './controls';
import { checkFormats } from './formats';
import { applyIgnores } from './ignores';
import { checkIntrinsicArguments } from './intrinsicArguments';
import { isPlainObject } from './intrinsics';
import { checkReferences } from './references';
import { checkSections } from './sections';
import { checkSecurity } from './security';
import { checkStructure } from './structure';
import { applyTransforms } from './transforms';
import type { ValidationFinding } from './types';

/**
 * Checks a parsed CloudFormation template offline: structure against the CloudFormation resource model and
 * the shape of the other sections,
 * references between its parts, intrinsic function arguments, property formats, and security rules.
 * Transforms are applied first where that can be done offline (`Fn::ForEach`); what is left to
 * CloudFormation is said in `info` findings. Returns every finding; no error means valid.
 * `template` is plain data with long-form intrinsics, as `parseTemplate` returns.
 */
/** What to check beyond validity and the security rules. */
export type ValidateOptions = {
  /** Also apply the hardening control rules (`CONTROL_RULES`, warnings) that the golden-path blueprint guarantees. */
  controls?: boolean;
};

export function validateTemplate(
  template: unknown,
  options: ValidateOptions = {},
): ValidationFinding[] {
  if (!isPlainObject(template)) {
    return [
      {
        severity: 'error',
        rule: 'invalid-template',
        path: '',
        message: 'A template must be a mapping of sections.',
      },
    ];
  }
  const prepared = applyTransforms(template);
  const expanded = prepared.template;
  return applyIgnores(expanded, [
    ...prepared.findings,
    ...checkStructure(expanded, prepared.context),
    ...checkSections(expanded),
    ...checkReferences(expanded, prepared.context),
    ...checkIntrinsicArguments(expanded),
    ...checkFormats(expanded),
    ...checkSecurity(expanded),
    ...(options.controls ? checkControls(expanded) : []),
  ]);
}

/** One line per finding, for logs and error messages: `error unknown-property Resources/Db/Properties/X: message`. */
export function formatFinding(finding: ValidationFinding): string {
  return `${finding.severity} ${finding.rule} ${finding.path}: ${finding.message}`;
}
