/**
 * Generation + in-process validation of the Fargate blueprint versus a cfn-lint run on the same
 * template, measured in one run; then the validator over its whole differential corpus versus one
 * cfn-lint process over the same files. Run: node --import tsx bench/generate-vs-cfn-lint.ts [inProcessRuns] [cfnLintRuns]
 */
import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateFargateService } from '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service';
import {
  parseTemplate,
  preloadResourceModel,
  validateTemplate,
} from '@golden-path/plugin-scaffolder-backend-module-aws-cloudformation';

const inProcessRuns = Number(process.argv[2] ?? 50);
const cfnLintRuns = Number(process.argv[3] ?? 5);

const INPUTS: Record<string, Record<string, unknown>> = {
  'rds-managed, defaults': { serviceName: 'orders' },
  'secrets-manager, new key, HTTPS, per-AZ NAT': {
    serviceName: 'orders',
    credentialsMode: 'secrets-manager',
    kmsKey: 'create',
    natGateways: 'per-az',
    certificateArn:
      'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  },
};

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function generateAndValidate(input: Record<string, unknown>): string {
  const result = generateFargateService(input);
  if (!result.success) throw new Error(result.problems.join('\n'));
  const content = result.blueprint.files.template.content;
  const findings = validateTemplate(parseTemplate(content));
  if (findings.length > 0)
    throw new Error(
      `generated template has findings: ${JSON.stringify(findings)}`,
    );
  return content;
}

const modelLoadMs = time(preloadResourceModel);
const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-cfn-lint-'));
try {
  console.log(
    `Fargate blueprint: generate + validate in process (${inProcessRuns} runs) vs cfn-lint 1 process per run (${cfnLintRuns} runs)`,
  );
  console.log(
    `one-off: loading the CloudFormation resource model took ${modelLoadMs.toFixed(0)} ms (once per backend process)\n`,
  );
  console.log(
    '| template | resources | in-process median ms | cfn-lint median ms | cfn-lint / in-process |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, input] of Object.entries(INPUTS)) {
    const content = generateAndValidate(input); // warm-up
    const file = path.join(directory, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, content);

    const inProcess = Array.from({ length: inProcessRuns }, () =>
      time(() => generateAndValidate(input)),
    );
    const cfnLint = Array.from({ length: cfnLintRuns }, () =>
      time(() => {
        const run = spawnSync('cfn-lint', ['--format', 'json', '--', file], {
          encoding: 'utf8',
        });
        if (run.error) throw run.error;
        if (run.status !== 0)
          throw new Error(
            `cfn-lint found problems: ${run.stdout}${run.stderr}`,
          );
      }),
    );
    const resources = Object.keys(
      (parseTemplate(content) as { Resources: object }).Resources,
    ).length;
    const ours = median(inProcess);
    const theirs = median(cfnLint);
    console.log(
      `| ${name} | ${resources} | ${ours.toFixed(1)} | ${theirs.toFixed(0)} | ${(theirs / ours).toFixed(0)}x |`,
    );
  }

  const corpusRoot = path.join(
    __dirname,
    '../plugins/scaffolder-backend-module-aws-cloudformation/src/validation/corpus',
  );
  const corpus = ['valid', 'broken'].flatMap(kind =>
    readdirSync(path.join(corpusRoot, kind)).map(file =>
      readFileSync(path.join(corpusRoot, kind, file), 'utf8'),
    ),
  );
  const corpusFiles = corpus.map((content, index) => {
    const file = path.join(directory, `corpus-${index}.yaml`);
    writeFileSync(file, content);
    return file;
  });
  const validateCorpus = () =>
    corpus.forEach(content => validateTemplate(parseTemplate(content)));
  validateCorpus(); // warm-up
  const ours = median(
    Array.from({ length: cfnLintRuns }, () => time(validateCorpus)),
  );
  const theirs = median(
    Array.from({ length: cfnLintRuns }, () =>
      time(() => {
        const run = spawnSync(
          'cfn-lint',
          ['--format', 'json', '--', ...corpusFiles],
          { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        );
        if (run.error) throw run.error;
      }),
    ),
  );
  console.log(
    `| differential corpus, ${corpus.length} templates (validate only; cfn-lint: one process for all) | - | ${ours.toFixed(1)} | ${theirs.toFixed(0)} | ${(theirs / ours).toFixed(0)}x |`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
