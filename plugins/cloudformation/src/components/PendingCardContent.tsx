import { EmptyState, Progress } from '@backstage/core-components';
import { CloudFormationUnavailableReason } from '@golden-path/plugin-cloudformation-common';
import { CloudFormationApiError } from '../api';
import { UnavailableState } from './CloudFormationCard/UnavailableState';
import { RetryableError } from './RetryableError';

/** What a card reading its entity's stack through the backend knows so far. */
export interface CardAnswerState {
  loading: boolean;
  error?: Error;
  answer?:
    | { status: 'available' }
    | {
        status: 'unavailable';
        reason: CloudFormationUnavailableReason;
        message: string;
      };
  retry: () => void;
}

/**
 * The body the stack, Secrets and drift cards share until their answer is available: loading, the stack
 * missing, a failed request (titled `failureTitle`, with Retry), or access AWS or the allowlist withholds.
 * `undefined` once there is an answer to show.
 */
export function pendingCardContent(
  state: CardAnswerState,
  failureTitle: string,
): JSX.Element | undefined {
  const { loading, error, answer, retry } = state;
  if (loading) return <Progress />;
  if (error instanceof CloudFormationApiError && error.statusCode === 404) {
    return (
      <EmptyState
        missing="content"
        title="Stack not found"
        description={error.message}
      />
    );
  }
  if (error)
    return <RetryableError title={failureTitle} error={error} retry={retry} />;
  if (answer?.status === 'unavailable')
    return <UnavailableState reason={answer.reason} message={answer.message} />;
  return undefined;
}
