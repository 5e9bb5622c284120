import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DetectStackDriftCommand,
  paginateDescribeStackResourceDrifts,
  PropertyDifference,
  StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import {
  CloudFormationResourceDrift,
  CloudFormationStackDrift,
} from '@golden-path/plugin-cloudformation-common';
import { throwIfEndpointFailure } from '../endpointErrors';
import { describeStack, StackNotFoundError } from '../readStack';

export const MASK = '****';
/** Property names whose values may be credentials: shown as `****` on both sides. */
const SENSITIVE_PATH =
  /pass(word|phrase)?|secret|token|credential|private[-_]?key|api[-_]?key|auth/i;
/** Whole resource types whose properties are secret material. */
const SENSITIVE_TYPES = new Set([
  'AWS::SecretsManager::Secret',
  'AWS::SSM::Parameter',
  'AWS::IAM::AccessKey',
]);

/** The stack's last drift status and each resource's (DescribeStacks, DescribeStackResourceDrifts). */
export async function readDrift(
  client: CloudFormationClient,
  stackName: string,
): Promise<CloudFormationStackDrift & { stackId: string }> {
  const stack = await describeStack(client, stackName);
  if (!stack.StackId)
    throw new StackNotFoundError(`Stack ${stackName} does not exist`);
  const status = stack.DriftInformation?.StackDriftStatus ?? 'NOT_CHECKED';
  const resources: CloudFormationResourceDrift[] = [];
  // Until a detection ran there is nothing to list, and no call is spent on it.
  if (status !== 'NOT_CHECKED') {
    try {
      for await (const page of paginateDescribeStackResourceDrifts(
        { client },
        { StackName: stack.StackId },
      )) {
        resources.push(
          ...(page.StackResourceDrifts ?? []).map(toResourceDrift),
        );
      }
    } catch (error) {
      throwIfEndpointFailure('DescribeStackResourceDrifts', stackName, error);
      throw error;
    }
  }
  return {
    stackId: stack.StackId,
    stackName: stack.StackName ?? stackName,
    status,
    checkedAt: stack.DriftInformation?.LastCheckTimestamp?.toISOString(),
    resources,
  };
}

/**
 * Starts a drift detection and waits for its end (DetectStackDrift, then
 * DescribeStackDriftDetectionStatus every `pollMs`), bounded by `timeoutMs`.
 */
export async function detectDrift(
  client: CloudFormationClient,
  stackId: string,
  options: { pollMs: number; timeoutMs: number },
): Promise<NonNullable<CloudFormationStackDrift['detection']>> {
  let id: string | undefined;
  try {
    ({ StackDriftDetectionId: id } = await client.send(
      new DetectStackDriftCommand({ StackName: stackId }),
    ));
  } catch (error) {
    throwIfEndpointFailure('DetectStackDrift', stackId, error);
    throw error;
  }
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const status = await client.send(
      new DescribeStackDriftDetectionStatusCommand({
        StackDriftDetectionId: id,
      }),
    );
    const done = status.DetectionStatus !== 'DETECTION_IN_PROGRESS';
    if (done || Date.now() + options.pollMs > deadline) {
      return {
        id: id!,
        status: status.DetectionStatus ?? 'DETECTION_IN_PROGRESS',
        reason: status.DetectionStatusReason,
        driftedResources: status.DriftedStackResourceCount,
      };
    }
    await new Promise(resolve => setTimeout(resolve, options.pollMs));
  }
}

function toResourceDrift(
  drift: StackResourceDrift,
): CloudFormationResourceDrift {
  const sensitiveType = SENSITIVE_TYPES.has(drift.ResourceType ?? '');
  return {
    logicalId: drift.LogicalResourceId!,
    physicalId: drift.PhysicalResourceId,
    type: drift.ResourceType!,
    status: drift.StackResourceDriftStatus ?? 'UNKNOWN',
    checkedAt: drift.Timestamp?.toISOString(),
    differences: (drift.PropertyDifferences ?? []).map(difference =>
      maskDifference(difference, sensitiveType),
    ),
  };
}

/** Drift results carry live property values: anything that may be a credential is masked. */
export function maskDifference(
  difference: PropertyDifference,
  sensitiveType: boolean,
) {
  const mask =
    sensitiveType || SENSITIVE_PATH.test(difference.PropertyPath ?? '');
  const shown = (value: string | undefined) =>
    value === undefined ? undefined : mask ? MASK : value;
  return {
    path: difference.PropertyPath ?? '',
    type: difference.DifferenceType ?? 'NOT_EQUAL',
    expected: shown(difference.ExpectedValue),
    actual: shown(difference.ActualValue),
  };
}
