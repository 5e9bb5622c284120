export { createAwsCloudFormationDeleteAction } from './delete';
export { createCatalogRemoveEntitiesAction } from './removeEntities';
export { createAwsCloudFormationDeployAction } from './deploy';
export { createAwsCloudFormationValidateAction } from './validate';
