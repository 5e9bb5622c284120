import { randomUUID } from 'node:crypto';
import {
  FakeCloudFormation,
  FakeCloudFormationExtension,
  FakeError,
} from './fakeCloudFormation';

/** What a drift detection of one stack finds. Resources not named are IN_SYNC. */
export type FakeDriftScenario = {
  resources?: Record<
    string,
    | {
        status: 'MODIFIED';
        differences: Array<{
          path: string;
          expected: string;
          actual: string;
          type?: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
        }>;
      }
    | { status: 'DELETED' }
  >;
  /** Time the detection takes (default 300 ms). */
  detectionMs?: number;
  /** The detection ends DETECTION_FAILED with this reason. */
  failure?: string;
};

type Detection = {
  id: string;
  stackId: string;
  readyAt: number;
  scenario: FakeDriftScenario;
  checkedAt?: Date;
};

/**
 * Drift detection on {@link FakeCloudFormation} (moto has none): DetectStackDrift,
 * DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts, and `DriftInformation` in
 * DescribeStacks. A detection takes real time and then reports what its scenario scripts.
 */
export class FakeStackDrift implements FakeCloudFormationExtension {
  private readonly scenarios = new Map<string, FakeDriftScenario>();
  private readonly detections = new Map<string, Detection>();
  /** The latest finished detection per stack id. */
  private readonly latest = new Map<string, Detection>();

  constructor(private readonly cloudFormation: FakeCloudFormation) {
    cloudFormation.extend(this);
  }

  /** What the next detections of the stack find. */
  script(stackName: string, scenario: FakeDriftScenario): void {
    this.scenarios.set(stackName, scenario);
  }

  /** How many detections were started for the stack. */
  detectionCount(stackName: string): number {
    const id = this.cloudFormation.stack(stackName)?.id;
    return [...this.detections.values()].filter(
      detection => detection.stackId === id,
    ).length;
  }

  handle(
    action: string,
    params: Record<string, unknown>,
  ): Record<string, unknown> | undefined {
    switch (action) {
      case 'DetectStackDrift':
        return this.detect(String(params.StackName));
      case 'DescribeStackDriftDetectionStatus':
        return this.status(String(params.StackDriftDetectionId));
      case 'DescribeStackResourceDrifts':
        return this.resourceDrifts(String(params.StackName));
      default:
        return undefined;
    }
  }

  describeStack(stackId: string): Record<string, unknown> {
    this.settle();
    const done = this.latest.get(stackId);
    return {
      DriftInformation: done?.checkedAt
        ? {
            StackDriftStatus: this.stackStatus(done),
            LastCheckTimestamp: done.checkedAt,
          }
        : { StackDriftStatus: 'NOT_CHECKED' },
    };
  }

  private stack(nameOrId: string) {
    const name = nameOrId.startsWith('arn:')
      ? nameOrId.split('/')[1]
      : nameOrId;
    const stack = this.cloudFormation.stack(name);
    if (!stack || (nameOrId.startsWith('arn:') && stack.id !== nameOrId)) {
      throw new FakeError(
        'ValidationError',
        `Stack with id ${nameOrId} does not exist`,
      );
    }
    return { name, ...stack };
  }

  private detect(stackName: string) {
    const stack = this.stack(stackName);
    const scenario = this.scenarios.get(stack.name) ?? {};
    const detection = {
      id: randomUUID(),
      stackId: stack.id,
      readyAt: Date.now() + (scenario.detectionMs ?? 300),
      scenario,
    };
    this.detections.set(detection.id, detection);
    return { StackDriftDetectionId: detection.id };
  }

  private status(id: string) {
    this.settle();
    const detection = this.detections.get(id);
    if (!detection)
      throw new FakeError(
        'ValidationError',
        `Drift detection ${id} does not exist`,
      );
    const base = {
      StackId: detection.stackId,
      StackDriftDetectionId: id,
      Timestamp: new Date(),
    };
    if (!detection.checkedAt)
      return { ...base, DetectionStatus: 'DETECTION_IN_PROGRESS' };
    return {
      ...base,
      DetectionStatus: detection.scenario.failure
        ? 'DETECTION_FAILED'
        : 'DETECTION_COMPLETE',
      DetectionStatusReason: detection.scenario.failure,
      StackDriftStatus: this.stackStatus(detection),
      DriftedStackResourceCount: Object.keys(detection.scenario.resources ?? {})
        .length,
    };
  }

  private resourceDrifts(stackName: string) {
    this.settle();
    const stack = this.stack(stackName);
    const done = this.latest.get(stack.id);
    if (!done) return { StackResourceDrifts: [] };
    return {
      StackResourceDrifts: stack.resources.map(resource => {
        const drift = done.scenario.resources?.[resource.logicalId];
        return {
          StackId: stack.id,
          LogicalResourceId: resource.logicalId,
          PhysicalResourceId: resource.physicalId,
          ResourceType: resource.type,
          StackResourceDriftStatus: drift?.status ?? 'IN_SYNC',
          Timestamp: done.checkedAt,
          PropertyDifferences:
            drift?.status === 'MODIFIED'
              ? drift.differences.map(difference => ({
                  PropertyPath: difference.path,
                  ExpectedValue: difference.expected,
                  ActualValue: difference.actual,
                  DifferenceType: difference.type ?? 'NOT_EQUAL',
                }))
              : undefined,
        };
      }),
    };
  }

  private stackStatus(detection: Detection) {
    if (detection.scenario.failure) return 'UNKNOWN';
    return Object.keys(detection.scenario.resources ?? {}).length
      ? 'DRIFTED'
      : 'IN_SYNC';
  }

  // Finishes the detections whose time has come.
  private settle() {
    const now = Date.now();
    for (const detection of this.detections.values()) {
      if (!detection.checkedAt && detection.readyAt <= now) {
        detection.checkedAt = new Date(detection.readyAt);
        this.latest.set(detection.stackId, detection);
      }
    }
  }
}
