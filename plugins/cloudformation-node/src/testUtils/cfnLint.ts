import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One cfn-lint match, as `cfn-lint --format json` prints it. */
export type CfnLintMatch = {
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Filename: string;
  Rule: { Id: string };
  Location: { Path?: Array<string | number> | null };
};

/**
 * Runs the real cfn-lint once over many templates (its start-up dominates on small machines) and
 * returns its matches per template name. Names are free (`matrix/orders`); a name ending in
 * `.json` is linted as JSON, any other as YAML.
 */
export function cfnLintAll(
  templates: Record<string, string>,
): Record<string, CfnLintMatch[]> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
  try {
    const names = Object.keys(templates);
    // Files are named by position, so any template name is safe as a key.
    const fileNames = names.map(
      (name, index) => `${index}${name.endsWith('.json') ? '.json' : '.yaml'}`,
    );
    names.forEach((name, index) =>
      writeFileSync(path.join(directory, fileNames[index]), templates[name]),
    );
    const run = spawnSync(
      'cfn-lint',
      ['--format', 'json', '--', ...fileNames],
      { cwd: directory, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (run.error) throw run.error;
    let matches: CfnLintMatch[];
    try {
      matches = JSON.parse(run.stdout || '[]');
    } catch {
      throw new Error(
        `cfn-lint gave no JSON (exit ${run.status}): ${run.stderr}`,
      );
    }
    const byName: Record<string, CfnLintMatch[]> = Object.fromEntries(
      names.map(name => [name, []]),
    );
    for (const match of matches) {
      const index = Number(path.basename(match.Filename).split('.')[0]);
      byName[names[index]].push(match);
    }
    return byName;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
