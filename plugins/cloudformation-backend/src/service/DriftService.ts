import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CloudFormationStackDrift } from '@golden-path/plugin-cloudformation-common';
import {
  accountOfArn,
  AwsCloudFormationAllowlist,
  readAwsCloudFormationAllowlist,
} from '@golden-path/plugin-cloudformation-node';
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

/** Drift changes only when someone runs a detection, which refreshes the cache itself. */
const DRIFT_TTL_MS = 30_000;

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
  private readonly reads = new SingleFlight<DriftResult>();
  private readonly detections = new SingleFlight<DriftResult>();

  constructor(
    private readonly options: {
      config: Config;
      clients: AwsClientPool;
      cache: CacheService;
      logger: LoggerService;
      /** How often a running detection is polled, and for how long at most. */
      detection?: { pollMs: number; timeoutMs: number };
    },
  ) {
    this.allowlist = readAwsCloudFormationAllowlist(options.config);
  }

  async getDrift(location: StackLocation): Promise<DriftResult> {
    const target = resolveTarget(location, this.allowlist);
    if ('status' in target) return target;
    const key = cacheKey(target);
    const cached = await this.options.cache.get<string>(key);
    if (cached) return JSON.parse(cached);
    return this.reads.run(key, () =>
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
    await this.options.cache.set(cacheKey(target), JSON.stringify(answer), {
      ttl: DRIFT_TTL_MS,
    });
    return answer;
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
