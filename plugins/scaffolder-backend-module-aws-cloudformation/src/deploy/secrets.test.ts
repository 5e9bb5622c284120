import {
  MASK,
  createRedactor,
  isSecretLookingKey,
  isSecretLookingValue,
  maskParameters,
  secretParameterValues,
} from './secrets';

describe('secrets', () => {
  it.each([
    'DbPassword',
    'MasterUserPassword',
    'GithubToken',
    'ApiKey',
    'api_key',
    'ClientSecret',
    'PrivateKey',
    'Credentials',
  ])('treats %s as a secret', key =>
    expect(isSecretLookingKey(key)).toBe(true),
  );

  it.each([
    'DbSecretArn',
    'SecretName',
    'TokenUrl',
    'PasswordLength',
    'RotationDays',
    'ContainerImage',
    'Env',
  ])('shows %s', key => expect(isSecretLookingKey(key)).toBe(false));

  it.each([
    'AKIAIOSFODNN7EXAMPLE',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB',
    'postgres://app:hunter2@db.internal:5432/app',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  ])('recognises %s as a credential', value =>
    expect(isSecretLookingValue(value)).toBe(true),
  );

  it.each([
    'eu-west-1',
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.2.3',
    'https://example.com/path',
    'arn:aws:iam::123456789012:role/x',
  ])('does not mistake %s for a credential', value =>
    expect(isSecretLookingValue(value)).toBe(false),
  );

  it('masks NoEcho and secret-looking parameters only', () => {
    const parameters = {
      Env: 'prod',
      DbPassword: 'hunter2!',
      Opaque: 'abc123',
      Key: 'AKIAIOSFODNN7EXAMPLE',
    };

    expect(maskParameters(parameters, ['Opaque'])).toEqual({
      Env: 'prod',
      DbPassword: MASK,
      Opaque: MASK,
      Key: MASK,
    });
    expect(secretParameterValues(parameters, ['Opaque']).sort()).toEqual([
      'AKIAIOSFODNN7EXAMPLE',
      'abc123',
      'hunter2!',
    ]);
  });

  it('redacts known secret values and credential shapes anywhere in a text', () => {
    const redact = createRedactor(['hunter2!', 'hunter2!-longer']);

    expect(
      redact(
        "bad value 'hunter2!-longer' and hunter2! (key AKIAIOSFODNN7EXAMPLE, url mysql://u:pw@h/db)",
      ),
    ).toBe("bad value '****' and **** (key ****, url mysql://u:****@h/db)");
    expect(createRedactor([])('nothing to hide')).toBe('nothing to hide');
  });
});
