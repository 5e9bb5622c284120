import { Config } from '@backstage/config';

/** Where this portal may deploy stacks and read them, from `aws.cloudformation` (see config.d.ts). */
export interface AwsCloudFormationAllowlist {
  /** `allowedAccountIds`; empty means no account is allowed. */
  accountIds: string[];
  /** `allowedRegions`, or only `defaultRegion` when that list is missing or empty. */
  regions: string[];
  defaultRegion?: string;
}

/**
 * The allowlist as every part reads it (the deploy action, the stack card, the form's picker), so a
 * region or account the deploy refuses is refused everywhere.
 */
export function readAwsCloudFormationAllowlist(
  config: Config,
): AwsCloudFormationAllowlist {
  const settings = config.getOptionalConfig('aws.cloudformation');
  const allowedRegions =
    settings?.getOptionalStringArray('allowedRegions') ?? [];
  const defaultRegion = settings?.getOptionalString('defaultRegion');
  return {
    accountIds: settings?.getOptionalStringArray('allowedAccountIds') ?? [],
    regions:
      allowedRegions.length > 0
        ? allowedRegions
        : defaultRegion
          ? [defaultRegion]
          : [],
    ...(defaultRegion ? { defaultRegion } : {}),
  };
}
