export {
  validateTemplate,
  formatFinding,
  type ValidateOptions,
} from './validateTemplate';
export { CONTROL_RULES } from './controls';
export { preloadResourceModel } from './resourceModel';
export { SECURITY_RULES } from './security';
export { IGNORE_METADATA_KEY } from './ignores';
export type {
  ValidationFinding,
  ValidationSeverity,
  TemplateDocument,
} from './types';
