export {
  CloudFormationDeployer,
  type CloudFormationDeployerOptions,
} from './CloudFormationDeployer';
export { CloudFormationDeployError, type DeployErrorKind } from './errors';
export { planDryRun } from './dryRun';
export { readDeployTimings } from './timingsConfig';
export {
  readTemplate,
  digest,
  TemplateError,
  MAX_INLINE_TEMPLATE_BYTES,
} from './template';
export type { ResourceChangeRow } from './changeTable';
export type {
  Checkpoint,
  DeployLogger,
  DeployRequest,
  DeployResult,
  DeployTimings,
  OnFailure,
  StackOwnership,
} from './types';
