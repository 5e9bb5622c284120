function isNamed(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

/** CloudFormation reports a missing stack as a generic ValidationError. */
export function isStackMissing(error: unknown): boolean {
  return (
    isNamed(error, 'ValidationError') &&
    /does not exist/.test((error as Error).message)
  );
}

/** No credentials or no integration for the account: nothing was sent to CloudFormation. */
export function isMissingCredentials(error: unknown): boolean {
  return (
    isNamed(error, 'CredentialsProviderError') ||
    // DefaultAwsCredentialsManager's plain Error when aws.accounts has no entry for the account.
    (error instanceof Error &&
      error.message.startsWith('There is no AWS integration that matches'))
  );
}

/** AWS rejected the credentials (unknown, expired, not allowed to assume the role) or the action. */
export function isAccessDenied(error: unknown): boolean {
  return isNamed(
    error,
    'AccessDenied',
    'AccessDeniedException',
    'UnauthorizedOperation',
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'SignatureDoesNotMatch',
    'IncompleteSignature',
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidIdentityToken',
  );
}
