import { access } from 'node:fs/promises';
import path from 'node:path';
import type { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import { formDefaults } from './scaffolder';
import { GOLDEN_PATH_TEMPLATE, Portal, waitFor } from './portal';
import { ACCOUNT, REGION, TEST_ACCOUNT_AWS_CONFIG } from './testAccount';

/** A golden-path run's form values for a service of this name (deployed by default). */
export async function goldenPathValues(
  name: string,
): Promise<Record<string, unknown>> {
  return {
    ...(await formDefaults(`templates/${GOLDEN_PATH_TEMPLATE}`)),
    name,
    owner: 'group:default/payments-team',
    deployTarget: { accountId: ACCOUNT, region: REGION },
  };
}

/**
 * Config for tests: a task is stale 10 s after its last heartbeat. A restarted backend looks for stale
 * tasks 10 s after it starts, so this costs a crash test nothing; 2 s was too short on a loaded machine
 * (load 14 on 2 cores): a live backend missed heartbeats for that long and took its own running task over.
 */
export const QUICK_RECOVERY = {
  scaffolder: { taskRecovery: { staleTimeout: { seconds: 10 } } },
  aws: TEST_ACCOUNT_AWS_CONFIG,
};

/** A write the backend makes slow (e2e/support/slowFs.cjs), so that a kill lands right after it. */
export interface SlowWrite {
  op: 'writeFile' | 'rename';
  path: string;
  content?: string;
  delayMs: number;
  marker: string;
}

/** The node options that load the slow-write preload, and the environment that configures it. */
export function slowWrites(writes: SlowWrite[]): {
  nodeArgs: string[];
  env: NodeJS.ProcessEnv;
} {
  return {
    nodeArgs: ['--require', path.join(__dirname, 'slowFs.cjs')],
    env: { GP_TEST_SLOW_FS: JSON.stringify(writes) },
  };
}

/** A point of the golden path to kill the backend at, and how the test knows it is there. */
export interface KillPoint {
  id: 'generate' | 'publish' | 'change-set' | 'execute' | 'register';
  /** How the fake stack behaves, so that the point lasts long enough to be hit. */
  scenario: { changeSetDelayMs?: number; stepMs?: number };
  /** Writes made slow for this point (markers go into `markerDirectory`). */
  slowWrites?(markerDirectory: string): SlowWrite[];
  reached(context: {
    portal: Portal;
    fake: FakeCloudFormation;
    taskId: string;
    name: string;
    markerDirectory: string;
  }): Promise<void>;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

const stackOf = (name: string) => `${name}-dev`;

export const KILL_POINTS: KillPoint[] = [
  {
    id: 'generate',
    scenario: {},
    // Killed once the CloudFormation file is written and before generate records its checkpoint.
    slowWrites: markers => [
      {
        op: 'writeFile',
        path: '/infra/template.yaml',
        content: 'crash-generate',
        delayMs: 3_000,
        marker: path.join(markers, 'generate'),
      },
    ],
    reached: ({ markerDirectory }) =>
      waitFor(
        () => exists(path.join(markerDirectory, 'generate')),
        120_000,
        10,
      ),
  },
  {
    id: 'publish',
    scenario: {},
    // Killed once the repository is in place and before publish records its checkpoint.
    slowWrites: markers => [
      {
        op: 'rename',
        path: '/repositories/crash-publish',
        delayMs: 3_000,
        marker: path.join(markers, 'publish'),
      },
    ],
    reached: ({ markerDirectory }) =>
      waitFor(() => exists(path.join(markerDirectory, 'publish')), 120_000, 10),
  },
  {
    id: 'change-set',
    // CloudFormation is still computing the change set when the backend dies.
    scenario: { changeSetDelayMs: 5_000 },
    reached: ({ fake, name }) =>
      waitFor(
        async () => fake.callsFor(stackOf(name), 'CreateChangeSet').length > 0,
        120_000,
        10,
      ),
  },
  {
    id: 'execute',
    // The stack takes a few seconds to create: it is CREATE_IN_PROGRESS when the backend dies.
    scenario: { stepMs: 150 },
    reached: ({ fake, name }) =>
      waitFor(
        async () => fake.callsFor(stackOf(name), 'ExecuteChangeSet').length > 0,
        120_000,
        10,
      ),
  },
  {
    id: 'register',
    // Killed once the location is in the catalog: register's own earlier work is there on restart.
    scenario: {},
    reached: async ({ portal, name }) => {
      await waitFor(
        async () => {
          const response = await portal.api('/api/catalog/locations');
          const locations = (await response.json()) as {
            data: { target: string };
          }[];
          return locations.some(l => l.data.target.includes(`/repos/${name}/`));
        },
        120_000,
        10,
      );
    },
  },
];

export function repositoriesOf(portal: Portal): string {
  return path.join(portal.dataDir, 'repositories');
}
