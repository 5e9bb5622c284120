import { asIntrinsic, isPlainObject, joinPath } from './intrinsics';
import type { TemplateDocument, ValidationFinding } from './types';

/** Parameter types CloudFormation takes: plain, list, AWS-specific and SSM parameter types. */
const PARAMETER_TYPE =
  /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::Value<.+>)$/;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;
const MAPPING_KEY = /^[A-Za-z0-9.-]+$/;
const CONDITION_FUNCTIONS = new Set([
  'Fn::And',
  'Fn::Equals',
  'Fn::Not',
  'Fn::Or',
  'Condition',
]);

/** The shape of the Parameters, Mappings, Conditions and Outputs sections (resources are checked in `structure.ts`). */
export function checkSections(template: TemplateDocument): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const error = (rule: string, path: string, message: string) =>
    findings.push({ severity: 'error', rule, path, message });

  for (const [section, value] of Object.entries(template)) {
    if (
      ['Parameters', 'Mappings', 'Conditions', 'Outputs'].includes(section) &&
      !isPlainObject(value)
    ) {
      error('invalid-section', section, `${section} must be a mapping.`);
    }
  }
  for (const [name, parameter] of entries(template.Parameters)) {
    const path = joinPath('Parameters', name);
    if (!LOGICAL_ID.test(name))
      error(
        'invalid-logical-id',
        path,
        `Parameter name "${name}" must be alphanumeric.`,
      );
    if (!isPlainObject(parameter) || typeof parameter.Type !== 'string') {
      error(
        'invalid-parameter',
        joinPath(path, 'Type'),
        'A parameter needs a Type.',
      );
    } else if (!PARAMETER_TYPE.test(parameter.Type)) {
      error(
        'invalid-parameter',
        joinPath(path, 'Type'),
        `"${parameter.Type}" is not a parameter type; use String, Number, CommaDelimitedList, List<Number>, an AWS-specific type (AWS::EC2::VPC::Id, List<AWS::EC2::Subnet::Id>, ...) or an SSM parameter type.`,
      );
    }
  }
  for (const [name, mapping] of entries(template.Mappings)) {
    const path = joinPath('Mappings', name);
    if (!MAPPING_KEY.test(name))
      error(
        'invalid-mapping',
        path,
        `Mapping name "${name}" may hold only letters, digits, "." and "-".`,
      );
    if (!isPlainObject(mapping)) {
      error(
        'invalid-mapping',
        path,
        'A mapping maps top-level keys to mappings of second-level keys and values.',
      );
      continue;
    }
    for (const [key, level] of Object.entries(mapping)) {
      if (!MAPPING_KEY.test(key))
        error(
          'invalid-mapping',
          joinPath(path, key),
          `Mapping key "${key}" may hold only letters, digits, "." and "-".`,
        );
      if (!isPlainObject(level))
        error(
          'invalid-mapping',
          joinPath(path, key),
          `Top-level key "${key}" must map second-level keys to values.`,
        );
    }
  }
  for (const [name, condition] of entries(template.Conditions)) {
    if (
      !CONDITION_FUNCTIONS.has(
        asIntrinsic(condition)?.name ??
          (isPlainObject(condition) && 'Condition' in condition
            ? 'Condition'
            : ''),
      )
    ) {
      error(
        'invalid-condition',
        joinPath('Conditions', name),
        `Condition "${name}" must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or a Condition reference.`,
      );
    }
  }
  for (const name of Object.keys(
    isPlainObject(template.Outputs) ? template.Outputs : {},
  )) {
    if (!LOGICAL_ID.test(name))
      error(
        'invalid-logical-id',
        joinPath('Outputs', name),
        `Output name "${name}" must be alphanumeric.`,
      );
  }
  return findings;
}

function entries(section: unknown): Array<[string, unknown]> {
  return isPlainObject(section) ? Object.entries(section) : [];
}
