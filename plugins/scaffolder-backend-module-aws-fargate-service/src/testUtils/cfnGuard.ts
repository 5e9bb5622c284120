import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PACKAGE_DIRECTORY = path.dirname(
  require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'),
);
/** The static cfn-guard binary and the AWS Control Tower rules the npm package ships: nothing is downloaded. */
export const CFN_GUARD_BINARY = path.join(
  PACKAGE_DIRECTORY,
  'bin/ubuntu/x86_64/cfn-guard',
);
export const CONTROL_TOWER_RULES = path.join(
  PACKAGE_DIRECTORY,
  'rules/control-tower/cfn-guard',
);

/** A rule that failed for a resource, by its Control Tower id (CT.S3.PR.8) and the logical id of the resource. */
export type GuardFailure = { control: string; resource: string };
export type GuardResult = {
  failures: GuardFailure[];
  compliant: string[];
  notApplicable: string[];
};

/** Control Tower id of each rule name, read from the rule files (`rule <name> when …` and its `[CT.…]` message). */
export function controlIdsByRuleName(): Record<string, string> {
  const ids: Record<string, string> = {};
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const file = path.join(directory, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.guard')) {
        const text = readFileSync(file, 'utf8');
        const control = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(text)?.[1];
        for (const match of text.matchAll(/^rule (\w+) when/gm))
          if (control) ids[match[1]] = control;
      }
    }
  };
  visit(CONTROL_TOWER_RULES);
  return ids;
}

/** Logical ids of resources a failed check points at (`/Resources/<id>/...`). */
function resourcesIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach(item => resourcesIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'path' && typeof child === 'string') {
        const match = /^\/Resources\/([^/]+)/.exec(child);
        if (match) found.add(match[1]);
      } else resourcesIn(child, found);
    }
  }
  return found;
}

/**
 * Runs cfn-guard once over many templates (CloudFormation JSON with long-form intrinsics, which the
 * rules read correctly) against every Control Tower rule, and returns the result per template name.
 */
export async function cfnGuardMany(
  templates: Record<string, unknown>,
): Promise<Record<string, GuardResult>> {
  const controls = controlIdsByRuleName();
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'cfn-guard-'));
  try {
    for (const [name, template] of Object.entries(templates))
      await fs.writeFile(
        path.join(directory, `${name}.json`),
        JSON.stringify(template, null, 2),
      );
    const run = spawnSync(
      CFN_GUARD_BINARY,
      [
        'validate',
        '-d',
        directory,
        '-r',
        CONTROL_TOWER_RULES,
        '-o',
        'json',
        '-z',
        '-S',
        'none',
      ],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    if (run.error) throw run.error;
    // Exit 19 means some rule failed; anything else but 0 is cfn-guard itself failing.
    if (run.status !== 0 && run.status !== 19)
      throw new Error(`cfn-guard exited ${run.status}: ${run.stderr}`);
    const reports: Array<{
      name: string;
      compliant: string[];
      not_applicable: string[];
      not_compliant: Array<{ Rule: { name: string } }>;
    }> = JSON.parse(run.stdout);
    return Object.fromEntries(
      reports.map(report => {
        const failures = report.not_compliant.flatMap(({ Rule }) =>
          [...resourcesIn(Rule)].map(resource => ({
            control: controls[Rule.name] ?? Rule.name,
            resource,
          })),
        );
        return [
          path.basename(report.name, '.json'),
          {
            failures,
            compliant: report.compliant.map(rule => controls[rule] ?? rule),
            notApplicable: report.not_applicable.map(
              rule => controls[rule] ?? rule,
            ),
          },
        ];
      }),
    );
  } finally {
    await fs.rm(directory, { recursive: true, force: true });
  }
}
