import type { Stack } from '@aws-sdk/client-cloudformation';
import {
  isFailed,
  isInProgress,
  TAG_ENTITY_REF,
  TAG_TEMPLATE_REF,
} from '@golden-path/plugin-cloudformation-common';
import {
  accountOfArn,
  type StackFailure,
} from '@golden-path/plugin-cloudformation-node';
import { CloudFormationDeployError } from './errors';
import type { StackOwnership } from './types';

/** What was decided about the stack before changing anything (stored in a checkpoint). */
export type Plan =
  | { action: 'create'; reviewStackId?: string }
  | {
      action: 'update';
      stackId: string;
      previousParameterKeys: string[];
      templateRef?: string;
    }
  | { action: 'recreate'; stackId: string };

/**
 * {@link decidePlan}'s answer: a plan (with the line that announces it, if any), or a refusal. A stack in a
 * `*_FAILED` state is refused once its last failure is read ({@link failedStackRefusal}).
 */
export type PlanDecision =
  | { plan: Plan; note?: string }
  | { refusal: CloudFormationDeployError }
  | { failedStack: { stackId: string; status: string } };

/** What to do about a stack left in a *_FAILED state. */
export const FAILED_STATE_ADVICE: Record<string, string> = {
  CREATE_FAILED:
    'its creation failed with rollback disabled; inspect the resources, delete the stack, then deploy again',
  ROLLBACK_FAILED:
    'its creation failed and the rollback could not delete every resource; delete the stack (retaining the resources that block it), then deploy again',
  DELETE_FAILED:
    'a delete could not remove every resource; delete the stack again (retaining the resources that block it), then deploy again',
  UPDATE_FAILED:
    'an update failed with rollback disabled; roll it back (`aws cloudformation rollback-stack`) or fix the cause, then deploy again',
  UPDATE_ROLLBACK_FAILED:
    'an update failed and could not roll back; run `aws cloudformation continue-update-rollback` (skipping resources that cannot roll back), then deploy again',
  IMPORT_ROLLBACK_FAILED:
    'a resource import failed and could not roll back; repair the stack in the CloudFormation console, then deploy again',
};

/**
 * Create, update or recreate — or refuse, before anything is changed — from the stack as
 * `DescribeStacks` returned it (`undefined`: there is none), its ownership tags and its account.
 */
export function decidePlan(
  stack: Stack | undefined,
  owner: StackOwnership,
  target: { stackName: string; expectedAccountId?: string },
): PlanDecision {
  const { stackName } = target;
  if (!stack?.StackId) {
    return {
      plan: { action: 'create' },
      note: `Stack ${stackName} does not exist yet: creating it.`,
    };
  }
  const wrongAccount = accountMismatch(target.expectedAccountId, stack.StackId);
  if (wrongAccount) {
    return { refusal: wrongAccount };
  }
  const status = stack.StackStatus ?? 'UNKNOWN';
  const stackOwner = stack.Tags?.find(tag => tag.Key === TAG_ENTITY_REF)?.Value;
  const ownedByUs =
    stackOwner !== undefined &&
    stackOwner.toLowerCase() === owner.entityRef.toLowerCase();
  const ownership = () => ({
    refusal: ownershipRefusal(stackName, status, stackOwner, owner.entityRef),
  });

  if (status === 'REVIEW_IN_PROGRESS') {
    // Only a change set is waiting there; it has no resources, so it is reused unless someone else's.
    if (stackOwner !== undefined && !ownedByUs) {
      return ownership();
    }
    return { plan: { action: 'create', reviewStackId: stack.StackId } };
  }
  if (isInProgress(status)) {
    const since = (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString();
    const operation = stack.LastOperations?.[0];
    const running = operation?.OperationType
      ? ` (operation ${[operation.OperationType, operation.OperationId].filter(Boolean).join(' ')})`
      : '';
    return {
      refusal: new CloudFormationDeployError(
        'refused',
        `Stack ${stackName} is busy: ${status}${since ? ` since ${since}` : ''}${running}. Wait for it to finish, then run the task again.`,
        { stackStatus: status },
      ),
    };
  }
  if (status === 'ROLLBACK_COMPLETE') {
    if (!ownedByUs) {
      return ownership();
    }
    return {
      plan: { action: 'recreate', stackId: stack.StackId },
      note: `Stack ${stackName} is ROLLBACK_COMPLETE from a failed first create: deleting it, then creating it again.`,
    };
  }
  if (isFailed(status)) {
    return { failedStack: { stackId: stack.StackId, status } };
  }
  if (!ownedByUs) {
    return ownership();
  }
  const templateRef = stack.Tags?.find(
    tag => tag.Key === TAG_TEMPLATE_REF,
  )?.Value;
  return {
    plan: {
      action: 'update',
      stackId: stack.StackId,
      previousParameterKeys: (stack.Parameters ?? []).flatMap(parameter =>
        parameter.ParameterKey ? [parameter.ParameterKey] : [],
      ),
      ...(templateRef ? { templateRef } : {}),
    },
    note: `Stack ${stackName} is ${status}: updating it.`,
  };
}

/** The refusal for a stack in a `*_FAILED` state, with why its last operation failed when known. */
export function failedStackRefusal(
  stackName: string,
  status: string,
  cause: StackFailure | undefined,
): CloudFormationDeployError {
  return new CloudFormationDeployError(
    'refused',
    `Stack ${stackName} is ${status}: ${FAILED_STATE_ADVICE[status] ?? 'repair it in the CloudFormation console, then deploy again'}.` +
      (cause ? ` The last operation failed because: ${cause.summary}` : ''),
    { stackStatus: status, ...(cause ? { failure: cause } : {}) },
  );
}

/** The refusal when the stack's ARN shows another account than the credentials were meant for. */
export function accountMismatch(
  expectedAccountId: string | undefined,
  stackId: string,
): CloudFormationDeployError | undefined {
  const actual = accountOfArn(stackId);
  if (!expectedAccountId || !actual || actual === expectedAccountId) {
    return undefined;
  }
  return new CloudFormationDeployError(
    'refused',
    `The credentials for account ${expectedAccountId} reach account ${actual} (stack ${stackId}); check the aws.accounts configuration. Nothing was deployed.`,
  );
}

function ownershipRefusal(
  stackName: string,
  status: string,
  stackOwner: string | undefined,
  entityRef: string,
): CloudFormationDeployError {
  const message =
    stackOwner === undefined
      ? `Stack ${stackName} (${status}) exists but was not created by Backstage: it has no ${TAG_ENTITY_REF} tag, so it is not modified. ` +
        `Choose another stack name, or tag the stack ${TAG_ENTITY_REF}=${entityRef} to hand it to ${entityRef}.`
      : `Stack ${stackName} (${status}) belongs to ${stackOwner} (tag ${TAG_ENTITY_REF}), not to ${entityRef}, so it is not modified. Choose another stack name.`;
  return new CloudFormationDeployError('refused', message, {
    stackStatus: status,
  });
}
