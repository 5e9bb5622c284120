import type { Config } from '@backstage/config';
import type { DeployTimings } from './types';

/** Where the timings live in the app config. */
export const TIMINGS_CONFIG_KEY = 'aws.cloudformation.timings';

// What each key accepts; every bound keeps the engine polling (no zero delays, no shrinking backoff).
const RULES: Record<
  keyof DeployTimings,
  { valid: (value: number) => boolean; expected: string }
> = {
  initialPollMs: { valid: value => value > 0, expected: 'more than 0 ms' },
  maxPollMs: { valid: value => value > 0, expected: 'more than 0 ms' },
  pollBackoff: { valid: value => value >= 1, expected: 'at least 1' },
  maxThrottledDelayMs: {
    valid: value => value > 0,
    expected: 'more than 0 ms',
  },
  heartbeatMs: { valid: value => value > 0, expected: 'more than 0 ms' },
  maxTransientAttempts: {
    valid: value => Number.isInteger(value) && value >= 1,
    expected: 'a whole number, at least 1',
  },
};

/**
 * The deploy and delete engines' polling and retry timings set under `aws.cloudformation.timings`
 * (see `config.d.ts`), for the `timings` option of the deploy and delete actions; keys left out keep
 * the engine's defaults. Throws naming the key when it is unknown or its
 * value out of range.
 */
export function readDeployTimings(config: Config): Partial<DeployTimings> {
  const section = config.getOptionalConfig(TIMINGS_CONFIG_KEY);
  if (!section) {
    return {};
  }
  const unknown = section.keys().filter(key => !(key in RULES));
  if (unknown.length > 0) {
    throw new Error(
      `${TIMINGS_CONFIG_KEY} has no ${unknown.join(', ')}; its keys are ${Object.keys(RULES).join(', ')}`,
    );
  }
  const timings: Partial<DeployTimings> = {};
  for (const key of Object.keys(RULES) as Array<keyof DeployTimings>) {
    const value = section.getOptionalNumber(key);
    if (value === undefined) {
      continue;
    }
    if (!RULES[key].valid(value)) {
      throw new Error(
        `${TIMINGS_CONFIG_KEY}.${key} must be ${RULES[key].expected}, got ${value}`,
      );
    }
    timings[key] = value;
  }
  return timings;
}
