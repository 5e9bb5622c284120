import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { OPERATION_START_STATUSES } from '@golden-path/plugin-cloudformation-common';

/** The resource type CloudFormation uses for a stack's own events. */
export const STACK_RESOURCE_TYPE = 'AWS::CloudFormation::Stack';

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

/**
 * Whether a stack event opens a new operation; every newer event belongs to it. A delete opens
 * one only when someone asked for it, not when a failed create cleans up after itself.
 */
export function isOperationStart(event: StackEvent): boolean {
  return (
    isStackEvent(event) &&
    (OPERATION_START_STATUSES.has(event.ResourceStatus ?? '') ||
      (event.ResourceStatus === 'DELETE_IN_PROGRESS' &&
        event.ResourceStatusReason === 'User Initiated'))
  );
}
