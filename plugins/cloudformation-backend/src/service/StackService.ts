import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  ANNOTATION_CLOUDFORMATION_REGION,
  CloudFormationStackAnswer,
  CloudFormationUnavailableReason,
  TAG_ENTITY_REF,
} from '@golden-path/plugin-cloudformation-common';
import {
  AwsCloudFormationAllowlist,
  readAwsCloudFormationAllowlist,
} from '@golden-path/plugin-cloudformation-node';
import {
  isAccessDenied,
  isMissingCredentials,
  isStackMissing,
} from './awsErrors';
import { AnswerCache } from './answerCache';
import { describeEndpointFailure } from './endpointErrors';
import { readStack } from './readStack';
import { StackLocation } from './stackLocation';
import { explainStackReadFailure } from './stackReadFailure';

/**
 * Reads stacks with the AWS integration's credentials, within the configured allowlist, and
 * caches the answers per account, region and stack — never per caller, so callers must have
 * been authorized for the entity before asking.
 */
export class StackService {
  private readonly clients = new Map<string, Promise<CloudFormationClient>>();
  private readonly allowlist: AwsCloudFormationAllowlist;
  private readonly answers: AnswerCache<CloudFormationStackAnswer>;

  constructor(
    private readonly options: {
      config: Config;
      credentialsManager: AwsCredentialsManager;
      cache: CacheService;
      logger: LoggerService;
      /**
       * How long a settled stack is kept (`cloudformation.cache.stackSeconds`), and one in
       * progress or partly unreadable (`stackInProgressSeconds`).
       */
      lifetimes: { stackMs: number; stackInProgressMs: number };
    },
  ) {
    // The node library declares these keys; the deploy action reads them with the same reader.
    this.allowlist = readAwsCloudFormationAllowlist(options.config);
    const { stackMs, stackInProgressMs } = options.lifetimes;
    this.answers = new AnswerCache({
      cache: options.cache,
      // A part that could not be read is asked for again soon, so a fixed endpoint shows at once.
      lifetimeMs: answer =>
        answer.status === 'available' &&
        (answer.stack.phase === 'in-progress' || answer.stack.unreadable)
          ? stackInProgressMs
          : stackMs,
    });
  }

  /**
   * The stack's state, or why it cannot be read. Throws NotFoundError for a missing stack and
   * ServiceUnavailableError while CloudFormation keeps throttling.
   */
  async getStack(location: StackLocation): Promise<CloudFormationStackAnswer> {
    const { stackName, accountId } = location;
    const region = location.region ?? this.allowlist.defaultRegion;
    if (!region) {
      return unavailable(
        'not-configured',
        `No region for stack ${stackName}: add the ${ANNOTATION_CLOUDFORMATION_REGION} annotation to the entity ` +
          'or set aws.cloudformation.defaultRegion in the app-config.',
      );
    }
    const refusal = this.refuse(accountId, region);
    if (refusal) return refusal;

    const cacheKey = `stack:${accountId ?? 'main'}:${region}:${stackName}`;
    return this.answers.get(cacheKey, async () =>
      this.answers.store(
        cacheKey,
        await this.read(stackName, region, accountId),
      ),
    );
  }

  /**
   * The status of a stack by name and the entity its `backstage:entity-ref` tag names, `undefined`
   * when there is none, or why it could not be asked (outside the allowlist, no credentials, denied).
   * Not cached: a name check must see a stack created a moment ago.
   */
  async findStackStatus(
    stackName: string,
    region: string,
    accountId?: string,
  ): Promise<{ status?: string; entityRef?: string } | { unchecked: string }> {
    const refusal = this.refuse(accountId, region);
    if (refusal?.status === 'unavailable')
      return { unchecked: refusal.message };
    try {
      const client = await this.clientFor(region, accountId);
      const { Stacks } = await client.send(
        new DescribeStacksCommand({ StackName: stackName }),
      );
      const entityRef = Stacks?.[0]?.Tags?.find(
        tag => tag.Key === TAG_ENTITY_REF,
      )?.Value;
      return {
        status: Stacks?.[0]?.StackStatus,
        ...(entityRef ? { entityRef } : {}),
      };
    } catch (error) {
      if (isStackMissing(error)) return {};
      this.options.logger.warn(
        `Could not check whether stack ${stackName} exists in ${region}: ${error}`,
      );
      if (isMissingCredentials(error))
        return {
          unchecked: 'Backstage has no AWS credentials for that account.',
        };
      if (isAccessDenied(error))
        return {
          unchecked:
            'AWS denied Backstage cloudformation:DescribeStacks there.',
        };
      return {
        unchecked:
          describeEndpointFailure('DescribeStacks', stackName, error) ??
          `DescribeStacks failed (${error instanceof Error ? error.name : 'unknown error'}); the backend log has the details.`,
      };
    }
  }

  private async read(
    stackName: string,
    region: string,
    accountId?: string,
  ): Promise<CloudFormationStackAnswer> {
    try {
      const client = await this.clientFor(region, accountId);
      const stack = await readStack(client, stackName, this.options.logger);
      // The stack's ARN tells the account the credentials really reached, annotated or not.
      return (
        this.refuse(stack.accountId, region) ?? {
          status: 'available',
          retrievedAt: new Date().toISOString(),
          stack,
        }
      );
    } catch (error) {
      return explainStackReadFailure(
        error,
        { stackName, region, accountId },
        {
          logger: this.options.logger,
          doing: 'reading',
          allow:
            'cloudformation:DescribeStacks, ListStackResources, DescribeStackEvents and GetTemplate on it.',
        },
      );
    }
  }

  private refuse(
    accountId: string | undefined,
    region: string,
  ): CloudFormationStackAnswer | undefined {
    if (!this.allowlist.regions.includes(region)) {
      return unavailable(
        'not-allowed',
        `Region ${region} is not in aws.cloudformation.allowedRegions; add it there to show its stacks.`,
      );
    }
    if (accountId && !this.allowlist.accountIds.includes(accountId)) {
      return unavailable(
        'not-allowed',
        `AWS account ${accountId} is not in aws.cloudformation.allowedAccountIds; add it there to show its stacks.`,
      );
    }
    return undefined;
  }

  /** One client per account and region, so connections and the SDK's retry quota are shared. */
  private clientFor(
    region: string,
    accountId?: string,
  ): Promise<CloudFormationClient> {
    const key = `${accountId ?? 'main'}:${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.options.credentialsManager
        .getCredentialProvider({ accountId })
        .then(
          // No `endpoint`: the SDK honours AWS_ENDPOINT_URL(_CLOUDFORMATION) itself.
          ({ sdkCredentialProvider }) =>
            new CloudFormationClient({
              region,
              credentials: sdkCredentialProvider,
            }),
        );
      // A failed lookup (e.g. an account missing from the config) is retried on the next request.
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }
}

function unavailable(
  reason: CloudFormationUnavailableReason,
  message: string,
): CloudFormationStackAnswer {
  return { status: 'unavailable', reason, message };
}
