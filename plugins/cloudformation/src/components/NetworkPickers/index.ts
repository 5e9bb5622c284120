export { VpcPicker } from './VpcPicker';
export type { NetworkPickerOptions, VpcPickerProps } from './VpcPicker';
export { SubnetIdPicker } from './SubnetIdPicker';
export type { SubnetIdPickerProps } from './SubnetIdPicker';

/** The names templates use: `ui:field: VpcPicker`, and `ui:field: SubnetIdPicker` on subnet items. */
export const VPC_PICKER = 'VpcPicker';
export const SUBNET_ID_PICKER = 'SubnetIdPicker';
