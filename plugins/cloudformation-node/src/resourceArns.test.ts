import {
  arnOf,
  generatedResourceName,
  randomNameSuffix,
  secretArnOf,
  typeArnOf,
} from './resourceArns';

const SCOPE = {
  partition: 'aws-cn',
  region: 'cn-north-1',
  accountId: '111122223333',
};

describe('arnOf', () => {
  it.each([
    ['sqs', 'orders', 'arn:aws-cn:sqs:cn-north-1:111122223333:orders'],
    ['iam', 'role/app', 'arn:aws-cn:iam::111122223333:role/app'],
    ['s3', 'bucket', 'arn:aws-cn:s3:::bucket'],
  ])('%s %s → %s', (service, resource, expected) => {
    expect(arnOf(SCOPE, service, resource)).toBe(expected);
  });
});

describe('typeArnOf', () => {
  it.each([
    [
      'AWS::DynamoDB::Table',
      'shop-Table',
      'arn:aws-cn:dynamodb:cn-north-1:111122223333:table/shop-Table',
    ],
    [
      'AWS::IAM::Role',
      'shop-Role',
      'arn:aws-cn:iam::111122223333:role/shop-Role',
    ],
    ['AWS::S3::Bucket', 'shop-bucket', 'arn:aws-cn:s3:::shop-bucket'],
    [
      'Custom',
      'thing',
      'arn:aws-cn:unknown:cn-north-1:111122223333:resource/thing',
    ],
  ])('%s named %s → %s', (type, name, expected) => {
    expect(typeArnOf(SCOPE, type, name)).toBe(expected);
  });
});

describe('names', () => {
  it('gives a secret ARN the six characters Secrets Manager appends', () => {
    expect(secretArnOf(SCOPE, 'db', 'a1b2c3')).toBe(
      'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:db-a1b2c3',
    );
  });

  it('makes up names as CloudFormation does: stack, logical id, twelve hex digits', () => {
    const suffix = randomNameSuffix();
    expect(suffix).toMatch(/^[0-9A-F]{12}$/);
    expect(randomNameSuffix()).not.toBe(suffix);
    expect(generatedResourceName('shop', 'Queue', suffix)).toBe(
      `shop-Queue-${suffix}`,
    );
  });
});
