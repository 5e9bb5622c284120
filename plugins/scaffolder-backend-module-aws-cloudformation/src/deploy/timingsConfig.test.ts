import { ConfigReader } from '@backstage/config';
import { readDeployTimings } from './timingsConfig';

type ConfigData = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

const read = (timings?: ConfigData) =>
  readDeployTimings(
    new ConfigReader(
      timings === undefined ? {} : { aws: { cloudformation: { timings } } },
    ),
  );

describe('readDeployTimings', () => {
  it('leaves every timing to the engine when nothing is configured', () => {
    expect(read()).toEqual({});
    expect(read({})).toEqual({});
  });

  it('reads every key', () => {
    const timings = {
      initialPollMs: 500,
      maxPollMs: 10_000,
      pollBackoff: 2,
      maxThrottledDelayMs: 60_000,
      heartbeatMs: 120_000,
      maxTransientAttempts: 3,
    };
    expect(read(timings)).toEqual(timings);
  });

  it('reads only the keys given', () => {
    expect(read({ heartbeatMs: 5000 })).toEqual({ heartbeatMs: 5000 });
  });

  it.each([
    [
      { initialPollMs: 0 },
      'aws.cloudformation.timings.initialPollMs must be more than 0 ms, got 0',
    ],
    [
      { maxPollMs: -1 },
      'aws.cloudformation.timings.maxPollMs must be more than 0 ms, got -1',
    ],
    [
      { pollBackoff: 0.5 },
      'aws.cloudformation.timings.pollBackoff must be at least 1, got 0.5',
    ],
    [
      { maxThrottledDelayMs: 0 },
      'aws.cloudformation.timings.maxThrottledDelayMs must be more than 0 ms, got 0',
    ],
    [
      { heartbeatMs: 0 },
      'aws.cloudformation.timings.heartbeatMs must be more than 0 ms, got 0',
    ],
    [
      { maxTransientAttempts: 2.5 },
      'aws.cloudformation.timings.maxTransientAttempts must be a whole number, at least 1, got 2.5',
    ],
    [
      { maxTransientAttempts: 0 },
      'aws.cloudformation.timings.maxTransientAttempts must be a whole number, at least 1, got 0',
    ],
    [
      { heartbeat: 1000 },
      'aws.cloudformation.timings has no heartbeat; its keys are initialPollMs, maxPollMs, pollBackoff, maxThrottledDelayMs, heartbeatMs, maxTransientAttempts',
    ],
  ])('refuses %p', (timings, message) => {
    expect(() => read(timings)).toThrow(message);
  });

  it('refuses a value that is not a number, naming the key', () => {
    expect(() => read({ heartbeatMs: 'soon' })).toThrow(
      /aws\.cloudformation\.timings\.heartbeatMs/,
    );
  });
});
