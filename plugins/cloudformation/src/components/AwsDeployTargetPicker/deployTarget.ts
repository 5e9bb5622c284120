import { ApiHolder } from '@backstage/frontend-plugin-api';
import {
  CloudFormationDeployAccount,
  CloudFormationDeployTargets,
} from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef } from '../../api';

/**
 * The value of the `AwsDeployTargetPicker` field: where `aws:cloudformation:deploy` deploys, e.g.
 * `region: ${{ parameters.deployTarget.region }}`.
 *
 * @public
 */
export interface AwsDeployTarget {
  /** 12 digits, one of `aws.cloudformation.allowedAccountIds`. */
  accountId: string;
  /** One of the allowed regions. */
  region: string;
}

/** While the developer has not chosen yet, either part may be missing. */
export type AwsDeployTargetDraft = Partial<AwsDeployTarget> | undefined;

const ACCOUNT_ID = /^\d{12}$/;

/** How an account is shown: its label next to the id, so both can be searched and verified. */
export function accountName(account: CloudFormationDeployAccount): string {
  return account.label
    ? `${account.label} (${account.accountId})`
    : account.accountId;
}

/** Platform-side gaps that no choice of the developer can fix; empty when deploys are possible. */
export function missingAllowlist(
  targets: CloudFormationDeployTargets,
): string[] {
  return [
    ...(targets.accounts.length === 0
      ? ['aws.cloudformation.allowedAccountIds']
      : []),
    ...(targets.regions.length === 0
      ? [
          'aws.cloudformation.allowedRegions (or aws.cloudformation.defaultRegion)',
        ]
      : []),
  ];
}

/**
 * What is wrong with a deploy target, as messages for the developer; empty when it is valid.
 * The same rules as the deploy action, so a form that passes is not refused later.
 */
export function deployTargetProblems(
  value: AwsDeployTargetDraft,
  targets: CloudFormationDeployTargets,
): string[] {
  const missing = missingAllowlist(targets);
  if (missing.length > 0) {
    return [
      `Deploys are not configured in this portal: ask a platform engineer to set ${missing.join(' and ')}.`,
    ];
  }
  const problems: string[] = [];
  const accountIds = targets.accounts.map(account => account.accountId);
  if (!value?.accountId) {
    problems.push('Choose the AWS account to deploy to.');
  } else if (!ACCOUNT_ID.test(value.accountId)) {
    problems.push(`AWS account id "${value.accountId}" must be 12 digits.`);
  } else if (!accountIds.includes(value.accountId)) {
    problems.push(
      `AWS account ${value.accountId} is not allowed for deploys; choose one of ${accountIds.join(', ')}.`,
    );
  }
  if (!value?.region) {
    problems.push('Choose the AWS region to deploy to.');
  } else if (!targets.regions.includes(value.region)) {
    problems.push(
      `Region ${value.region} is not allowed for deploys; choose one of ${targets.regions.join(', ')}.`,
    );
  }
  return problems;
}

/**
 * The value the field should hold once the allowlist is known: the current choice where it is
 * allowed, else the only account, the default region or the only region. Where the allowlist
 * leaves several choices, a value outside it (e.g. a template default meant for another portal)
 * stays, so the validation names it and the developer picks one deliberately.
 */
export function settledDeployTarget(
  value: AwsDeployTargetDraft,
  targets: CloudFormationDeployTargets,
): Partial<AwsDeployTarget> {
  const accountIds = targets.accounts.map(account => account.accountId);
  const accountId =
    value?.accountId && accountIds.includes(value.accountId)
      ? value.accountId
      : accountIds.length === 1
        ? accountIds[0]
        : value?.accountId;
  const region =
    value?.region && targets.regions.includes(value.region)
      ? value.region
      : (targets.defaultRegion ??
        (targets.regions.length === 1 ? targets.regions[0] : value?.region));
  return { ...(accountId ? { accountId } : {}), ...(region ? { region } : {}) };
}

/**
 * The field's validation, run by the scaffolder when the developer leaves the form's page: checks
 * the value against the allowlist the backend answers at that moment.
 */
export async function validateAwsDeployTarget(
  value: AwsDeployTargetDraft,
  validation: { addError: (message: string) => void },
  context: { apiHolder: ApiHolder },
): Promise<void> {
  const api = context.apiHolder.get(cloudFormationApiRef);
  if (!api) {
    validation.addError(
      'The CloudFormation API is missing: add @golden-path/plugin-cloudformation to the app.',
    );
    return;
  }
  let targets: CloudFormationDeployTargets;
  try {
    targets = await api.getDeployTargets();
  } catch (error) {
    validation.addError(
      `Could not load the allowed AWS accounts and regions: ${(error as Error).message}`,
    );
    return;
  }
  for (const problem of deployTargetProblems(value, targets))
    validation.addError(problem);
}
