/**
 * Benchmark: `aws:cloudformation:deploy` against `aws cloudformation deploy` (awscli) on the
 * same scripted CloudFormation endpoint, in one run.
 *
 * Each tool deploys the same slow stack several times; the stack durations are spread over
 * one 30-second window so the CLI's fixed 30 s DescribeStacks polling is met at different
 * phases. For every deploy it measures:
 *  - delay: from the moment the stack reached its final state (known to the endpoint) to the
 *    moment the deploy returned;
 *  - API calls per minute of waiting: requests the endpoint received for that stack, divided
 *    by the time from the deploy's first request to its return.
 *
 * Run from the repository root: `node --import tsx bench/deploy-vs-awscli.ts` (needs `aws` on PATH).
 * Knobs: BENCH_RUNS (default 5), BENCH_MIN_SECONDS (default 32) for the shortest stack.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { createAwsCloudFormationDeployAction } from '@golden-path/plugin-scaffolder-backend-module-aws-cloudformation';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MIN_SECONDS = Number(process.env.BENCH_MIN_SECONDS ?? 32);
// Spread over the CLI's 30 s polling period.
const DURATIONS = Array.from(
  { length: RUNS },
  (_, run) => MIN_SECONDS + (run * 30) / RUNS,
);
const RESOURCES = 6;
const CHANGE_SET_SECONDS = 2;
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
Resources:
${Array.from({ length: RESOURCES }, (_, i) => `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub 'bench-\${Env}-${i}'`).join('\n')}
Outputs:
  FirstQueue:
    Value: !Ref Queue0
`;

type Measurement = {
  tool: string;
  seconds: number;
  delayMs: number;
  callsPerMinute: number;
  calls: number;
};

const silentLogger: LoggerService = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silentLogger,
};

async function main() {
  const fake = await FakeCloudFormation.start({
    accountId: ACCOUNT,
    region: REGION,
  });
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'deploy-bench-'));
  await mkdir(path.join(workspace, 'infra'));
  await writeFile(path.join(workspace, 'infra', 'template.yaml'), TEMPLATE);
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = fake.url;
  try {
    process.stdout.write(
      `Deploying ${RUNS} stacks per tool (${RESOURCES} resources, ${DURATIONS.map(d => `${d.toFixed(0)}s`).join(', ')} each) on ${fake.url}…\n`,
    );
    const runs = DURATIONS.flatMap((seconds, run) => {
      const stepMs = (seconds * 1000) / (RESOURCES + 2);
      return (['action', 'awscli'] as const).map(tool => {
        const stackName = `bench-${tool}-${run}`;
        fake.scenario(stackName, {
          stepMs,
          changeSetDelayMs: CHANGE_SET_SECONDS * 1000,
        });
        const deploy =
          tool === 'action'
            ? deployWithAction(stackName, workspace)
            : deployWithCli(stackName, workspace, fake.url);
        return deploy.then(returnedAt =>
          measure(fake, tool, stackName, seconds, returnedAt),
        );
      });
    });
    report(await Promise.all(runs));
  } finally {
    await fake.stop();
    await rm(workspace, { recursive: true, force: true });
  }
}

async function deployWithAction(
  stackName: string,
  workspacePath: string,
): Promise<number> {
  const config = new ConfigReader({
    aws: {
      accounts: [
        {
          accountId: ACCOUNT,
          accessKeyId: 'AKIDBENCH',
          secretAccessKey: 'bench',
        },
      ],
      cloudformation: { allowedAccountIds: [ACCOUNT], defaultRegion: REGION },
    },
  });
  const action = createAwsCloudFormationDeployAction({
    config,
    credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
  });
  const context = {
    input: {
      stackName,
      templatePath: 'infra/template.yaml',
      entityRef: `component:default/${stackName}`,
      parameters: { Env: stackName },
    },
    workspacePath,
    logger: silentLogger,
    output: () => {},
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
    createTemporaryDirectory: async () => workspacePath,
    getInitiatorCredentials: async () => {
      throw new Error('not used');
    },
    task: { id: `bench-${stackName}` },
    step: { id: 'deploy' },
  } as unknown as Parameters<typeof action.handler>[0];
  await action.handler(context);
  return Date.now();
}

function deployWithCli(
  stackName: string,
  workspace: string,
  endpoint: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = [
      'cloudformation',
      'deploy',
      '--endpoint-url',
      endpoint,
      '--region',
      REGION,
      '--stack-name',
      stackName,
      '--template-file',
      path.join(workspace, 'infra', 'template.yaml'),
      '--parameter-overrides',
      `Env=${stackName}`,
    ];
    const child = spawn('aws', args, {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'AKIDBENCH',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_DEFAULT_REGION: REGION,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve(Date.now())
        : reject(
            new Error(`aws cloudformation deploy exited ${code}: ${stderr}`),
          ),
    );
  });
}

function measure(
  fake: FakeCloudFormation,
  tool: string,
  stackName: string,
  seconds: number,
  returnedAt: number,
): Measurement {
  const stack = fake.stack(stackName);
  if (stack?.status !== 'CREATE_COMPLETE' || stack.finalStateAt === undefined) {
    throw new Error(`${tool} left ${stackName} ${stack?.status}`);
  }
  const calls = fake.callsFor(stackName);
  const minutes = (returnedAt - calls[0].at) / 60_000;
  return {
    tool,
    seconds,
    delayMs: returnedAt - stack.finalStateAt,
    callsPerMinute: calls.length / minutes,
    calls: calls.length,
  };
}

function report(measurements: Measurement[]) {
  const summary = (tool: string) => {
    const mine = measurements.filter(m => m.tool === tool);
    const delays = mine.map(m => m.delayMs).sort((a, b) => a - b);
    return {
      mine,
      medianDelayMs: delays[Math.floor(delays.length / 2)],
      callsPerMinute:
        mine.reduce((sum, m) => sum + m.calls, 0) /
        mine.reduce((sum, m) => sum + m.calls / m.callsPerMinute, 0),
    };
  };
  const action = summary('action');
  const cli = summary('awscli');
  const row = (cells: string[]) =>
    `${cells.map(cell => cell.padEnd(16)).join('')}\n`;
  let out = `\n${row(['tool', 'stack', 'delay', 'calls', 'calls/min'])}`;
  for (const m of [...action.mine, ...cli.mine]) {
    out += row([
      m.tool,
      `${m.seconds.toFixed(0)}s`,
      `${(m.delayMs / 1000).toFixed(2)}s`,
      String(m.calls),
      m.callsPerMinute.toFixed(1),
    ]);
  }
  const delayRatio = action.medianDelayMs / cli.medianDelayMs;
  out +=
    `\nMedian delay after the final state: action ${(action.medianDelayMs / 1000).toFixed(2)}s, ` +
    `aws cloudformation deploy ${(cli.medianDelayMs / 1000).toFixed(2)}s — ratio ${delayRatio.toFixed(3)} (goal ≤ 0.2: ${delayRatio <= 0.2 ? 'met' : 'MISSED'})\n` +
    `API calls per minute of waiting: action ${action.callsPerMinute.toFixed(1)}, ` +
    `aws cloudformation deploy ${cli.callsPerMinute.toFixed(1)} — ratio ${(action.callsPerMinute / cli.callsPerMinute).toFixed(2)} ` +
    `(goal for the action ≤ 30/min, one call per 2 s: ${action.callsPerMinute <= 30 ? 'met' : 'MISSED'})\n`;
  process.stdout.write(out);
}

main().catch(error => {
  process.stderr.write(
    `${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
