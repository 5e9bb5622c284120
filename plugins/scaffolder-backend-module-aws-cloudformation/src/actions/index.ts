export { createAwsCloudFormationDeployAction } from './deploy';
export { createAwsCloudFormationValidateAction } from './validate';
