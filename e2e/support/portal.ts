import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '@golden-path/plugin-cloudformation-node/testUtils';

export { freePort };

export const repoRoot = path.resolve(__dirname, '../..');
export const GOLDEN_PATH_TEMPLATE = 'aws-fargate-rds-service';

export interface PortalOptions {
  /** Extra config layered over app-config.yaml (and the per-run overrides). */
  config?: Record<string, unknown>;
  /** Extra config files, e.g. app-config.production.yaml. */
  configFiles?: string[];
  env?: NodeJS.ProcessEnv;
  /** Extra node options for the backend process, e.g. `--require` of a test preload. */
  nodeArgs?: string[];
  /** The URL users and the catalog reach the portal by, e.g. a load balancer in front of replicas (default: its own). */
  publicUrl?: string;
  /** Restart on an earlier portal's data and port (see {@link Portal.kill}), as a restarted host would. */
  restartOf?: Pick<Portal, 'dataDir' | 'port' | 'token'>;
}

export interface Portal {
  port: number;
  baseUrl: string;
  token: string;
  dataDir: string;
  logs(): string;
  /** fetch against the backend with the static token. */
  api(pathname: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
  /** Kills the backend process (default SIGKILL, like `kill -9`) and keeps its data for a restart. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resolves when the backend process has exited, with how it exited. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the real backend (packages/backend) as its own process, the way `npm start` does,
 * on a free port with its data in a fresh temporary folder.
 */
export async function startPortal(
  options: PortalOptions = {},
): Promise<Portal> {
  const port = options.restartOf?.port ?? (await freePort());
  const ownUrl = `http://localhost:${port}`;
  const baseUrl = options.publicUrl ?? ownUrl;
  const publicHost = new URL(baseUrl).host;
  const token =
    options.restartOf?.token ?? randomBytes(18).toString('base64url');
  const dataDir =
    options.restartOf?.dataDir ??
    (await mkdtemp(path.join(tmpdir(), 'portal-')));
  // Everything the run writes (databases, published repositories) stays in dataDir.
  const overrideFile = path.join(dataDir, 'app-config.test.yaml');
  await writeFile(
    overrideFile,
    stringify(
      mergeDeep(
        {
          app: { baseUrl },
          backend: {
            baseUrl,
            listen: { port },
            cors: { origin: baseUrl },
            reading: {
              allow: [{ host: publicHost, paths: ['/api/local-git/repos/'] }],
            },
            database: {
              connection: { directory: path.join(dataDir, 'sqlite') },
            },
          },
          techdocs: {
            publisher: {
              local: { publishDirectory: path.join(dataDir, 'techdocs') },
            },
          },
          scaffolder: {
            localPublish: { rootDirectory: path.join(dataDir, 'repositories') },
            taskRecovery: {
              sharedDirectory: { path: path.join(dataDir, 'workspaces') },
            },
          },
        },
        options.config ?? {},
      ),
    ),
  );

  const configArgs = [
    'app-config.yaml',
    ...(options.configFiles ?? []),
    overrideFile,
  ].flatMap(file => ['--config', file]);
  let output = '';
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      '--import',
      'tsx',
      'packages/backend/src/index.ts',
      ...configArgs,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, BACKEND_TOKEN: token, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  const exit = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>(resolve =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const portal: Portal = {
    port,
    baseUrl,
    token,
    dataDir,
    logs: () => output,
    // Straight to this backend, also behind a load balancer.
    api: (pathname, init = {}) =>
      fetch(`${ownUrl}${pathname}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
      }),
    stop: async () => {
      await stopProcess(child);
      await rm(dataDir, { recursive: true, force: true });
    },
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null)
        child.kill(signal);
      await exit;
    },
    exited: () => exit,
  };

  try {
    await waitFor(async () => {
      if (child.exitCode !== null) {
        throw new Error(
          `Backend exited with code ${child.exitCode}:\n${output}`,
        );
      }
      const response = await portal
        .api(
          `/api/catalog/entities/by-name/template/default/${GOLDEN_PATH_TEMPLATE}`,
        )
        .catch(() => undefined);
      return response?.status === 200;
    }, 90_000);
  } catch (error) {
    await portal.stop();
    throw error;
  }
  return portal;
}

/** Polls `check` until it returns true; rethrows what it throws, fails after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`Gave up waiting after ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

export async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

type ConfigObject = Record<string, unknown>;

function isObject(value: unknown): value is ConfigObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `extra` over `base`: objects merge key by key, anything else (arrays too) replaces. */
export function mergeDeep(
  base: ConfigObject,
  extra: ConfigObject,
): ConfigObject {
  const result = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = base[key];
    result[key] =
      isObject(value) && isObject(current) ? mergeDeep(current, value) : value;
  }
  return result;
}
