/**
 * Dry-run latency of the golden-path template through the real backend versus a dry-run of a
 * template that only fetches the same skeleton, measured in one run against one backend.
 * Goal: the golden path within 2.0x of the fetch-only template.
 *
 * Run from the repository root: node --import tsx bench/dry-run-vs-fetch-only.ts [runs]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import {
  generateFargateService,
  templateFacts,
} from '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service';
import {
  GOLDEN_PATH_TEMPLATE,
  repoRoot,
  startPortal,
} from '../e2e/support/portal';
import {
  DryRunFile,
  dryRun,
  formDefaults,
  readTemplateDirectory,
} from '../e2e/support/scaffolder';

const runs = Number(process.argv[2] ?? 20);
const templateDirectory = path.join(
  repoRoot,
  'templates',
  GOLDEN_PATH_TEMPLATE,
);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/** What the golden path's generate step hands the fetch step for the same service. */
function skeletonFacts() {
  const generated = generateFargateService({
    serviceName: 'orders-api',
    region: 'us-east-1',
  });
  if (!generated.success) throw new Error(generated.problems.join('\n'));
  const { database, appDatabaseEngines, catalog } = templateFacts(
    generated.blueprint,
  );
  return { database, appDatabaseEngines, catalog };
}

async function main() {
  const goldenPath = parse(
    await readFile(path.join(templateDirectory, 'template.yaml'), 'utf8'),
  );
  const files: DryRunFile[] = await readTemplateDirectory(templateDirectory);
  const values = {
    ...(await formDefaults(path.relative(repoRoot, templateDirectory))),
    name: 'orders-api',
    owner: 'group:default/payments-team',
  };
  // The baseline: the same skeleton fetched with the values the golden path hands it, and nothing else.
  const fetchOnly = {
    ...goldenPath,
    metadata: { name: 'fetch-only' },
    spec: {
      ...goldenPath.spec,
      steps: [
        {
          id: 'fetch',
          name: 'Fetch the skeleton',
          action: 'fetch:template',
          input: {
            url: './skeleton',
            values: {
              name: 'orders-api',
              owner: 'group:default/payments-team',
              lifecycle: 'experimental',
              environment: 'dev',
              awsRegion: 'us-east-1',
              awsAccountId: '123456789012',
              stackName: 'orders-api-dev',
              containerPort: 8080,
              healthCheckPath: '/',
              credentialMode: 'rds-managed',
              ...skeletonFacts(),
              repoSlug: 'orders-api',
              templateRef: 'template:default/aws-fargate-rds-service',
            },
          },
        },
      ],
      output: {},
    },
  };

  const portal = await startPortal();
  try {
    const measure = async (template: unknown) => {
      const start = performance.now();
      const { status, body } = await dryRun(portal, template, files, values);
      const elapsed = performance.now() - start;
      if (status !== 200)
        throw new Error(
          `Dry-run failed (${status}): ${JSON.stringify(body.error)}`,
        );
      return elapsed;
    };
    // Warm both paths (module loading, the resource model, JIT) before measuring.
    for (let i = 0; i < 3; i++) {
      await measure(goldenPath);
      await measure(fetchOnly);
    }
    const golden: number[] = [];
    const baseline: number[] = [];
    // Alternate so drift on a shared machine hits both sides alike.
    for (let i = 0; i < runs; i++) {
      golden.push(await measure(goldenPath));
      baseline.push(await measure(fetchOnly));
    }
    const ratio = median(golden) / median(baseline);
    console.log(
      `Dry-run through the real backend, ${runs} runs each (after 3 warm-ups):`,
    );
    console.log(
      `  golden path (8 steps)   median ${median(golden).toFixed(1)} ms   p90 ${percentile(golden, 90).toFixed(1)} ms`,
    );
    console.log(
      `  fetch-only (1 step)     median ${median(baseline).toFixed(1)} ms   p90 ${percentile(baseline, 90).toFixed(1)} ms`,
    );
    console.log(
      `  ratio golden / fetch-only: ${ratio.toFixed(2)}x (goal <= 2.0x) ${ratio <= 2 ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    await portal.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
