import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { Portal, repoRoot } from './portal';

export interface DryRunFile {
  path: string;
  base64Content: string;
  executable?: boolean;
}

export interface DryRunResult {
  log: { body: { message: string; stepId?: string; status?: string } }[];
  directoryContents: DryRunFile[];
  output: Record<string, unknown>;
  steps: { id: string; name: string; action: string }[];
}

/**
 * The files of a template folder as the template editor sends them ("Load template directory"):
 * every file below it, paths relative to it, following symbolic links.
 */
export async function readTemplateDirectory(
  directory: string,
): Promise<DryRunFile[]> {
  const files: DryRunFile[] = [];
  async function walk(relative: string) {
    for (const entry of await readdir(path.join(directory, relative), {
      withFileTypes: true,
    })) {
      const entryPath = path.posix.join(relative, entry.name);
      const absolute = path.join(directory, entryPath);
      if (
        entry.isDirectory() ||
        (entry.isSymbolicLink() && (await isDirectory(absolute)))
      ) {
        if (entry.name !== 'node_modules') await walk(entryPath);
      } else {
        files.push({
          path: entryPath,
          base64Content: (await readFile(absolute)).toString('base64'),
        });
      }
    }
  }
  await walk('');
  return files;
}

async function isDirectory(file: string) {
  return (await stat(file)).isDirectory();
}

/** Runs a template folder through `POST /api/scaffolder/v2/dry-run`, as the template editor does. */
export async function dryRunTemplate(
  portal: Portal,
  templateDirectory: string,
  values: Record<string, unknown>,
) {
  const absolute = path.resolve(repoRoot, templateDirectory);
  const template = parse(
    await readFile(path.join(absolute, 'template.yaml'), 'utf8'),
  );
  return dryRun(
    portal,
    template,
    await readTemplateDirectory(absolute),
    values,
  );
}

/** `POST /api/scaffolder/v2/dry-run` of a template object with the files the editor would send. */
export async function dryRun(
  portal: Portal,
  template: unknown,
  directoryContents: DryRunFile[],
  values: Record<string, unknown>,
): Promise<{
  status: number;
  body: DryRunResult & { error?: { message: string } };
}> {
  const response = await portal.api('/api/scaffolder/v2/dry-run', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ template, values, secrets: {}, directoryContents }),
  });
  return { status: response.status, body: await response.json() };
}

/** The text of a file in a dry-run result, or undefined. */
export function dryRunFile(
  result: DryRunResult,
  filePath: string,
): string | undefined {
  const file = result.directoryContents.find(f => f.path === filePath);
  return file && Buffer.from(file.base64Content, 'base64').toString('utf8');
}

/** A template's `output` section as the task's completion event carries it. */
export interface TaskOutput {
  links?: { title: string; url?: string; entityRef?: string }[];
  text?: { title: string; content: string }[];
  [key: string]: unknown;
}

export interface TaskRun {
  taskId: string;
  status: 'completed' | 'failed';
  output: TaskOutput;
  error?: string;
  /** Every log line, in order, prefixed with its step id. */
  log: string[];
}

/**
 * Starts a task from a registered template and follows its event stream to the end: as the backend
 * (its static token) by default, or as the user a Backstage `token` belongs to (the task's initiator).
 */
export async function runTask(
  portal: Portal,
  templateName: string,
  values: Record<string, unknown>,
  timeoutMs = 240_000,
  token = portal.token,
): Promise<TaskRun> {
  const authorization = { authorization: `Bearer ${token}` };
  const created = await portal.api('/api/scaffolder/v2/tasks', {
    method: 'POST',
    headers: { ...authorization, 'content-type': 'application/json' },
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
  const { id: taskId } = (await created.json()) as { id: string };
  const log: string[] = [];
  const deadline = Date.now() + timeoutMs;
  let after: number | undefined;
  while (Date.now() < deadline) {
    const query = after === undefined ? '' : `?after=${after}`;
    const response = await portal.api(
      `/api/scaffolder/v2/tasks/${taskId}/events${query}`,
      { headers: authorization },
    );
    const events = (await response.json()) as {
      id: number;
      type: 'log' | 'completion' | 'cancelled' | 'recovered';
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

interface JsonSchemaNode {
  properties?: Record<string, { default?: unknown }>;
}

/** The values the Create page's form starts with: every `default` of the template's parameter pages. */
export async function formDefaults(
  templateDirectory: string,
): Promise<Record<string, unknown>> {
  const template = parse(
    await readFile(
      path.resolve(repoRoot, templateDirectory, 'template.yaml'),
      'utf8',
    ),
  );
  const pages: JsonSchemaNode[] = template.spec.parameters;
  const values: Record<string, unknown> = {};
  for (const page of pages) {
    for (const [name, property] of Object.entries(page.properties ?? {})) {
      if (property.default !== undefined) values[name] = property.default;
    }
  }
  return values;
}
