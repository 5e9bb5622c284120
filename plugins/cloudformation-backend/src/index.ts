/**
 * Backend of the CloudFormation entity card and deploy-target form field: reads an entity's stack
 * for callers allowed to read the entity, and lists the accounts and regions deploys may target.
 *
 * @packageDocumentation
 */
export { cloudFormationPlugin as default } from './plugin';
