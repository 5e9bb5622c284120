import { Config } from '@backstage/config';

/** How long the card backend keeps each kind of answer, in milliseconds. */
export type CacheLifetimes = {
  /** A settled stack: it changes only when someone deploys. */
  stackMs: number;
  /** A stack in progress or partly unreadable: the card polls it and should see progress soon. */
  stackInProgressMs: number;
  /** A stack's secrets, their rotation and readers (CloudTrail allows 2 LookupEvents per second). */
  secretsMs: number;
  /** Secrets of which a part was throttled: retried sooner. */
  secretsDegradedMs: number;
  /** Drift: it changes only when someone runs a detection, which refreshes the cache itself. */
  driftMs: number;
};

/** Each lifetime's key under `cloudformation.cache` (seconds) and its default. */
const KEYS: Record<keyof CacheLifetimes, { key: string; seconds: number }> = {
  stackMs: { key: 'stackSeconds', seconds: 30 },
  stackInProgressMs: { key: 'stackInProgressSeconds', seconds: 5 },
  secretsMs: { key: 'secretsSeconds', seconds: 60 },
  secretsDegradedMs: { key: 'secretsDegradedSeconds', seconds: 5 },
  driftMs: { key: 'driftSeconds', seconds: 30 },
};

/** The lifetimes of `cloudformation.cache.*`, each key left out taking its default. */
export function readCacheLifetimes(config: Config): CacheLifetimes {
  const cache = config.getOptionalConfig('cloudformation.cache');
  const lifetimes = Object.entries(KEYS).map(([name, { key, seconds }]) => {
    const configured = cache?.getOptionalNumber(key);
    if (configured !== undefined && !(configured > 0)) {
      throw new Error(
        `cloudformation.cache.${key} must be a number of seconds above 0, got ${configured}.`,
      );
    }
    return [name, (configured ?? seconds) * 1000];
  });
  return Object.fromEntries(lifetimes) as CacheLifetimes;
}
