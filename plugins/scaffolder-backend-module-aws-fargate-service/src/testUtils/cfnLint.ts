import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type CfnLintMatch = {
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Filename: string;
  Rule: { Id: string };
  Location: { Path?: Array<string | number> };
};

/**
 * Runs the real cfn-lint once over many templates (its start-up dominates on small machines) and
 * returns its matches per file name.
 */
export async function cfnLintMany(
  templates: Record<string, string>,
): Promise<Record<string, CfnLintMatch[]>> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'cfn-lint-'));
  try {
    const files = await Promise.all(
      Object.entries(templates).map(async ([name, content]) => {
        const file = path.join(directory, name);
        await fs.writeFile(file, content, 'utf8');
        return file;
      }),
    );
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    let matches: CfnLintMatch[];
    try {
      matches = JSON.parse(run.stdout || '[]');
    } catch {
      throw new Error(
        `cfn-lint gave no JSON (exit ${run.status}): ${run.stderr}`,
      );
    }
    const byFile: Record<string, CfnLintMatch[]> = Object.fromEntries(
      Object.keys(templates).map(name => [name, []]),
    );
    for (const match of matches)
      byFile[path.basename(match.Filename)].push(match);
    return byFile;
  } finally {
    await fs.rm(directory, { recursive: true, force: true });
  }
}
