import type { Stack } from '@aws-sdk/client-cloudformation';
import {
  isInProgress,
  TAG_ENTITY_REF,
} from '@golden-path/plugin-cloudformation-common';
import { accountOfArn } from '@golden-path/plugin-cloudformation-node';
import { CloudFormationDeployError } from '../deploy/errors';
import type { DeleteRequest } from './types';

/**
 * Throws the `refused` error when ownership, the account, termination protection or the stack's
 * state forbid deleting it; checked before anything is changed.
 */
export function checkDeleteSafety(request: DeleteRequest, stack: Stack): void {
  const { stackName, entityRef, expectedAccountId } = request;
  const status = stack.StackStatus ?? 'UNKNOWN';
  const actualAccount = accountOfArn(stack.StackId ?? '');
  if (
    expectedAccountId &&
    actualAccount &&
    actualAccount !== expectedAccountId
  ) {
    throw refused(
      `The credentials for account ${expectedAccountId} reach account ${actualAccount} (stack ${stack.StackId}); check the aws.accounts configuration. Nothing was deleted.`,
      status,
    );
  }
  const owner = stack.Tags?.find(tag => tag.Key === TAG_ENTITY_REF)?.Value;
  if (owner === undefined) {
    throw refused(
      `Stack ${stackName} (${status}) was not created by Backstage: it has no ${TAG_ENTITY_REF} tag, so it is not deleted. ` +
        'Delete it in the CloudFormation console if it really belongs to this service.',
      status,
    );
  }
  if (owner.toLowerCase() !== entityRef.toLowerCase()) {
    throw refused(
      `Stack ${stackName} (${status}) belongs to ${owner} (tag ${TAG_ENTITY_REF}), not to ${entityRef}, so it is not deleted. Nothing was changed.`,
      status,
    );
  }
  if (stack.EnableTerminationProtection) {
    throw refused(
      `Stack ${stackName} has termination protection on, so it is not deleted. If it really should go, turn protection off ` +
        `(aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${stackName}, ` +
        'or in the CloudFormation console: Stack actions → Edit termination protection), then run the task again.',
      status,
    );
  }
  if (
    isInProgress(status) &&
    status !== 'DELETE_IN_PROGRESS' &&
    status !== 'REVIEW_IN_PROGRESS'
  ) {
    throw refused(
      `Stack ${stackName} is busy: ${status}. Wait for it to finish, then run the task again.`,
      status,
    );
  }
  if (request.retainResources.length > 0 && status !== 'DELETE_FAILED') {
    throw refused(
      `retainResources is only accepted for a stack in DELETE_FAILED (CloudFormation's rule); stack ${stackName} is ${status}. ` +
        "Delete it without retainResources; resources that must stay need DeletionPolicy: Retain in the stack's template.",
      status,
    );
  }
}

function refused(
  message: string,
  stackStatus: string,
): CloudFormationDeployError {
  return new CloudFormationDeployError('refused', message, { stackStatus });
}
