import {
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { parseArn } from '@golden-path/plugin-cloudformation-node';

/** The resource type whose failures are explained by its stopped tasks. */
export const ECS_SERVICE_TYPE = 'AWS::ECS::Service';

// Few tasks tell the story; they usually all stop for the same reason.
const MAX_TASKS = 10;

/**
 * Why the tasks of a failed ECS service stopped, e.g. "ResourceInitializationError: unable
 * to pull secrets or registry auth: …" — the reason CloudFormation's "did not stabilize" or
 * "circuit breaker" message hides. Returns `undefined` when it cannot tell.
 */
export async function describeStoppedTasks(
  ecs: ECSClient,
  event: StackEvent,
): Promise<string | undefined> {
  const service = serviceOf(event);
  if (!service) {
    return undefined;
  }
  const { taskArns = [] } = await ecs.send(
    new ListTasksCommand({
      cluster: service.cluster,
      serviceName: service.name,
      desiredStatus: 'STOPPED',
      maxResults: MAX_TASKS,
    }),
  );
  if (taskArns.length === 0) {
    return undefined;
  }
  const { tasks = [] } = await ecs.send(
    new DescribeTasksCommand({ cluster: service.cluster, tasks: taskArns }),
  );
  const counts = new Map<string, number>();
  for (const task of tasks) {
    const containerReasons = (task.containers ?? [])
      .filter(container => container.reason)
      .map(container => `container ${container.name}: ${container.reason}`);
    const reason = [task.stoppedReason, ...containerReasons]
      .filter(Boolean)
      .join('; ');
    if (reason) {
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
  }
  if (counts.size === 0) {
    return undefined;
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(
      ([reason, count]) =>
        `${reason} (${count} of ${tasks.length} stopped tasks)`,
    )
    .join(' | ');
}

// Cluster and service name from the service ARN (arn:aws:ecs:region:account:service/cluster/name),
// or from the resource properties when the ARN has the old format without the cluster.
function serviceOf(
  event: StackEvent,
): { cluster: string; name: string } | undefined {
  const physicalId = event.PhysicalResourceId ?? '';
  const [kind, ...rest] = (parseArn(physicalId)?.resource ?? '').split('/');
  if (kind === 'service' && rest.length === 2) {
    return { cluster: rest[0], name: rest[1] };
  }
  const properties = parseProperties(event.ResourceProperties);
  const cluster =
    typeof properties.Cluster === 'string' ? properties.Cluster : undefined;
  const name =
    (kind === 'service' ? rest[0] : undefined) ??
    (typeof properties.ServiceName === 'string'
      ? properties.ServiceName
      : undefined);
  return cluster && name ? { cluster, name } : undefined;
}

function parseProperties(json: string | undefined): Record<string, unknown> {
  try {
    const parsed = JSON.parse(json ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}
