import { CloudFormationServiceException } from '@aws-sdk/client-cloudformation';
import { isThrottlingError } from './throttling';

const named = (name: string) =>
  Object.assign(new Error('Rate exceeded'), { name });

describe('isThrottlingError', () => {
  it.each([
    ['CloudFormation Throttling', named('Throttling'), true],
    ['ThrottlingException', named('ThrottlingException'), true],
    ['ThrottledException', named('ThrottledException'), true],
    ['EC2 RequestLimitExceeded', named('RequestLimitExceeded'), true],
    ['TooManyRequestsException', named('TooManyRequestsException'), true],
    ['RequestThrottled', named('RequestThrottled'), true],
    ['RequestThrottledException', named('RequestThrottledException'), true],
    ['S3 SlowDown', named('SlowDown'), true],
    [
      'the SDK marking it retryable as throttling',
      Object.assign(named('SomethingNew'), {
        $retryable: { throttling: true },
      }),
      true,
    ],
    [
      'HTTP 429 under any name',
      Object.assign(named('UnknownError'), {
        $metadata: { httpStatusCode: 429 },
      }),
      true,
    ],
    [
      'a plain object with a throttling name',
      { name: 'Throttling', message: 'Rate exceeded' },
      true,
    ],
    [
      'a real SDK exception',
      new CloudFormationServiceException({
        name: 'Throttling',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
      true,
    ],
    ['a validation error', named('ValidationError'), false],
    ['access denied', named('AccessDenied'), false],
    [
      'retryable, but not for throttling',
      Object.assign(named('InternalFailure'), {
        $retryable: { throttling: false },
        $metadata: { httpStatusCode: 500 },
      }),
      false,
    ],
    ['a string', 'Throttling', false],
    ['null', null, false],
    ['undefined', undefined, false],
  ])('%s → %s', (_case, error, expected) => {
    expect(isThrottlingError(error)).toBe(expected);
  });
});
