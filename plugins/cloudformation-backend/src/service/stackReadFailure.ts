import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { isThrottlingError } from '@golden-path/plugin-cloudformation-node';
import { isAccessDenied, isMissingCredentials } from './awsErrors';
import { EndpointFailureError } from './endpointErrors';
import { StackNotFoundError } from './readStack';

/** The region and account of a stack, in words for messages. */
function stackWhere(region: string, accountId?: string): string {
  return `region ${region} of ${accountId ? `AWS account ${accountId}` : 'the main AWS account'}`;
}

export type StackReadUnavailable = {
  status: 'unavailable';
  reason: 'not-configured' | 'access-denied';
  message: string;
};

/**
 * What the stack, secrets and drift routes answer when reading a stack failed. A missing stack, an endpoint
 * failure and throttling throw (404, 503); missing credentials and denied access become an `unavailable`
 * answer that says what to configure (`allow`: the IAM actions, in words); anything else is rethrown.
 * AWS's own messages name the backend's role: they go to the log, never into the answer.
 */
export function explainStackReadFailure(
  error: unknown,
  target: { stackName: string; region: string; accountId?: string },
  options: { logger: LoggerService; doing: string; allow: string },
): StackReadUnavailable {
  const { stackName, region, accountId } = target;
  const where = stackWhere(region, accountId);
  if (error instanceof StackNotFoundError)
    throw new NotFoundError(`Stack ${stackName} was not found in ${where}.`);
  if (error instanceof EndpointFailureError) {
    options.logger.warn(`${error.message} Raw error: ${error.cause}`);
    throw new ServiceUnavailableError(error.message);
  }
  if (isThrottlingError(error)) {
    throw new ServiceUnavailableError(
      `CloudFormation is throttling requests for stack ${stackName}; try again in a few seconds.`,
    );
  }
  if (isMissingCredentials(error)) {
    options.logger.warn(
      `No AWS credentials for stack ${stackName} in ${where}: ${error}`,
    );
    return {
      status: 'unavailable',
      reason: 'not-configured',
      message:
        `Backstage has no AWS credentials for ${accountId ? `account ${accountId}` : 'the main AWS account'}: ` +
        'configure aws.mainAccount or an aws.accounts entry in the app-config.',
    };
  }
  if (isAccessDenied(error)) {
    options.logger.warn(
      `AWS denied ${options.doing} stack ${stackName} in ${where}: ${error}`,
    );
    return {
      status: 'unavailable',
      reason: 'access-denied',
      message: `AWS denied Backstage's credentials ${options.doing} stack ${stackName} in ${where}: allow ${options.allow}`,
    };
  }
  throw error;
}
