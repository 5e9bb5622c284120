/**
 * The generated application as ECS runs it: the skeleton rendered by the scaffolder's own
 * `fetch:template`, started as separate processes ("tasks") with credentials in their environment,
 * behind a round-robin "load balancer" that a steady load goes through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  generateFargateService,
  templateFacts,
} from '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service';
import { freePort } from '@golden-path/plugin-cloudformation-node/testUtils';
import type { Engine } from './databases';

const REPO_ROOT = path.resolve(__dirname, '../..');
const TEMPLATE_BASE_URL = `file://${REPO_ROOT}/templates/aws-fargate-rds-service/template.yaml`;

/** Renders the skeleton into a temporary folder whose node_modules are the repository's (pg, mysql2, tsx). */
export async function renderService(
  engine: Engine,
): Promise<{ dir: string; remove(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-drill-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const workspacePath = path.join(dir, 'workspace');
    fs.mkdirSync(workspacePath);
    const action = createFetchTemplateAction({
      reader: mockServices.urlReader.mock(),
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    });
    const generated = generateFargateService({
      serviceName: 'drill-service',
      region: 'eu-west-1',
      databaseEngine: engine,
      credentialsMode: 'secrets-manager',
    });
    if (!generated.success) throw new Error(generated.problems.join('\n'));
    const { database, appDatabaseEngines, catalog } = templateFacts(
      generated.blueprint,
    );
    const values = {
      name: 'drill-service',
      description: 'Rotation drill',
      owner: 'group:default/drill',
      lifecycle: 'experimental',
      environment: 'dev',
      awsRegion: 'eu-west-1',
      awsAccountId: '012345678901',
      stackName: 'drill-service-dev',
      containerPort: 8080,
      healthCheckPath: '/healthz',
      credentialMode: 'secrets-manager',
      database,
      appDatabaseEngines,
      catalog,
      repoSlug: 'acme/drill-service',
      templateRef: 'template:default/aws-fargate-rds-service',
    };
    const ctx = createMockActionContext({
      input: { url: './skeleton', values },
      workspacePath,
      templateInfo: {
        baseUrl: TEMPLATE_BASE_URL,
        entityRef: 'template:default/test',
      },
    });
    await action.handler({
      ...ctx,
      createTemporaryDirectory: async () =>
        fs.mkdtempSync(path.join(dir, 'scratch-')),
    });
    fs.symlinkSync(
      path.join(REPO_ROOT, 'node_modules'),
      path.join(workspacePath, 'node_modules'),
    );
  } catch (error) {
    remove();
    throw error;
  }
  return { dir: path.join(dir, 'workspace'), remove };
}

export interface Credentials {
  host: string;
  port: number;
  username: string;
  password: string;
  dbname: string;
}

export interface ServiceTask {
  name: string;
  url: string;
  /** What the process printed (stdout and stderr). */
  output(): string;
  /** SIGTERM, as ECS stops a task; resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Starts one task and waits until its health check path answers, as the target group would. */
export async function startTask(
  serviceDir: string,
  engine: Engine,
  name: string,
  credentials: Credentials,
): Promise<ServiceTask> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/index.ts'],
    {
      cwd: serviceDir,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HEALTH_CHECK_PATH: '/healthz',
        DB_ENGINE: engine,
        DB_HOST: credentials.host,
        DB_PORT: String(credentials.port),
        DB_NAME: credentials.dbname,
        DB_USER: credentials.username,
        DB_PASSWORD: credentials.password,
        DB_SSL: 'disable',
        // Pools recycle connections; a short lifetime makes the drill's load open new ones all the time.
        DB_POOL_MAX_LIFETIME_SECONDS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', chunk => (output += chunk));
  child.stderr?.on('data', chunk => (output += chunk));
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`task ${name} exited at start:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then(
      res => res.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`task ${name} did not become healthy:\n${output}`);
    }
    await sleep(100);
  }
  return {
    name,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A steady load through a round-robin load balancer over the registered tasks; counts failed requests. */
export class SteadyLoad {
  private targets: ServiceTask[] = [];
  private next = 0;
  private running = true;
  private readonly workers: Promise<void>[];
  private readonly inFlight = new Map<ServiceTask, number>();
  requests = 0;
  failures = 0;
  readonly failureReasons = new Map<string, number>();

  constructor(concurrency: number) {
    this.workers = Array.from({ length: concurrency }, () => this.work());
  }

  register(task: ServiceTask) {
    this.targets = [...this.targets, task];
  }

  /** Like the target group: no new requests, then wait for the task's in-flight ones (deregistration delay). */
  async deregister(task: ServiceTask) {
    this.targets = this.targets.filter(target => target !== task);
    while ((this.inFlight.get(task) ?? 0) > 0) await sleep(10);
  }

  async stop() {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work() {
    while (this.running) {
      const target =
        this.targets[this.next++ % Math.max(this.targets.length, 1)];
      if (!target) {
        await sleep(10);
        continue;
      }
      this.inFlight.set(target, (this.inFlight.get(target) ?? 0) + 1);
      this.requests++;
      try {
        const res = await fetch(`${target.url}/`);
        const body = (await res.json()) as { database?: { error?: string } };
        if (res.status !== 200)
          this.fail(`${res.status} ${body.database?.error ?? ''}`.trim());
      } catch (error) {
        this.fail(error instanceof Error ? error.message : String(error));
      } finally {
        this.inFlight.set(target, (this.inFlight.get(target) ?? 1) - 1);
      }
      // About a request every 5 ms per worker: steady, not a benchmark.
      await sleep(5);
    }
  }

  private fail(reason: string) {
    this.failures++;
    this.failureReasons.set(reason, (this.failureReasons.get(reason) ?? 0) + 1);
  }
}
