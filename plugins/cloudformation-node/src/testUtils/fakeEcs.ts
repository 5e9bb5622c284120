import { randomUUID } from 'node:crypto';
import { arnOf, type ArnScope } from '../resourceArns';

/** ECS's answer: HTTP status and JSON payload. */
export type EcsAnswer = { status: number; payload: unknown };

/**
 * The ECS part of the fake endpoint (JSON protocol): `ListTasks` and `DescribeTasks` report the
 * stopped tasks of a service whose deployment failed, so the deployer can say why.
 */
export class FakeEcs {
  // Stopped tasks by `cluster/service`.
  private readonly stoppedTasks = new Map<
    string,
    Array<{ taskArn: string; reason: string }>
  >();

  constructor(private readonly scope: ArnScope) {}

  /** The service's tasks stopped with this reason (`service` is `cluster/service`). */
  stopTasks(service: string, reason: string): void {
    const cluster = service.split('/')[0];
    this.stoppedTasks.set(
      service,
      [1, 2, 3].map(n => ({
        taskArn: arnOf(
          this.scope,
          'ecs',
          `task/${cluster}/${randomUUID().replace(/-/g, '')}${n}`,
        ),
        reason,
      })),
    );
  }

  answer(action: string, params: Record<string, unknown>): EcsAnswer {
    const service = `${params.cluster}/${params.serviceName ?? ''}`;
    if (action === 'ListTasks') {
      return {
        status: 200,
        payload: {
          taskArns: (this.stoppedTasks.get(service) ?? []).map(
            task => task.taskArn,
          ),
        },
      };
    }
    if (action === 'DescribeTasks') {
      const wanted = new Set(params.tasks as string[]);
      const tasks = [...this.stoppedTasks.values()]
        .flat()
        .filter(task => wanted.has(task.taskArn));
      return {
        status: 200,
        payload: {
          tasks: tasks.map(task => ({
            taskArn: task.taskArn,
            lastStatus: 'STOPPED',
            desiredStatus: 'STOPPED',
            stopCode: 'TaskFailedToStart',
            stoppedReason: task.reason,
            stoppedAt: Date.now() / 1000,
            containers: [{ name: 'app', lastStatus: 'STOPPED' }],
          })),
          failures: [],
        },
      };
    }
    return {
      status: 400,
      payload: {
        __type: 'InvalidParameterException',
        message: `Unsupported action ${action}`,
      },
    };
  }
}
