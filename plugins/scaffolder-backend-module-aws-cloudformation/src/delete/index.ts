export {
  CloudFormationDeleter,
  type CloudFormationDeleterOptions,
} from './CloudFormationDeleter';
export { adviseOnDeleteFailure } from './deleteAdvice';
export { formatDeletionPlan, planDeletion, snapshotNote } from './deletionPlan';
export type {
  DeleteRequest,
  DeleteResult,
  DeletionPlan,
  DeletionPlanRow,
  ResourceFate,
} from './types';
