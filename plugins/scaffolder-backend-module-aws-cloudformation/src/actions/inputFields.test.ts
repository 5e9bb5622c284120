import { InputError } from '@backstage/errors';
import { FIELD_RULES, checkRuledFields } from './inputFields';

describe('FIELD_RULES', () => {
  it.each([
    ['stackName', 'payments-dev', true],
    ['stackName', 'Payments2', true],
    ['stackName', '2payments', false],
    ['stackName', 'payments_dev', false],
    ['stackName', `a${'b'.repeat(127)}`, true],
    ['stackName', `a${'b'.repeat(128)}`, false],
    ['entityRef', 'component:default/payments', true],
    ['entityRef', 'payments', false],
    ['region', 'eu-west-1', true],
    ['region', 'us-gov-west-1', true],
    ['region', 'europe', false],
    ['accountId', '123456789012', true],
    ['accountId', '12345678901', false],
    ['roleArn', 'arn:aws:iam::123456789012:role/deployer', true],
    ['roleArn', 'arn:aws:iam::123456789012:user/deployer', false],
    ['logicalId', 'DatabaseInstance', true],
    ['logicalId', 'Database-Instance', false],
  ] as const)('%s %j → %s', (rule, value, valid) => {
    expect(FIELD_RULES[rule].pattern.test(value)).toBe(valid);
  });

  it('says each rule in words, never as a regular expression', () => {
    for (const { message } of Object.values(FIELD_RULES)) {
      expect(message).not.toMatch(/[\^$\\[\]]/);
    }
  });
});

describe('checkRuledFields', () => {
  const rules = { stackName: 'stackName', accountId: 'accountId' } as const;

  it('accepts good values and fields left out', () => {
    expect(() =>
      checkRuledFields(
        'aws:cloudformation:deploy',
        { stackName: 'a-b' },
        rules,
      ),
    ).not.toThrow();
  });

  it('names every bad field at once, in words', () => {
    const check = () =>
      checkRuledFields(
        'aws:cloudformation:deploy',
        { stackName: 'payments_dev', accountId: '42' },
        rules,
      );
    expect(check).toThrow(InputError);
    expect(check).toThrow(
      'Invalid input for aws:cloudformation:deploy: stackName "payments_dev" must start with a letter and hold only ' +
        'letters, digits and hyphens, at most 128 characters (a CloudFormation stack name); ' +
        'accountId "42" must be an AWS account id: 12 digits.',
    );
  });

  it('checks each item of a list', () => {
    expect(() =>
      checkRuledFields(
        'aws:cloudformation:delete',
        { retainResources: ['Bucket', 'Log-Group'] },
        { retainResources: 'logicalId' },
      ),
    ).toThrow(/retainResources "Log-Group" must be a logical resource id/);
  });
});
