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
export async function readTemplateDirectory(directory: string): Promise<DryRunFile[]> {
  const files: DryRunFile[] = [];
  async function walk(relative: string) {
    for (const entry of await readdir(path.join(directory, relative), { withFileTypes: true })) {
      const entryPath = path.posix.join(relative, entry.name);
      const absolute = path.join(directory, entryPath);
      if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(absolute)))) {
        if (entry.name !== 'node_modules') await walk(entryPath);
      } else {
        files.push({ path: entryPath, base64Content: (await readFile(absolute)).toString('base64') });
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
): Promise<{ status: number; body: DryRunResult & { error?: { message: string } } }> {
  const absolute = path.resolve(repoRoot, templateDirectory);
  const template = parse(await readFile(path.join(absolute, 'template.yaml'), 'utf8'));
  const response = await portal.api('/api/scaffolder/v2/dry-run', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      template,
      values,
      secrets: {},
      directoryContents: await readTemplateDirectory(absolute),
    }),
  });
  return { status: response.status, body: await response.json() };
}

/** The text of a file in a dry-run result, or undefined. */
export function dryRunFile(result: DryRunResult, filePath: string): string | undefined {
  const file = result.directoryContents.find(f => f.path === filePath);
  return file && Buffer.from(file.base64Content, 'base64').toString('utf8');
}
