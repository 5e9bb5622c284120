import { accountOfArn, parseArn } from './arn';

describe('parseArn', () => {
  it.each([
    [
      'a stack id',
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/0f1e2d3c',
      {
        partition: 'aws',
        service: 'cloudformation',
        region: 'eu-west-1',
        accountId: '123456789012',
        resource: 'stack/shop/0f1e2d3c',
      },
    ],
    [
      'a GovCloud change set',
      'arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:changeSet/cs-1/abc',
      {
        partition: 'aws-us-gov',
        service: 'cloudformation',
        region: 'us-gov-west-1',
        accountId: '123456789012',
        resource: 'changeSet/cs-1/abc',
      },
    ],
    [
      'a Lambda function with a qualifier (colons stay in the resource)',
      'arn:aws:lambda:eu-west-1:123456789012:function:rotate:live',
      {
        partition: 'aws',
        service: 'lambda',
        region: 'eu-west-1',
        accountId: '123456789012',
        resource: 'function:rotate:live',
      },
    ],
    [
      'a global IAM role',
      'arn:aws:iam::123456789012:role/path/deployer',
      {
        partition: 'aws',
        service: 'iam',
        region: '',
        accountId: '123456789012',
        resource: 'role/path/deployer',
      },
    ],
    ['a stack name', 'shop', undefined],
    ['too few parts', 'arn:aws:cloudformation:eu-west-1', undefined],
    ['empty', '', undefined],
    ['missing', undefined, undefined],
  ])('%s', (_case, text, expected) => {
    expect(parseArn(text)).toEqual(expected);
  });
});

describe('accountOfArn', () => {
  it.each([
    [
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/1',
      '123456789012',
    ],
    ['arn:aws:s3:::my-bucket', undefined],
    ['shop', undefined],
    [undefined, undefined],
  ])('%s → %s', (text, expected) => {
    expect(accountOfArn(text)).toBe(expected);
  });
});
