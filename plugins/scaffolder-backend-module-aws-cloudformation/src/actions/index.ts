export { createAwsCloudFormationDeleteAction } from './delete';
export { createAwsCloudFormationDeployAction } from './deploy';
export { createAwsCloudFormationValidateAction } from './validate';
