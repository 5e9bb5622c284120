import { Portal, waitFor } from './portal';
import { runTask, TaskRun } from './scaffolder';

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
export function runTaskAs(
  portal: Portal,
  token: string,
  templateName: string,
  values: Record<string, unknown>,
  timeoutMs = 240_000,
): Promise<TaskRun> {
  return runTask(portal, templateName, values, timeoutMs, token);
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
