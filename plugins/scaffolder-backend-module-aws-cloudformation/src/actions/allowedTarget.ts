import type { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { readAwsCloudFormationAllowlist } from '@golden-path/plugin-cloudformation-node';

/** How a refusal reads for the operation asking (deploy or delete). */
export type TargetRefusals = {
  region: (region: string) => string;
  account: (accountId: string) => string;
  /** When no account is allowed at all. */
  noAccounts: string;
  /** What to configure when no region is allowed. */
  noRegions: string;
};

export const DEPLOY_REFUSALS: TargetRefusals = {
  region: region => `Deploys to region ${region} are not allowed`,
  account: accountId => `Deploys to account ${accountId} are not allowed`,
  noAccounts:
    'Deploys are refused: aws.cloudformation.allowedAccountIds is not configured. List the AWS account ids this portal may deploy to.',
  noRegions:
    'configure aws.cloudformation.allowedRegions or aws.cloudformation.defaultRegion.',
};

export const DELETE_REFUSALS: TargetRefusals = {
  region: region =>
    `Stacks in region ${region} may not be deleted from this portal`,
  account: accountId =>
    `Stacks in account ${accountId} may not be deleted from this portal`,
  noAccounts:
    'Deletes are refused: aws.cloudformation.allowedAccountIds is not configured.',
  noRegions: 'configure aws.cloudformation.allowedRegions.',
};

/**
 * The account and region an action goes to: the inputs, else the allowlist's defaults (the only
 * allowed account, the default region), refused outside the allowlist before any AWS call.
 */
export function resolveAllowedTarget(
  config: Config,
  refusals: TargetRefusals,
  inputRegion?: string,
  inputAccountId?: string,
): { region: string; accountId: string } {
  const { accountIds, regions, defaultRegion } =
    readAwsCloudFormationAllowlist(config);

  const region = inputRegion ?? defaultRegion;
  if (!region) {
    throw new InputError(
      'region: none given, and aws.cloudformation.defaultRegion is not configured.',
    );
  }
  if (!regions.includes(region)) {
    throw new NotAllowedError(
      `${refusals.region(region)}: ` +
        (regions.length > 0
          ? `the allowed regions are ${regions.join(', ')} (aws.cloudformation.allowedRegions).`
          : refusals.noRegions),
    );
  }
  if (accountIds.length === 0) {
    throw new NotAllowedError(refusals.noAccounts);
  }
  const accountId =
    inputAccountId ?? (accountIds.length === 1 ? accountIds[0] : undefined);
  if (!accountId) {
    throw new InputError(
      `accountId: required, since several accounts are allowed (${accountIds.join(', ')}).`,
    );
  }
  if (!accountIds.includes(accountId)) {
    throw new NotAllowedError(
      `${refusals.account(accountId)}: the allowed accounts are ${accountIds.join(', ')} (aws.cloudformation.allowedAccountIds).`,
    );
  }
  return { region, accountId };
}
