import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CloudFormationStackDrift } from '@golden-path/plugin-cloudformation-common';
import {
  accountOfArn,
  AwsCloudFormationAllowlist,
  readAwsCloudFormationAllowlist,
} from '@golden-path/plugin-cloudformation-node';
import { AnswerCache } from './answerCache';
import {
  AwsClientPool,
  AwsTarget,
  refuseOutsideAllowlist,
  resolveTarget,
  SingleFlight,
  TargetRefusal,
} from './awsTarget';
import { detectDrift, readDrift } from './drift/readDrift';
import { explainStackReadFailure } from './stackReadFailure';
import { StackLocation } from './stackLocation';

export type DriftResult =
  | {
      status: 'available';
      retrievedAt: string;
      drift: CloudFormationStackDrift;
    }
  | TargetRefusal
  | { status: 'unavailable'; reason: 'access-denied'; message: string };

/**
 * The drift of an entity's stack, read (cached per stack) and detected on demand. Callers check
 * the caller's permissions first: nothing here knows who asks.
 */
export class DriftService {
  private readonly allowlist: AwsCloudFormationAllowlist;
  private readonly answers: AnswerCache<DriftResult>;
  private readonly detections = new SingleFlight<DriftResult>();

  constructor(
    private readonly options: {
      config: Config;
      clients: AwsClientPool;
      cache: CacheService;
      logger: LoggerService;
      /** How long a drift answer is kept (`cloudformation.cache.driftSeconds`). */
      lifetimeMs: number;
      /** How often a running detection is polled, and for how long at most. */
      detection?: { pollMs: number; timeoutMs: number };
    },
  ) {
    this.allowlist = readAwsCloudFormationAllowlist(options.config);
    this.answers = new AnswerCache({
      cache: options.cache,
      lifetimeMs: () => options.lifetimeMs,
    });
  }

  async getDrift(location: StackLocation): Promise<DriftResult> {
    const target = resolveTarget(location, this.allowlist);
    if ('status' in target) return target;
    // Only what was read is kept: a failure is explained again on the next request.
    return this.answers.get(cacheKey(target), () =>
      this.guard(target, 'reading the drift of', () =>
        this.readAndCache(target),
      ),
    );
  }

  /** Runs a detection; concurrent requests for the same stack share one. */
  async detect(location: StackLocation): Promise<DriftResult> {
    const target = resolveTarget(location, this.allowlist);
    if ('status' in target) return target;
    return this.detections.run(cacheKey(target), () =>
      this.guard(target, 'detecting drift of', async () => {
        const { cloudFormation } =
          await this.options.clients.clientsFor(target);
        const before = await readDrift(cloudFormation, target.stackName);
        const refusal = refuseOutsideAllowlist(
          this.allowlist,
          target.region,
          accountOfArn(before.stackId),
        );
        if (refusal) return refusal;
        const detection = await detectDrift(
          cloudFormation,
          before.stackId,
          this.options.detection ?? { pollMs: 2_000, timeoutMs: 120_000 },
        );
        const answer = await this.readAndCache(target);
        return answer.status === 'available'
          ? { ...answer, drift: { ...answer.drift, detection } }
          : answer;
      }),
    );
  }

  private async readAndCache(target: AwsTarget): Promise<DriftResult> {
    const { cloudFormation } = await this.options.clients.clientsFor(target);
    const { stackId, ...drift } = await readDrift(
      cloudFormation,
      target.stackName,
    );
    const answer = refuseOutsideAllowlist(
      this.allowlist,
      target.region,
      accountOfArn(stackId),
    ) ?? {
      status: 'available' as const,
      retrievedAt: new Date().toISOString(),
      drift,
    };
    return this.answers.store(cacheKey(target), answer);
  }

  private async guard(
    target: AwsTarget,
    doing: string,
    run: () => Promise<DriftResult>,
  ): Promise<DriftResult> {
    try {
      return await run();
    } catch (error) {
      return explainStackReadFailure(error, target, {
        logger: this.options.logger,
        doing,
        allow:
          'cloudformation:DescribeStacks and DescribeStackResourceDrifts to read drift, and DetectStackDrift, ' +
          'DescribeStackDriftDetectionStatus plus read access to every resource type of the stack to detect it.',
      });
    }
  }
}

function cacheKey(target: AwsTarget) {
  return `drift:${target.accountId ?? 'main'}:${target.region}:${target.stackName}`;
}
