/**
 * Error names AWS services use for "slow down": the deploy engine's list and the card backend's,
 * merged. Which service sends which: CloudFormation `Throttling`, most JSON APIs
 * `ThrottlingException`, EC2 `RequestLimitExceeded`, API Gateway and Lambda
 * `TooManyRequestsException`, S3 `SlowDown`, older query APIs the `Throttled` variants.
 */
export const THROTTLING_ERROR_NAMES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

type MaybeThrottled = {
  name?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
};

/**
 * Whether AWS asked us to slow down: a throttling error name, the SDK's own throttling mark, or
 * HTTP 429. Reached only after the SDK's retries (standard mode, 3 attempts by default).
 */
export function isThrottlingError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as MaybeThrottled;
  return (
    (typeof e.name === 'string' && THROTTLING_ERROR_NAMES.has(e.name)) ||
    e.$retryable?.throttling === true ||
    e.$metadata?.httpStatusCode === 429
  );
}
