import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  CloudFormationSecret,
  CloudFormationSecretsAnswer,
} from '@golden-path/plugin-cloudformation-common';
import {
  AwsCloudFormationAllowlist,
  parseArn,
  readAwsCloudFormationAllowlist,
} from '@golden-path/plugin-cloudformation-node';
import { AnswerCache } from './answerCache';
import {
  AwsClientPool,
  AwsTarget,
  refuseOutsideAllowlist,
  resolveTarget,
} from './awsTarget';
import { describeSecret } from './secrets/describeSecret';
import {
  groupReaders,
  KnownPrincipals,
  lastRotationResult,
  namesSecret,
  readTrail,
} from './secrets/readers';
import { freshnessOf, readServiceTasks } from './secrets/serviceTasks';
import { readStackSecretFacts } from './secrets/stackSecrets';
import { explainStackReadFailure } from './stackReadFailure';
import { StackLocation } from './stackLocation';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The secrets of an entity's stack — KMS key, rotation, whether running tasks hold the current
 * version, who read them — with the AWS integration's credentials, within the allowlist, cached
 * per stack and window (never per caller: authorize the entity first). Never reads a secret value.
 */
export class SecretsService {
  private readonly allowlist: AwsCloudFormationAllowlist;
  private readonly answers: AnswerCache<CloudFormationSecretsAnswer>;

  constructor(
    private readonly options: {
      config: Config;
      clients: AwsClientPool;
      cache: CacheService;
      logger: LoggerService;
      /**
       * How long an answer is kept (`cloudformation.cache.secretsSeconds`), and one with a
       * throttled part (`secretsDegradedSeconds`).
       */
      lifetimes: { secretsMs: number; secretsDegradedMs: number };
      /** For tests: the clock the CloudTrail window ends at. */
      now?: () => Date;
    },
  ) {
    this.allowlist = readAwsCloudFormationAllowlist(options.config);
    const { secretsMs, secretsDegradedMs } = options.lifetimes;
    this.answers = new AnswerCache({
      cache: options.cache,
      lifetimeMs: answer =>
        isDegraded(answer) ? secretsDegradedMs : secretsMs,
    });
  }

  async getSecrets(
    location: StackLocation,
    windowDays: number,
  ): Promise<CloudFormationSecretsAnswer> {
    const target = resolveTarget(location, this.allowlist);
    if ('status' in target) return target;
    const cacheKey = `secrets:${target.accountId ?? 'main'}:${target.region}:${target.stackName}:${windowDays}`;
    return this.answers.get(cacheKey, async () =>
      this.answers.store(cacheKey, await this.read(target, windowDays)),
    );
  }

  private async read(
    target: AwsTarget,
    windowDays: number,
  ): Promise<CloudFormationSecretsAnswer> {
    const { stackName, region } = target;
    try {
      const clients = await this.options.clients.clientsFor(target);
      const facts = await readStackSecretFacts(
        clients.cloudFormation,
        stackName,
      );
      // The stack's ARN tells the account the credentials really reached, annotated or not.
      const refusal = refuseOutsideAllowlist(
        this.allowlist,
        region,
        facts.accountId,
      );
      if (refusal) return refusal;

      const end = (this.options.now ?? (() => new Date()))();
      const window = {
        start: new Date(end.getTime() - windowDays * DAY_MS),
        end,
      };
      const [details, tasks, trail] = await Promise.all([
        Promise.all(
          facts.secrets.map(secret =>
            describeSecret(clients.secretsManager, secret.arn),
          ),
        ),
        facts.ecsServices[0]
          ? readServiceTasks(clients.ecs, facts.ecsServices[0])
          : undefined,
        facts.secrets.length
          ? readTrail(clients.cloudTrail, window)
          : undefined,
      ]);

      const stackRole = (pattern: RegExp) =>
        facts.roles.find(role => pattern.test(role.logicalId))?.roleName;
      const ecsRoles = tasks && !('status' in tasks) ? tasks : undefined;
      const secrets = facts.secrets.map((ref, index): CloudFormationSecret => {
        const detail = details[index];
        const name = detail.status === 'available' ? detail.name : undefined;
        const known: KnownPrincipals = {
          executionRoleName:
            ecsRoles?.executionRoleName ?? stackRole(/execution/i),
          taskRoleName: ecsRoles?.taskRoleName ?? stackRole(/taskrole/i),
          rotationFunctionName:
            detail.status === 'available'
              ? parseArn(detail.rotation.functionArn)?.resource.split(':')[1]
              : undefined,
        };
        let readers: CloudFormationSecret['readers'] = {
          status: 'available',
          readers: [],
          truncated: false,
        };
        if (trail && 'status' in trail) readers = trail;
        else if (trail) {
          const mine = { arn: ref.arn, name };
          readers = {
            status: 'available',
            readers: groupReaders(
              trail.reads.filter(read => namesSecret(read, mine)),
              known,
            ),
            truncated: trail.truncated,
          };
          if (detail.status === 'available') {
            detail.rotation.lastResult = lastRotationResult(
              trail.rotations.filter(event => namesSecret(event, mine)),
            );
          }
        }
        return {
          arn: ref.arn,
          source: ref.source,
          details: detail,
          tasks: freshnessOf(
            tasks,
            detail.status === 'available'
              ? detail.rotation.lastRotatedAt
              : undefined,
          ),
          readers,
        };
      });
      return {
        status: 'available',
        retrievedAt: new Date().toISOString(),
        windowDays,
        secrets,
      };
    } catch (error) {
      return explainStackReadFailure(error, target, {
        logger: this.options.logger,
        doing: 'reading',
        allow: 'cloudformation:DescribeStacks and ListStackResources on it.',
      });
    }
  }
}

function isDegraded(answer: CloudFormationSecretsAnswer): boolean {
  return (
    answer.status === 'available' &&
    answer.secrets.some(secret =>
      [secret.details, secret.tasks, secret.readers].some(
        part => part.status === 'unavailable' && part.reason === 'throttled',
      ),
    )
  );
}
