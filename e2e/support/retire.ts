import { Portal, waitFor } from './portal';
import { TaskOutput, TaskRun } from './scaffolder';

export const RETIRE_TEMPLATE = 'retire-aws-fargate-service';

/** A Backstage token of the guest user (catalog/org.yaml's guest, a member of platform-team), as the sign-in page gets it. */
export async function guestToken(portal: Portal): Promise<string> {
  const response = await fetch(`${portal.baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!response.ok)
    throw new Error(
      `Guest sign-in failed: HTTP ${response.status} ${await response.text()}`,
    );
  return (await response.json()).backstageIdentity.token;
}

/** Starts a task as the holder of `token` (a user, so the task's initiator is that user) and follows it to the end. */
export async function runTaskAs(
  portal: Portal,
  token: string,
  templateName: string,
  values: Record<string, unknown>,
  timeoutMs = 240_000,
): Promise<TaskRun> {
  const headers = { authorization: `Bearer ${token}` };
  const created = await fetch(`${portal.baseUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      templateRef: `template:default/${templateName}`,
      values,
    }),
  });
  if (created.status !== 201)
    throw new Error(
      `Task was not created (${created.status}): ${await created.text()}`,
    );
  const { id: taskId } = (await created.json()) as { id: string };
  const log: string[] = [];
  const deadline = Date.now() + timeoutMs;
  let after: number | undefined;
  while (Date.now() < deadline) {
    const query = after === undefined ? '' : `?after=${after}`;
    const response = await fetch(
      `${portal.baseUrl}/api/scaffolder/v2/tasks/${taskId}/events${query}`,
      { headers },
    );
    const events = (await response.json()) as {
      id: number;
      type: string;
      body: {
        message: string;
        stepId?: string;
        output?: TaskOutput;
        error?: { message: string };
      };
    }[];
    for (const event of events) {
      after = event.id;
      if (event.type === 'log')
        log.push(`${event.body.stepId ?? '-'}: ${event.body.message}`);
      if (event.type === 'completion') {
        return {
          taskId,
          status: event.body.error ? 'failed' : 'completed',
          output: event.body.output ?? {},
          error: event.body.error?.message,
          log,
        };
      }
    }
    if (events.length === 0)
      await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(
    `Task ${taskId} did not finish within ${timeoutMs} ms. Log so far:\n${log.join('\n')}`,
  );
}

/** Waits until the catalog serves the entity (`kind/namespace/name`); the catalog ingests registrations in the background. */
export async function waitForEntity(
  portal: Portal,
  ref: string,
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(
    async () =>
      (await portal.api(`/api/catalog/entities/by-name/${ref}`)).status === 200,
    timeoutMs,
  );
}

/** Status of the catalog's answer for the entity (`kind/namespace/name`): 200 or 404. */
export async function entityStatus(
  portal: Portal,
  ref: string,
): Promise<number> {
  return (await portal.api(`/api/catalog/entities/by-name/${ref}`)).status;
}
