/**
 * Node.js code shared by the CloudFormation scaffolder modules and the stack card's backend.
 *
 * @packageDocumentation
 */
export { isRecord } from './values';
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
