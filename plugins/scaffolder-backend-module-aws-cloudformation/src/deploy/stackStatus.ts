import { parse, validate } from '@aws-sdk/util-arn-parser';
import type { StackEvent } from '@aws-sdk/client-cloudformation';

/** The resource type CloudFormation uses for a stack's own events. */
export const STACK_RESOURCE_TYPE = 'AWS::CloudFormation::Stack';

/** Whether CloudFormation is still working on the stack (any `*_IN_PROGRESS`). */
export function isInProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}

/** Whether an operation ended in a state a new deploy cannot start from (`*_FAILED`). */
export function isFailed(status: string): boolean {
  return status.endsWith('_FAILED');
}

/** Whether a status is a rollback (the operation failed and is being or was undone). */
export function isRollback(status: string): boolean {
  return status.includes('ROLLBACK');
}

/**
 * Whether an event is about the stack itself rather than one of its resources. Nested
 * stacks share the resource type, so the physical id (the stack id) must match too.
 */
export function isStackEvent(event: StackEvent): boolean {
  if (event.ResourceType !== STACK_RESOURCE_TYPE) {
    return false;
  }
  return event.PhysicalResourceId
    ? event.PhysicalResourceId === event.StackId
    : event.LogicalResourceId === event.StackName;
}

/** Account id of a stack (or change set) ARN, `arn:aws:cloudformation:region:account:stack/name/id`. */
export function accountOfArn(arn: string): string | undefined {
  return validate(arn) ? parse(arn).accountId || undefined : undefined;
}
