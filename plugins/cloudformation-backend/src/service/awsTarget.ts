import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { ANNOTATION_CLOUDFORMATION_REGION } from '@golden-path/plugin-cloudformation-common';
import { AwsCloudFormationAllowlist } from '@golden-path/plugin-cloudformation-node';
import { StackLocation } from './stackLocation';

/** Why a stack's AWS account cannot be read, before or without any AWS call. */
export interface TargetRefusal {
  status: 'unavailable';
  reason: 'not-configured' | 'not-allowed';
  message: string;
}

/** Where the stack lives once the defaults applied: region and (when annotated) account. */
export interface AwsTarget {
  stackName: string;
  region: string;
  accountId?: string;
}

/** The stack's region and account, or why the allowlist or the config refuses them. */
export function resolveTarget(
  location: StackLocation,
  allowlist: AwsCloudFormationAllowlist,
): AwsTarget | TargetRefusal {
  const { stackName, accountId } = location;
  const region = location.region ?? allowlist.defaultRegion;
  if (!region) {
    return {
      status: 'unavailable',
      reason: 'not-configured',
      message:
        `No region for stack ${stackName}: add the ${ANNOTATION_CLOUDFORMATION_REGION} annotation to the entity ` +
        'or set aws.cloudformation.defaultRegion in the app-config.',
    };
  }
  return (
    refuseOutsideAllowlist(allowlist, region, accountId) ?? {
      stackName,
      region,
      accountId,
    }
  );
}

/** The allowlist check the stack card applies, also to the account a stack ARN reveals. */
export function refuseOutsideAllowlist(
  allowlist: AwsCloudFormationAllowlist,
  region: string,
  accountId: string | undefined,
): TargetRefusal | undefined {
  if (!allowlist.regions.includes(region)) {
    return {
      status: 'unavailable',
      reason: 'not-allowed',
      message: `Region ${region} is not in aws.cloudformation.allowedRegions; add it there to show its stacks.`,
    };
  }
  if (accountId && !allowlist.accountIds.includes(accountId)) {
    return {
      status: 'unavailable',
      reason: 'not-allowed',
      message: `AWS account ${accountId} is not in aws.cloudformation.allowedAccountIds; add it there to show its stacks.`,
    };
  }
  return undefined;
}

/** The SDK clients one stack's views need, sharing one credential provider. */
export interface AwsClients {
  cloudFormation: CloudFormationClient;
  secretsManager: SecretsManagerClient;
  ecs: ECSClient;
  cloudTrail: CloudTrailClient;
}

/**
 * One set of clients per account and region, so connections and the SDK's retry quotas are
 * shared by every request. No `endpoint` is passed: the SDK honours AWS_ENDPOINT_URL and the
 * per-service AWS_ENDPOINT_URL_<SERVICE> variables itself.
 */
export class AwsClientPool {
  private readonly pool = new Map<string, Promise<AwsClients>>();

  constructor(private readonly credentialsManager: AwsCredentialsManager) {}

  clientsFor(
    target: Pick<AwsTarget, 'region' | 'accountId'>,
  ): Promise<AwsClients> {
    const key = `${target.accountId ?? 'main'}:${target.region}`;
    let clients = this.pool.get(key);
    if (!clients) {
      clients = this.credentialsManager
        .getCredentialProvider({ accountId: target.accountId })
        .then(({ sdkCredentialProvider }) => {
          const options = {
            region: target.region,
            credentials: sdkCredentialProvider,
          };
          return {
            cloudFormation: new CloudFormationClient(options),
            secretsManager: new SecretsManagerClient(options),
            ecs: new ECSClient(options),
            cloudTrail: new CloudTrailClient(options),
          };
        });
      // A failed lookup (e.g. an account missing from the config) is retried on the next request.
      clients.catch(() => this.pool.delete(key));
      this.pool.set(key, clients);
    }
    return clients;
  }
}

/**
 * Runs `load` once per key at a time: concurrent cold requests (many tabs polling one entity)
 * share one AWS read instead of each missing the cache.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    let running = this.inFlight.get(key);
    if (!running) {
      running = load().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }
}
