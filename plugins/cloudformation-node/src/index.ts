/**
 * Node.js code shared by the CloudFormation scaffolder modules and the stack card's backend.
 *
 * @packageDocumentation
 */
export { isRecord } from './values';
export { accountOfArn, parseArn, type Arn } from './arn';
export {
  readAwsCloudFormationAllowlist,
  type AwsCloudFormationAllowlist,
} from './allowlist';
export { parseTemplate, TemplateParseError } from './parseTemplate';
export { explainStackFailure, type StackFailure } from './rootCause';
export {
  isOperationStart,
  isStackEvent,
  STACK_RESOURCE_TYPE,
} from './stackEvents';
export { isThrottlingError, THROTTLING_ERROR_NAMES } from './throttling';
export { reportUserErrorsInOneLine } from './userErrors';
export {
  pseudoParameters,
  resolveIntrinsic,
  type NameLookup,
} from './resolveIntrinsic';
export {
  arnOf,
  generatedResourceName,
  randomNameSuffix,
  secretArnOf,
  typeArnOf,
  urlSuffixOf,
  type ArnScope,
} from './resourceArns';
