import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  CloudFormationPartUnavailable,
  CloudFormationTaskFreshness,
} from '@golden-path/plugin-cloudformation-common';
import {
  isThrottlingError,
  parseArn,
} from '@golden-path/plugin-cloudformation-node';
import { isAccessDenied } from '../awsErrors';

/** The running state of the stack's ECS service, read once for all its secrets. */
export interface ServiceTasks {
  serviceName: string;
  primaryDeploymentAt?: Date;
  /** Start times of running tasks (pending tasks have none yet). */
  taskStarts: Date[];
  /** Role names of the primary deployment's task definition. */
  executionRoleName?: string;
  taskRoleName?: string;
}

export const ECS_ACTIONS =
  'ecs:DescribeServices, ecs:ListTasks, ecs:DescribeTasks and ecs:DescribeTaskDefinition';

/**
 * The service's primary deployment, its running tasks' start times and the roles its task
 * definition names: DescribeServices, DescribeTaskDefinition, ListTasks, DescribeTasks.
 */
export async function readServiceTasks(
  client: ECSClient,
  serviceArn: string,
): Promise<ServiceTasks | CloudFormationPartUnavailable> {
  // arn:aws:ecs:<region>:<account>:service/<cluster>/<service>
  const [cluster, serviceName] = (parseArn(serviceArn)?.resource ?? '')
    .split('/')
    .slice(1);
  try {
    const { services } = await client.send(
      new DescribeServicesCommand({ cluster, services: [serviceArn] }),
    );
    const service = services?.[0];
    if (!service) {
      return {
        status: 'unavailable',
        reason: 'not-found',
        message: `ECS service ${serviceName} was not found in cluster ${cluster}.`,
      };
    }
    const primary = service.deployments?.find(
      deployment => deployment.status === 'PRIMARY',
    );
    const taskDefinitionArn = primary?.taskDefinition ?? service.taskDefinition;
    const [definition, taskArns] = await Promise.all([
      taskDefinitionArn
        ? client.send(
            new DescribeTaskDefinitionCommand({
              taskDefinition: taskDefinitionArn,
            }),
          )
        : undefined,
      client.send(
        new ListTasksCommand({
          cluster,
          serviceName,
          desiredStatus: 'RUNNING',
        }),
      ),
    ]);
    const arns = (taskArns.taskArns ?? []).slice(0, 100);
    const tasks = arns.length
      ? ((await client.send(new DescribeTasksCommand({ cluster, tasks: arns })))
          .tasks ?? [])
      : [];
    return {
      serviceName: service.serviceName ?? serviceName,
      primaryDeploymentAt: primary?.createdAt,
      taskStarts: tasks.flatMap(task =>
        task.startedAt ? [task.startedAt] : [],
      ),
      executionRoleName: roleNameOf(
        definition?.taskDefinition?.executionRoleArn,
      ),
      taskRoleName: roleNameOf(definition?.taskDefinition?.taskRoleArn),
    };
  } catch (error) {
    if (isAccessDenied(error)) {
      return {
        status: 'unavailable',
        reason: 'access-denied',
        message: `ECS not readable by the portal's role: add ${ECS_ACTIONS} on the stack's service.`,
      };
    }
    if (isThrottlingError(error)) {
      return {
        status: 'unavailable',
        reason: 'throttled',
        message: 'ECS is throttling; the tasks show again shortly.',
      };
    }
    throw error;
  }
}

/** Compares the tasks' start times with the secret's last rotation. */
export function freshnessOf(
  tasks: ServiceTasks | CloudFormationPartUnavailable | undefined,
  lastRotatedAt: string | undefined,
): CloudFormationTaskFreshness {
  if (!tasks)
    return {
      status: 'no-service',
      message: 'The stack has no ECS service to compare with.',
    };
  if ('status' in tasks) return tasks;
  const rotated = lastRotatedAt ? Date.parse(lastRotatedAt) : undefined;
  const staleTasks =
    rotated === undefined
      ? 0
      : tasks.taskStarts.filter(start => start.getTime() < rotated).length;
  const oldest = tasks.taskStarts.reduce<Date | undefined>(
    (min, start) => (!min || start < min ? start : min),
    undefined,
  );
  let state: 'current' | 'stale' | 'no-tasks' =
    staleTasks > 0 ? 'stale' : 'current';
  if (tasks.taskStarts.length === 0) state = 'no-tasks';
  return {
    status: 'available',
    state,
    serviceName: tasks.serviceName,
    primaryDeploymentAt: tasks.primaryDeploymentAt?.toISOString(),
    runningTasks: tasks.taskStarts.length,
    staleTasks,
    oldestTaskStartedAt: oldest?.toISOString(),
  };
}

/** `arn:aws:iam::<account>:role/<path/>name` → `name` */
function roleNameOf(roleArn: string | undefined): string | undefined {
  return roleArn?.split('/').pop() || undefined;
}
