export { AwsDeployTargetPicker } from './AwsDeployTargetPicker';
export type { AwsDeployTargetPickerProps } from './AwsDeployTargetPicker';
export { validateAwsDeployTarget } from './deployTarget';
export type { AwsDeployTarget } from './deployTarget';
export { AwsDeployTargetPickerFieldSchema } from './schema';

/** The name templates use: `ui:field: AwsDeployTargetPicker`. */
export const AWS_DEPLOY_TARGET_PICKER = 'AwsDeployTargetPicker';
