/** What a secret value is replaced with in logs, outputs and error messages. */
export const MASK = '****';

// Keys that hold a secret ("DbPassword", "GithubToken", "ApiKey").
const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|credential|signing[-_]?key/i;
// Keys that only point at or describe a secret ("DbSecretArn", "TokenUrl", "PasswordLength") are safe to show.
const SECRET_REFERENCE_KEY =
  /(arn|name|id|url|uri|path|ref|length|days|hours|enabled|type|schedule|version)$/i;

// Credentials recognisable inside any text.
const CREDENTIAL_PATTERNS = [
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, // PEM private key
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g, // GitHub token
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack token
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, // JWT
];
// The password of credentials inside a URL (`postgres://user:password@host`).
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+@/gi;
// A whole value shaped like an AWS secret access key (too ambiguous to look for inside text).
const AWS_SECRET_ACCESS_KEY =
  /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z0-9/+]{40}$/;

/** Whether a parameter or output named `key` holds a secret. */
export function isSecretLookingKey(key: string): boolean {
  return SECRET_KEY.test(key) && !SECRET_REFERENCE_KEY.test(key);
}

/** Whether a value looks like a credential whatever its name. */
export function isSecretLookingValue(value: string): boolean {
  return (
    AWS_SECRET_ACCESS_KEY.test(value) ||
    new RegExp(URL_PASSWORD.source, 'i').test(value) ||
    CREDENTIAL_PATTERNS.some(pattern => new RegExp(pattern.source).test(value))
  );
}

/**
 * The parameter values that must never be shown: those of `NoEcho` parameters and
 * anything secret-looking by name or by value.
 */
export function secretParameterValues(
  parameters: Record<string, string>,
  noEchoKeys: Iterable<string>,
): string[] {
  const noEcho = new Set(noEchoKeys);
  return Object.entries(parameters)
    .filter(
      ([key, value]) =>
        noEcho.has(key) ||
        isSecretLookingKey(key) ||
        isSecretLookingValue(value),
    )
    .map(([, value]) => value)
    .filter(value => value.length > 0);
}

/** Parameters as they may be shown: secret values replaced by {@link MASK}. */
export function maskParameters(
  parameters: Record<string, string>,
  noEchoKeys: Iterable<string>,
): Record<string, string> {
  const secrets = new Set(secretParameterValues(parameters, noEchoKeys));
  return Object.fromEntries(
    Object.entries(parameters).map(([key, value]) => [
      key,
      secrets.has(value) ? MASK : value,
    ]),
  );
}

/**
 * Returns a function that masks every known secret value, and anything shaped like a
 * credential, in a text about to be logged, output or thrown.
 */
export function createRedactor(
  secretValues: Iterable<string>,
): (text: string) => string {
  // Longest first so a secret containing another one is masked whole.
  const values = [...new Set(secretValues)]
    .filter(value => value.length >= 3)
    .sort((a, b) => b.length - a.length);
  const known = values.length
    ? new RegExp(values.map(escapeRegExp).join('|'), 'g')
    : undefined;
  return text => {
    let redacted = known ? text.replace(known, MASK) : text;
    for (const pattern of CREDENTIAL_PATTERNS) {
      redacted = redacted.replace(pattern, MASK);
    }
    return redacted.replace(URL_PASSWORD, `$1${MASK}@`);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
