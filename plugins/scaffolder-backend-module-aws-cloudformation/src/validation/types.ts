/**
 * How bad a finding is: errors fail the validate step, warnings are reported (and fail it with
 * `failOn: warning`), infos only say what was not checked or was turned off.
 */
export type ValidationSeverity = 'error' | 'warning' | 'info';

/** One problem in a CloudFormation template. */
export type ValidationFinding = {
  severity: ValidationSeverity;
  /** Stable rule id, e.g. `unknown-property` or `secretsmanager-wildcard-resource`. */
  rule: string;
  /** Logical id of the resource the finding is about, when it is about one. */
  resource?: string;
  /** Slash-separated path into the template, e.g. `Resources/Database/Properties/StorageEncrypted`. */
  path: string;
  message: string;
};

/** A parsed template: plain JSON-like data with intrinsic functions in their long form (`{ Ref: X }`, `{ 'Fn::GetAtt': [a, b] }`). */
export type TemplateDocument = Record<string, unknown>;
