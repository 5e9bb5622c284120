import { ConfigReader } from '@backstage/config';
import { readCacheLifetimes } from './cacheLifetimes';

describe('readCacheLifetimes', () => {
  it.each([
    [
      'nothing configured: the defaults',
      undefined,
      {
        stackMs: 30_000,
        stackInProgressMs: 5_000,
        secretsMs: 60_000,
        secretsDegradedMs: 5_000,
        driftMs: 30_000,
      },
    ],
    [
      'some keys configured: those, and the defaults for the rest',
      { stackSeconds: 120, secretsDegradedSeconds: 0.5, driftSeconds: 600 },
      {
        stackMs: 120_000,
        stackInProgressMs: 5_000,
        secretsMs: 60_000,
        secretsDegradedMs: 500,
        driftMs: 600_000,
      },
    ],
    [
      'every key configured',
      {
        stackSeconds: 1,
        stackInProgressSeconds: 2,
        secretsSeconds: 3,
        secretsDegradedSeconds: 4,
        driftSeconds: 5,
      },
      {
        stackMs: 1_000,
        stackInProgressMs: 2_000,
        secretsMs: 3_000,
        secretsDegradedMs: 4_000,
        driftMs: 5_000,
      },
    ],
  ])('%s', (_case, cache, expected) => {
    expect(
      readCacheLifetimes(new ConfigReader({ cloudformation: { cache } })),
    ).toEqual(expected);
  });

  it.each([
    [
      { stackSeconds: 0 },
      /cloudformation\.cache\.stackSeconds must be a number of seconds above 0, got 0/,
    ],
    [
      { driftSeconds: -30 },
      /cloudformation\.cache\.driftSeconds must be a number of seconds above 0, got -30/,
    ],
    [{ secretsSeconds: 'a minute' }, /secretsSeconds/],
  ])('refuses %j, naming the key', (cache, message) => {
    expect(() =>
      readCacheLifetimes(new ConfigReader({ cloudformation: { cache } })),
    ).toThrow(message);
  });
});
