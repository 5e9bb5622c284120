import { consoleUrl, stackConsoleUrl } from './consoleLinks';

describe('console URLs', () => {
  it.each([
    [
      ['eu-west-1', 'ecs/v2/clusters'],
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters?region=eu-west-1',
    ],
    [
      ['eu-west-1', 'cloudwatch/home', 'logsV2:log-groups'],
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups',
    ],
    [
      ['us-east-1', 'rds/home', 'databases:'],
      'https://us-east-1.console.aws.amazon.com/rds/home?region=us-east-1#databases:',
    ],
  ] as Array<[[string, string, string?], string]>)('%j → %s', (args, url) => {
    expect(consoleUrl(...args)).toBe(url);
  });

  it('encodes the stack id or name, and a region that is not one', () => {
    expect(
      stackConsoleUrl(
        'us-east-1',
        'arn:aws:cloudformation:us-east-1:123456789012:stack/orders-dev/1',
      ),
    ).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/stackinfo?stackId=arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack%2Forders-dev%2F1',
    );
    expect(consoleUrl('a/b?c', 'rds/home')).toBe(
      'https://a%2Fb%3Fc.console.aws.amazon.com/rds/home?region=a%2Fb%3Fc',
    );
  });
});
