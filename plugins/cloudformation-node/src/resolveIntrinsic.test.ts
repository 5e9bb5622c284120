import { pseudoParameters, resolveIntrinsic } from './resolveIntrinsic';

const NAMES: Record<string, string> = {
  Env: 'dev',
  Queue: 'shop-Queue-ABC',
  'Table.Arn': 'arn:aws:dynamodb:eu-west-1:111122223333:table/shop-Table',
  'Database.Endpoint.Address': 'db.example.rds.amazonaws.com',
  'AWS::Region': 'eu-west-1',
};
const lookup = (name: string) => NAMES[name];

describe('resolveIntrinsic', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a string literal', 'plain', 'plain'],
    ['a number literal', 8080, '8080'],
    ['a boolean literal', true, 'true'],
    ['null', null, undefined],
    ['a list', ['a'], undefined],
    ['Ref of a parameter', { Ref: 'Env' }, 'dev'],
    ['Ref of a resource', { Ref: 'Queue' }, 'shop-Queue-ABC'],
    ['Ref of an unknown name', { Ref: 'Nope' }, undefined],
    [
      'Fn::GetAtt as a list',
      { 'Fn::GetAtt': ['Table', 'Arn'] },
      NAMES['Table.Arn'],
    ],
    [
      'Fn::GetAtt with a dotted attribute',
      { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] },
      NAMES['Database.Endpoint.Address'],
    ],
    [
      'Fn::GetAtt as a string',
      { 'Fn::GetAtt': 'Database.Endpoint.Address' },
      NAMES['Database.Endpoint.Address'],
    ],
    [
      'Fn::Sub of names',
      { 'Fn::Sub': 'https://${Database.Endpoint.Address}/${Env}' },
      'https://db.example.rds.amazonaws.com/dev',
    ],
    [
      'Fn::Sub with its own variables',
      { 'Fn::Sub': ['${Name}-${Env}', { Name: { Ref: 'Queue' } }] },
      'shop-Queue-ABC-dev',
    ],
    [
      'Fn::Sub with a literal ${!…}',
      { 'Fn::Sub': '${!Literal}-${Env}' },
      '${Literal}-dev',
    ],
    [
      'Fn::Sub with an unknown name keeps it',
      { 'Fn::Sub': '${Nope}-${Env}' },
      '${Nope}-dev',
    ],
    [
      'Fn::Join',
      { 'Fn::Join': [':', [{ Ref: 'AWS::Region' }, 'x', 1]] },
      'eu-west-1:x:1',
    ],
    [
      'Fn::Join with an unknown part',
      { 'Fn::Join': [':', [{ Ref: 'Nope' }, 'x']] },
      undefined,
    ],
    ['Fn::Join without a list', { 'Fn::Join': [':', 'x'] }, undefined],
    [
      'a function it does not know',
      { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      undefined,
    ],
  ])('%s', (_case, value, expected) => {
    expect(resolveIntrinsic(value, lookup)).toBe(expected);
  });
});

describe('pseudoParameters', () => {
  it.each([
    ['aws', 'amazonaws.com'],
    ['aws-cn', 'amazonaws.com.cn'],
    ['aws-us-gov', 'amazonaws.com'],
  ])('in partition %s the URL suffix is %s', (partition, suffix) => {
    expect(
      pseudoParameters({
        partition,
        region: 'r-1',
        accountId: '111122223333',
        stackName: 'shop',
        stackId: 'arn:stack',
      }),
    ).toEqual({
      'AWS::Region': 'r-1',
      'AWS::AccountId': '111122223333',
      'AWS::Partition': partition,
      'AWS::URLSuffix': suffix,
      'AWS::StackName': 'shop',
      'AWS::StackId': 'arn:stack',
    });
  });
});
