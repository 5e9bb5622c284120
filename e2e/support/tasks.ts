import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import { Portal, waitFor } from './portal';
import type { TaskOutput } from './scaffolder';

export interface TaskEvent {
  id: number;
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: {
    message: string;
    stepId?: string;
    status?: string;
    output?: TaskOutput;
    error?: { message: string };
  };
}

/** Starts a task from a registered template; returns its id without waiting. */
export async function startTask(
  portal: Portal,
  templateName: string,
  values: Record<string, unknown>,
): Promise<string> {
  const created = await portal.api('/api/scaffolder/v2/tasks', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      templateRef: `template:default/${templateName}`,
      values,
    }),
  });
  if (created.status !== 201) {
    throw new Error(
      `Task was not created (${created.status}): ${await created.text()}`,
    );
  }
  return ((await created.json()) as { id: string }).id;
}

/** Every event of a task so far, oldest first. */
export async function taskEvents(
  portal: Portal,
  taskId: string,
): Promise<TaskEvent[]> {
  const response = await portal.api(
    `/api/scaffolder/v2/tasks/${taskId}/events`,
  );
  if (response.status !== 200) {
    throw new Error(
      `Events of task ${taskId}: ${response.status} ${await response.text()}`,
    );
  }
  return (await response.json()) as TaskEvent[];
}

/** Polls often, so that a kill lands while the step is still running. */
export async function waitForStepStart(
  portal: Portal,
  taskId: string,
  stepId: string,
  timeoutMs = 60_000,
) {
  await waitFor(
    async () =>
      (await taskEvents(portal, taskId)).some(
        e => e.body.stepId === stepId && e.body.status === 'processing',
      ),
    timeoutMs,
    15,
  );
}

export interface TaskEnd {
  status: 'completed' | 'failed';
  output: TaskOutput;
  error?: string;
  events: TaskEvent[];
  /** When the completion event was seen (ms since the epoch). */
  endedAt: number;
}

/** Waits for the task's completion event. */
export async function waitForCompletion(
  portal: Portal,
  taskId: string,
  timeoutMs: number,
): Promise<TaskEnd> {
  let end: TaskEnd | undefined;
  try {
    await waitFor(async () => {
      const events = await taskEvents(portal, taskId);
      const completion = events.find(e => e.type === 'completion');
      if (completion) {
        end = {
          status: completion.body.error ? 'failed' : 'completed',
          output: completion.body.output ?? {},
          error: completion.body.error?.message,
          events,
          endedAt: Date.now(),
        };
      }
      return end !== undefined;
    }, timeoutMs);
  } catch {
    const log = (await taskEvents(portal, taskId).catch(() => [])).map(
      e => `${e.type} ${e.body.stepId ?? '-'}: ${e.body.message}`,
    );
    throw new Error(
      `Task ${taskId} did not end within ${timeoutMs} ms. Events:\n${log.join('\n')}`,
    );
  }
  return end!;
}

/** Statuses a step reported before the task's first recovery (what the crashed run got done). */
export function statusesBeforeRecovery(
  events: TaskEvent[],
  stepId: string,
): string[] {
  const recovered = events.findIndex(e => e.type === 'recovered');
  return events
    .slice(0, recovered < 0 ? events.length : recovered)
    .filter(e => e.body.stepId === stepId && e.body.status)
    .map(e => e.body.status!);
}

/** The repositories (not the publisher's temporary folders) under a local publish root. */
export async function publishedRepositories(
  rootDirectory: string,
): Promise<string[]> {
  const entries = await readdir(path.resolve(rootDirectory)).catch(() => []);
  return entries.filter(entry => !entry.startsWith('.')).sort();
}

/** What the scripted CloudFormation endpoint saw for one stack: change sets made, executions started. */
export function stackActivity(fake: FakeCloudFormation, stackName: string) {
  const stack = fake.stack(stackName);
  const executeTokens = new Set(
    fake
      .callsFor(stackName, 'ExecuteChangeSet')
      .map(call => String(call.params.ClientRequestToken)),
  );
  return {
    status: stack?.status,
    changeSets: stack?.changeSetCount ?? 0,
    createChangeSetCalls: fake.callsFor(stackName, 'CreateChangeSet').length,
    executeChangeSetCalls: fake.callsFor(stackName, 'ExecuteChangeSet').length,
    executeTokens: executeTokens.size,
    // Each started operation opens with an event of the stack itself going *_IN_PROGRESS.
    operationsStarted: (stack?.events ?? []).filter(
      e =>
        e.LogicalResourceId === stackName &&
        /^(CREATE|UPDATE)_IN_PROGRESS$/.test(e.ResourceStatus),
    ).length,
  };
}

/** Entities of a kind and name in the catalog (0 or 1 expected). */
export async function catalogCount(
  portal: Portal,
  kind: string,
  name: string,
): Promise<number> {
  const response = await portal.api(
    `/api/catalog/entities/by-query?filter=${encodeURIComponent(`kind=${kind},metadata.name=${name}`)}`,
  );
  return ((await response.json()) as { items: unknown[] }).items.length;
}
