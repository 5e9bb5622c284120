import { Config } from '@backstage/config';
import { CloudFormationDeployTargets } from '@golden-path/plugin-cloudformation-common';
import { readAwsCloudFormationAllowlist } from '@golden-path/plugin-cloudformation-node';

/**
 * Where `aws:cloudformation:deploy` accepts deploys, read from the same keys with the same
 * semantics: no allowed accounts refuses every deploy, and an empty `allowedRegions` leaves only
 * `defaultRegion`. Read per call, so a reloaded app-config is answered at once.
 */
export function readDeployTargets(config: Config): CloudFormationDeployTargets {
  const { accountIds, regions, defaultRegion } =
    readAwsCloudFormationAllowlist(config);
  const labels = new Map(
    (
      config.getOptionalConfigArray('aws.cloudformation.accountLabels') ?? []
    ).map(entry => [entry.getString('accountId'), entry.getString('label')]),
  );

  return {
    accounts: accountIds.map(accountId => {
      const label = labels.get(accountId);
      return label ? { accountId, label } : { accountId };
    }),
    regions,
    ...(defaultRegion && regions.includes(defaultRegion)
      ? { defaultRegion }
      : {}),
  };
}
