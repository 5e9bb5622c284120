/**
 * Node.js code shared by the CloudFormation scaffolder modules and the stack card's backend.
 *
 * @packageDocumentation
 */
export { isRecord } from './values';
