/**
 * Backend of the CloudFormation entity card: reads an entity's stack for callers allowed to
 * read the entity.
 *
 * @packageDocumentation
 */
export { cloudFormationPlugin as default } from './plugin';
