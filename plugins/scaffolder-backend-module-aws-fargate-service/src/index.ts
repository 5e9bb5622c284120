/**
 * The golden path's blueprint: CloudFormation for an ECS Fargate service behind an ALB with RDS and
 * Secrets Manager, generated from typed input.
 *
 * @packageDocumentation
 */
export { awsFargateServiceModule as default } from './module';
export { createAwsFargateServiceGenerateAction } from './actions/generate';
export { generateFargateService, GENERATED_PATHS } from './blueprint/generate';
export { templateFacts } from './blueprint/templateFacts';
export type { TemplateFacts } from './blueprint/templateFacts';
export type {
  FargateServiceBlueprint,
  GenerateResult,
  GeneratedFile,
} from './blueprint/generate';
export { parseFargateServiceInput } from './blueprint/input';
export { fargateServiceInputFields } from './blueprint/inputFields';
export type { FargateServiceSpec, InputParseResult } from './blueprint/input';
export { ENVIRONMENT_DEFAULTS } from './blueprint/hardeningInput';
export { resourceNames } from './blueprint/naming';
export type { ResourceNames } from './blueprint/naming';
export { PASSWORD_EXCLUDED_CHARACTERS } from './blueprint/stack';
export type { StackModel, StackTemplate } from './blueprint/stack';
export {
  APPLICATION_USERNAME,
  BOOTSTRAP_CONTAINER_NAME,
  BOOTSTRAP_VARIABLES,
  MYSQL_APPLICATION_PRIVILEGES,
  bootstrapCommand,
  bootstrapScript,
} from './blueprint/applicationUser';
export type { ResourceSummary } from './blueprint/renderDocs';
