import type { StackFailure } from '@golden-path/plugin-cloudformation-node';

/** Why a deploy stopped without success. */
export type DeployErrorKind =
  /** The stack's state or ownership forbids the deploy; nothing was changed. */
  | 'refused'
  /** CloudFormation could not create the change set; it was deleted. */
  | 'changeSetFailed'
  /** The change set had no changes and `failOnEmptyChangeSet` was set. */
  | 'noChanges'
  /** The stack operation failed; `failure` names the root cause. */
  | 'stackFailed'
  /** The task was cancelled while waiting. */
  | 'cancelled'
  /** The stack did not finish within the timeout. */
  | 'timedOut';

/** A deploy that ended without success, with a message meant for the person who ran it. */
export class CloudFormationDeployError extends Error {
  override name = 'CloudFormationDeployError';

  constructor(
    readonly kind: DeployErrorKind,
    message: string,
    readonly details: { stackStatus?: string; failure?: StackFailure } = {},
  ) {
    super(message);
  }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

type AwsError = {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
};

// The SDK hands on a network error it could not type as "AWS SDK error wrapper for <error>", message only.
const NETWORK_MESSAGE =
  /\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|TimeoutError)\b/;

/** Whether a call failed on the way (connection reset, timeout, 5xx) and may succeed if repeated. */
export function isTransientError(error: unknown): boolean {
  const e = error as AwsError & { message?: string };
  const status = e?.$metadata?.httpStatusCode ?? 0;
  return (
    NETWORK_CODES.has(e?.code ?? '') ||
    ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'].includes(
      e?.name ?? '',
    ) ||
    status >= 500 ||
    NETWORK_MESSAGE.test(e?.message ?? '')
  );
}

/** Whether CloudFormation rejected a call as invalid for the stack's current state or input. */
export function isValidationError(
  error: unknown,
  messagePattern?: RegExp,
): boolean {
  const e = error as AwsError & { message?: string };
  return (
    e?.name === 'ValidationError' &&
    (!messagePattern || messagePattern.test(e.message ?? ''))
  );
}
