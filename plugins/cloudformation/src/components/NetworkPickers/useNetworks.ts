import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { AwsNetworkListing } from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef } from '../../api';
import {
  AwsDeployTargetDraft,
  settledDeployTarget,
} from '../AwsDeployTargetPicker/deployTarget';

/** The form field holding the deploy target, when the template does not name another. */
export const DEFAULT_DEPLOY_TARGET_FIELD = 'deployTarget';

export type NetworkState =
  | { state: 'loading' }
  | {
      state: 'listed';
      listing: Extract<AwsNetworkListing, { status: 'available' }>;
      where: string;
    }
  | { state: 'typed'; reason: string };

/**
 * The VPCs and subnets where the stack will be deployed: the form's deploy target when it has one,
 * else the allowlist's own choice (its only account and its default region), since the Network page
 * comes before the Deployment page. Anything that cannot be listed becomes a reason to type ids.
 */
export function useNetworks(
  formData: Record<string, unknown> | undefined,
  deployTargetField?: string,
): NetworkState {
  const api = useApi(cloudFormationApiRef);
  const chosen = formData?.[
    deployTargetField ?? DEFAULT_DEPLOY_TARGET_FIELD
  ] as AwsDeployTargetDraft;
  const [state, setState] = useState<NetworkState>({ state: 'loading' });
  const chosenKey = `${chosen?.accountId ?? ''}/${chosen?.region ?? ''}`;

  useEffect(() => {
    let current = true;
    (async () => {
      const [accountId, region] = chosenKey.split('/');
      const draft = {
        ...(accountId ? { accountId } : {}),
        ...(region ? { region } : {}),
      };
      const target = settledDeployTarget(draft, await api.getDeployTargets());
      if (!target.region) {
        return {
          state: 'typed',
          reason:
            'Choose the account and region on the Deployment page to list their VPCs; type the ids meanwhile.',
        } as const;
      }
      const listing = await api.listNetworks({
        accountId: target.accountId,
        region: target.region,
      });
      const where = `${target.region}${target.accountId ? ` of account ${target.accountId}` : ''}`;
      return listing.status === 'available'
        ? ({ state: 'listed', listing, where } as const)
        : ({ state: 'typed', reason: listing.message } as const);
    })().then(
      next => current && setState(next),
      error =>
        current &&
        setState({
          state: 'typed',
          reason: `Could not list the VPCs: ${(error as Error).message}. Type the ids.`,
        }),
    );
    return () => {
      current = false;
    };
  }, [api, chosenKey]);
  return state;
}
