export { ServiceNamePicker } from './ServiceNamePicker';
export type { ServiceNamePickerProps } from './ServiceNamePicker';
export { validateServiceName, validateStackIsFree } from './serviceNameCheck';
export type { ServiceNameCheckOptions } from './serviceNameCheck';

/** The name templates use: `ui:field: ServiceNamePicker`. */
export const SERVICE_NAME_PICKER = 'ServiceNamePicker';
