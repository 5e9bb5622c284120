import type { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { readAwsCloudFormationAllowlist } from '@golden-path/plugin-cloudformation-node';

/** The account and region a delete goes to: the inputs, else the allowlist's defaults, refused outside it. */
export function resolveDeleteTarget(
  config: Config,
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
      `Stacks in region ${region} may not be deleted from this portal: ` +
        (regions.length > 0
          ? `the allowed regions are ${regions.join(', ')} (aws.cloudformation.allowedRegions).`
          : 'configure aws.cloudformation.allowedRegions.'),
    );
  }
  if (accountIds.length === 0) {
    throw new NotAllowedError(
      'Deletes are refused: aws.cloudformation.allowedAccountIds is not configured.',
    );
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
      `Stacks in account ${accountId} may not be deleted from this portal: the allowed accounts are ${accountIds.join(', ')} (aws.cloudformation.allowedAccountIds).`,
    );
  }
  return { region, accountId };
}
