import type { CloudFormationStackPhase } from './types';

/*
 * What a CloudFormation status (of a stack, a resource or an event) says, read from its name the
 * same way by the deploy and delete engines, the card's backend and the card itself.
 */

/** Whether CloudFormation is still working (any `*_IN_PROGRESS`). */
export function isInProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}

/** Whether an operation ended in a state a new one cannot start from (`*_FAILED`). */
export function isFailed(status: string): boolean {
  return status.endsWith('_FAILED');
}

/** Whether a status is a rollback (the operation failed and is being or was undone). */
export function isRollback(status: string): boolean {
  return status.includes('ROLLBACK');
}

/** Whether the latest operation failed, even while its rollback is still in progress. */
export function hasOperationFailed(status: string): boolean {
  return isFailed(status) || isRollback(status);
}

/** Stack-level statuses that open a new operation (a user-initiated delete opens one too). */
export const OPERATION_START_STATUSES: ReadonlySet<string> = new Set([
  'CREATE_IN_PROGRESS',
  'UPDATE_IN_PROGRESS',
  'IMPORT_IN_PROGRESS',
  'REVIEW_IN_PROGRESS',
]);

/** Stack-level statuses of an operation that succeeded and left the stack in use. */
export const OPERATION_SUCCEEDED_STATUSES: ReadonlySet<string> = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'IMPORT_COMPLETE',
]);

/** Maps a stack status onto the three states the card distinguishes. */
export function stackPhaseOf(status: string): CloudFormationStackPhase {
  if (isInProgress(status)) return 'in-progress';
  if (hasOperationFailed(status)) return 'failed';
  return 'complete';
}

/** How a status reads at a glance; `gone` is a deleted (or being deleted) stack or resource. */
export type StatusTone = 'ok' | 'running' | 'warning' | 'error' | 'gone';

/**
 * An update rollback restored the previous, working version (warning); a create rollback or a
 * failure left nothing working (error).
 */
export function toneOfStatus(status: string): StatusTone {
  if (isFailed(status)) return 'error';
  if (isInProgress(status)) return 'running';
  if (status.startsWith('UPDATE_ROLLBACK')) return 'warning';
  if (isRollback(status)) return 'error';
  if (status.startsWith('DELETE_')) return 'gone';
  return 'ok';
}
