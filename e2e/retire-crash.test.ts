import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import { freePort, repoRoot, stopProcess, waitFor } from './support/portal';
import { RETIRE_TEMPLATE } from './support/retire';

// The backend dies (SIGKILL) while CloudFormation deletes a stack; started again on the same database with
// task recovery on, it runs the retire task again, which watches the deletion it already requested instead
// of asking again, and finishes it.
jest.setTimeout(180_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ENTITY = 'component:default/crash-api';
const STACK = 'crash-api-dev';
// Eight resources at 1.5 s each: the deletion takes about 13 s.
const TEMPLATE = stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: Object.fromEntries(
    [
      'Cluster',
      'Service',
      'TaskDefinition',
      'LoadBalancer',
      'Listener',
      'TargetGroup',
      'LogGroup',
      'Repository',
    ].map(id => [
      id,
      {
        Type:
          id === 'Repository'
            ? 'AWS::ECR::Repository'
            : 'AWS::CloudFormation::WaitConditionHandle',
      },
    ]),
  ),
});

let cloudFormation: FakeCloudFormation;
let dataDir: string;
let configFile: string;
let baseUrl: string;
let token: string;
let backend: ChildProcess | undefined;
let output = '';

async function startBackend(): Promise<void> {
  output = '';
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/backend/src/index.ts',
      '--config',
      'app-config.yaml',
      '--config',
      configFile,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        BACKEND_TOKEN: token,
        AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: REGION,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  backend = child;
  await waitFor(async () => {
    if (child.exitCode !== null)
      throw new Error(`Backend exited with code ${child.exitCode}:\n${output}`);
    const response = await api(
      `/api/catalog/entities/by-name/template/default/${RETIRE_TEMPLATE}`,
    ).catch(() => undefined);
    return response?.status === 200;
  }, 90_000);
}

function api(pathname: string, init: RequestInit = {}, bearer = token) {
  return fetch(`${baseUrl}${pathname}`, {
    ...init,
    headers: { authorization: `Bearer ${bearer}`, ...(init.headers ?? {}) },
  });
}

beforeAll(async () => {
  cloudFormation = await FakeCloudFormation.start({
    accountId: ACCOUNT,
    region: REGION,
  });
  cloudFormation.scenario(STACK, {
    existing: {
      status: 'CREATE_COMPLETE',
      tags: { [TAG_ENTITY_REF]: ENTITY },
      templateBody: TEMPLATE,
    },
    stepMs: 1_500,
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'retire-crash-'));
  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  token = randomBytes(18).toString('base64url');
  const entitiesFile = path.join(dataDir, 'entities.yaml');
  await writeFile(
    entitiesFile,
    stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'crash-api',
        annotations: {
          'aws.amazon.com/cloudformation-stack-name': STACK,
          'aws.amazon.com/cloudformation-region': REGION,
          'aws.amazon.com/account-id': ACCOUNT,
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/platform-team',
      },
    }),
  );
  const appConfig = parse(
    await readFile(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  configFile = path.join(dataDir, 'app-config.test.yaml');
  await writeFile(
    configFile,
    stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port },
        cors: { origin: baseUrl },
        reading: {
          allow: [
            { host: `localhost:${port}`, paths: ['/api/local-git/repos/'] },
          ],
        },
        database: { connection: { directory: path.join(dataDir, 'sqlite') } },
      },
      catalog: {
        locations: [
          ...appConfig.catalog.locations,
          { type: 'file', target: entitiesFile },
        ],
      },
      scaffolder: {
        localPublish: { rootDirectory: path.join(dataDir, 'repositories') },
        taskRecovery: { enabled: true, staleTimeout: { seconds: 3 } },
      },
      aws: {
        accounts: [
          {
            accountId: ACCOUNT,
            accessKeyId: 'testing',
            secretAccessKey: 'testing',
          },
        ],
        cloudformation: {
          allowedAccountIds: [ACCOUNT],
          allowedRegions: [REGION],
        },
      },
    }),
  );
  await startBackend();
  await waitFor(
    async () =>
      (await api('/api/catalog/entities/by-name/component/default/crash-api'))
        .status === 200,
    60_000,
  );
}, 150_000);

afterAll(async () => {
  if (backend) await stopProcess(backend);
  await cloudFormation?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a backend crash during a deletion', () => {
  it('is recovered: the task resumes watching the same deletion and finishes the retirement', async () => {
    const guest = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const userToken = (await guest.json()).backstageIdentity.token as string;
    const created = await api(
      '/api/scaffolder/v2/tasks',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          templateRef: `template:default/${RETIRE_TEMPLATE}`,
          values: { entity: ENTITY, confirmName: 'crash-api' },
        }),
      },
      userToken,
    );
    expect(created.status).toBe(201);
    const { id: taskId } = await created.json();

    // Killed once CloudFormation took the delete request, while it is deleting.
    await waitFor(
      async () => cloudFormation.callsFor(STACK, 'DeleteStack').length > 0,
      60_000,
      100,
    );
    expect(cloudFormation.stack(STACK)!.status).toBe('DELETE_IN_PROGRESS');
    backend!.kill('SIGKILL');
    await new Promise(resolve => backend!.once('exit', resolve));

    await startBackend();
    let task: { status: string } = { status: 'processing' };
    await waitFor(
      async () => {
        task = await (await api(`/api/scaffolder/v2/tasks/${taskId}`)).json();
        return task.status === 'completed' || task.status === 'failed';
      },
      90_000,
      500,
    );
    const events = (await (
      await api(`/api/scaffolder/v2/tasks/${taskId}/events`)
    ).json()) as { type: string; body: { message?: string } }[];
    const log = events
      .map(event => event.body.message ?? `[${event.type}]`)
      .join('\n');

    expect(task.status).toBe('completed');
    expect(events.some(event => event.type === 'recovered')).toBe(true);
    expect(log).toContain(
      `Resuming after a restart: the deletion of stack ${STACK} was requested at`,
    );
    expect(cloudFormation.callsFor(STACK, 'DeleteStack')).toHaveLength(1);
    expect(cloudFormation.stack(STACK)!.status).toBe('DELETE_COMPLETE');
    expect(
      (await api('/api/catalog/entities/by-name/component/default/crash-api'))
        .status,
    ).toBe(404);
  });
});
