export { validateTemplate, formatFinding } from './validateTemplate';
export { parseTemplate, TemplateParseError } from './parseTemplate';
export { preloadResourceModel } from './resourceModel';
export type { ValidationFinding, ValidationSeverity, TemplateDocument } from './types';
