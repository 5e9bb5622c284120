import { isThrottlingError } from '@golden-path/plugin-cloudformation-node';
import { isAccessDenied } from './awsErrors';
import { describeEndpointFailure } from './endpointErrors';

/**
 * One sentence for a part of the stack view (resources, events) whose call failed while the stack
 * itself could be read: the call, what went wrong, what to check. AWS's own message stays in the
 * backend log, since it can name the backend's role.
 */
export function describePartFailure(
  call: string,
  stackName: string,
  error: unknown,
): string {
  const endpointFailure = describeEndpointFailure(call, stackName, error);
  if (endpointFailure) return endpointFailure;
  if (isAccessDenied(error)) {
    return `AWS denied Backstage's credentials ${call} on stack ${stackName}: allow cloudformation:${call} in their IAM policy.`;
  }
  if (isThrottlingError(error)) {
    return `CloudFormation throttled ${call} for stack ${stackName}; it is read again within a few seconds.`;
  }
  const name =
    error instanceof Error && error.name !== 'Error' ? ` (${error.name})` : '';
  return `${call} for stack ${stackName} failed${name}; the backend log has the details.`;
}
