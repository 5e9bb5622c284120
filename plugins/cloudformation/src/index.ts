/**
 * Entity card showing the CloudFormation stack behind a catalog entity, and the
 * `AwsDeployTargetPicker` scaffolder field for choosing an allowed AWS account and region.
 *
 * New frontend system: add the default export to the app's features.
 * Classic apps: render `EntityCloudFormationCard` where `isCloudFormationAvailable` holds, and add
 * `AwsDeployTargetPickerFieldExtension` to the scaffolder's field extensions.
 *
 * @packageDocumentation
 */
export { cloudFormationPlugin as default } from './plugin';
export {
  CloudFormationApiError,
  CloudFormationClient,
  cloudFormationApiRef,
} from './api';
export type { CloudFormationApi } from './api';
export { isCloudFormationAvailable } from './conditions';
export type { CloudFormationCardProps } from './components/CloudFormationCard';
export {
  RetireServiceCard,
  retireTemplateUrl,
} from './components/RetireServiceCard';
export type { RetireServiceCardProps } from './components/RetireServiceCard';
export { SecretsCard } from './components/SecretsCard';
export type { SecretsCardProps } from './components/SecretsCard';
export { DriftCard } from './components/DriftCard';
export type { DriftCardProps } from './components/DriftCard';
export {
  AwsDeployTargetPicker,
  AwsDeployTargetPickerFieldSchema,
  validateAwsDeployTarget,
} from './components/AwsDeployTargetPicker';
export type {
  AwsDeployTarget,
  AwsDeployTargetPickerProps,
} from './components/AwsDeployTargetPicker';
export {
  AwsDeployTargetPickerFieldExtension,
  EntityCloudFormationCard,
  LoadBalancerSchemeFieldExtension,
  ScalingLimitFieldExtension,
  LabelledListFieldExtension,
  ServiceNamePickerFieldExtension,
  SubnetIdPickerFieldExtension,
  VpcPickerFieldExtension,
  cloudFormationLegacyPlugin,
} from './legacy';
export type { ServiceNameQuery } from './api';
export {
  ServiceNamePicker,
  validateServiceName,
  validateStackIsFree,
} from './components/ServiceNamePicker';
export type {
  ServiceNameCheckOptions,
  ServiceNamePickerProps,
} from './components/ServiceNamePicker';
export {
  ScalingLimitField,
  validateScalingLimit,
} from './components/ScalingLimitField';
export type {
  ScalingLimitFieldProps,
  ScalingLimitOptions,
} from './components/ScalingLimitField';
export {
  LoadBalancerSchemeField,
  validateLoadBalancerScheme,
} from './components/LoadBalancerSchemeField';
export type {
  LoadBalancerSchemeFieldProps,
  LoadBalancerSchemeOptions,
} from './components/LoadBalancerSchemeField';
export { SubnetIdPicker, VpcPicker } from './components/NetworkPickers';
export type {
  NetworkPickerOptions,
  SubnetIdPickerProps,
  VpcPickerProps,
} from './components/NetworkPickers';
export { ServiceTaskList } from './components/ServiceTaskList';
export type { ServiceTaskListProps } from './components/ServiceTaskList';
export {
  addButtonLabel,
  LabelledListField,
} from './components/LabelledListField';
export type {
  LabelledListFieldProps,
  LabelledListOptions,
} from './components/LabelledListField';
