import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import {
  goldenPathValues,
  KILL_POINTS,
  QUICK_RECOVERY,
  repositoriesOf,
  slowWrites,
} from './support/crash';
import { scriptedEndpointEnv } from './support/testAccount';
import {
  GOLDEN_PATH_TEMPLATE,
  Portal,
  PortalOptions,
  startPortal,
  waitFor,
} from './support/portal';
import {
  dropDatabases,
  postgresConfigured,
  uniqueDatabasePrefix,
} from './support/postgres';
import {
  catalogCount,
  publishedRepositories,
  stackActivity,
  startTask,
  statusesBeforeRecovery,
  waitForCompletion,
} from './support/tasks';

// Each database runs the five kills in turn: one backend start, kill and restart per step.
jest.setTimeout(420_000);

/**
 * The golden path on the default config: the backend is killed with SIGKILL while each step runs
 * and started again on the same data; the task must still end once, with nothing done twice.
 */
function crashRecoverySuite(database: 'SQLite' | 'PostgreSQL') {
  describe(`kill -9 during each golden-path step, on ${database}`, () => {
    let fake: FakeCloudFormation;
    let portal: Portal;
    let options: PortalOptions;
    let markerDirectory: string;
    const prefix = uniqueDatabasePrefix('crash');

    beforeAll(async () => {
      fake = await FakeCloudFormation.start({
        accountId: '123456789012',
        region: 'us-east-1',
      });
      markerDirectory = await mkdtemp(path.join(tmpdir(), 'crash-markers-'));
      const slow = slowWrites(
        KILL_POINTS.flatMap(point => point.slowWrites?.(markerDirectory) ?? []),
      );
      options = {
        env: { ...scriptedEndpointEnv(fake), ...slow.env },
        nodeArgs: slow.nodeArgs,
        ...(database === 'PostgreSQL'
          ? {
              configFiles: ['app-config.production.yaml'],
              config: { ...QUICK_RECOVERY, backend: { database: { prefix } } },
            }
          : { config: QUICK_RECOVERY }),
      };
      portal = await startPortal(options);
    });

    afterAll(async () => {
      await portal?.stop();
      await fake?.stop();
      await rm(markerDirectory, { recursive: true, force: true });
      if (database === 'PostgreSQL') await dropDatabases(prefix);
    });

    it.each(KILL_POINTS.map(point => [point.id, point] as const))(
      'killed during %s: completes once',
      async (_id, point) => {
        const name = `crash-${point.id}`;
        const stackName = `${name}-dev`;
        fake.scenario(stackName, point.scenario);
        const taskId = await startTask(
          portal,
          GOLDEN_PATH_TEMPLATE,
          await goldenPathValues(name),
        );

        await point.reached({ portal, fake, taskId, name, markerDirectory });
        const stackAtKill = fake.stack(stackName)?.status;
        await portal.kill('SIGKILL');
        portal = await startPortal({ ...options, restartOf: portal });

        const end = await waitForCompletion(portal, taskId, 120_000);
        expect(end.error).toBeUndefined();
        expect(end.status).toBe('completed');
        // Taken over once: after the kill, and never while a backend was still running it.
        expect(end.events.filter(e => e.type === 'recovered')).toHaveLength(1);

        // The kill came while the step ran: it had started and not finished.
        const stepId =
          {
            generate: 'generate',
            publish: 'publish-local',
            register: 'register',
          }[point.id as string] ?? 'deploy';
        expect(statusesBeforeRecovery(end.events, stepId)).toEqual([
          'processing',
        ]);
        if (point.id === 'publish') {
          // The repository was in place before the kill: the resumed publish took it as its own.
          expect(end.events.map(e => e.body.message)).toContainEqual(
            expect.stringContaining(
              'already published by this task before a restart',
            ),
          );
        }
        if (point.id === 'change-set')
          expect(stackAtKill).toBe('REVIEW_IN_PROGRESS');
        if (point.id === 'execute')
          expect(stackAtKill).toBe('CREATE_IN_PROGRESS');

        expect(await publishedRepositories(repositoriesOf(portal))).toEqual(
          KILL_POINTS.slice(0, KILL_POINTS.indexOf(point) + 1)
            .map(p => `crash-${p.id}`)
            .sort(),
        );
        const activity = stackActivity(fake, stackName);
        expect(activity).toMatchObject({
          status: 'CREATE_COMPLETE',
          changeSets: 1,
          executeTokens: 1,
          operationsStarted: 1,
        });
        if (point.id !== 'change-set' && point.id !== 'execute') {
          expect(activity).toMatchObject({
            createChangeSetCalls: 1,
            executeChangeSetCalls: 1,
          });
        }

        await waitFor(
          async () => (await catalogCount(portal, 'component', name)) === 1,
          60_000,
        );
        expect(await catalogCount(portal, 'resource', stackName)).toBe(1);
        expect(
          await catalogCount(portal, 'resource', `${stackName}-database`),
        ).toBe(1);
        const locations = (await (
          await portal.api('/api/catalog/locations')
        ).json()) as { data: { target: string } }[];
        expect(
          locations.filter(l => l.data.target.includes(`/repos/${name}/`)),
        ).toHaveLength(1);
        expect(portal.logs()).not.toContain(portal.token);
      },
    );
  });
}

crashRecoverySuite('SQLite');
(postgresConfigured
  ? crashRecoverySuite
  : (db: string) =>
      describe.skip(`on ${db}`, () => it('needs POSTGRES_HOST', () => {})))(
  'PostgreSQL',
);
