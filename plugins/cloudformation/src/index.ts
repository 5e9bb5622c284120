/**
 * Entity card showing the CloudFormation stack behind a catalog entity.
 *
 * New frontend system: add the default export to the app's features.
 * Classic apps: render `EntityCloudFormationCard` where `isCloudFormationAvailable` holds.
 *
 * @packageDocumentation
 */
export { cloudFormationPlugin as default } from './plugin';
export { CloudFormationApiError, CloudFormationClient, cloudFormationApiRef } from './api';
export type { CloudFormationApi } from './api';
export { isCloudFormationAvailable } from './conditions';
export type { CloudFormationCardProps } from './components/CloudFormationCard';
export { EntityCloudFormationCard, cloudFormationLegacyPlugin } from './legacy';
