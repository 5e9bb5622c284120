/**
 * Scaffolder actions for CloudFormation: offline validation and change-set deploys.
 *
 * @packageDocumentation
 */
export { awsCloudFormationModule as default } from './module';
export * from './actions';
export * from './validation';
export type { AwsCloudFormationDeployActionOptions } from './actions/deploy';
export type { AwsCloudFormationDeleteActionOptions } from './actions/delete';
export type { CatalogRemoveEntitiesActionOptions } from './actions/removeEntities';
export {
  CloudFormationDeleter,
  planDeletion,
  type CloudFormationDeleterOptions,
  type DeleteRequest,
  type DeleteResult,
  type DeletionPlan,
  type DeletionPlanRow,
  type ResourceFate,
} from './delete';
export {
  CloudFormationDeployer,
  CloudFormationDeployError,
  readDeployTimings,
  type CloudFormationDeployerOptions,
  type Checkpoint,
  type DeployErrorKind,
  type DeployLogger,
  type DeployRequest,
  type DeployResult,
  type DeployTimings,
  type OnFailure,
  type ResourceChangeRow,
  type StackOwnership,
} from './deploy';
