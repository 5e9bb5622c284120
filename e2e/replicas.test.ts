import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import { goldenPathValues, QUICK_RECOVERY } from './support/crash';
import { scriptedEndpointEnv } from './support/testAccount';
import { startLoadBalancer, LoadBalancer } from './support/loadBalancer';
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
  taskEvents,
  waitForCompletion,
} from './support/tasks';

jest.setTimeout(600_000);

// Short, but longer than a live replica's heartbeat gaps on a loaded machine (see QUICK_RECOVERY).
const STALE_TIMEOUT_S = 10;
// The scaffolder looks for stale tasks every 10 s (TaskWorker's fixed recovery interval).
const RECOVERY_INTERVAL_S = 10;

/** Two identical backends on one PostgreSQL and one shared folder, behind one load balancer. */
(postgresConfigured ? describe : describe.skip)(
  'two replicas on one PostgreSQL',
  () => {
    const prefix = uniqueDatabasePrefix('replicas');
    let fake: FakeCloudFormation;
    let balancer: LoadBalancer;
    let shared: string;
    let options: PortalOptions;
    let replicas: Portal[] = [];

    const startReplica = () => startPortal(options);
    const useReplicas = (running: Portal[]) => {
      replicas = running;
      balancer.setTargets(running.map(replica => replica.port));
    };

    beforeAll(async () => {
      fake = await FakeCloudFormation.start({
        accountId: '123456789012',
        region: 'us-east-1',
      });
      balancer = await startLoadBalancer();
      shared = await mkdtemp(path.join(tmpdir(), 'replicas-shared-'));
      options = {
        configFiles: ['app-config.production.yaml'],
        publicUrl: balancer.url,
        env: scriptedEndpointEnv(fake),
        config: {
          ...QUICK_RECOVERY,
          backend: { database: { prefix } },
          scaffolder: {
            taskRecovery: {
              staleTimeout: { seconds: STALE_TIMEOUT_S },
              sharedDirectory: { path: path.join(shared, 'workspaces') },
            },
            localPublish: { rootDirectory: path.join(shared, 'repositories') },
          },
        },
      };
      // The first one creates the databases; then the second joins.
      const first = await startReplica();
      useReplicas([first, await startReplica()]);
    });

    afterAll(async () => {
      await Promise.all(replicas.map(replica => replica.stop()));
      await balancer?.stop();
      await fake?.stop();
      if (shared) await rm(shared, { recursive: true, force: true });
      await dropDatabases(prefix);
    });

    it('runs each of 20 tasks started through either replica exactly once', async () => {
      const names = Array.from({ length: 20 }, (_, i) => `replica-svc-${i}`);
      const taskIds = await Promise.all(
        names.map(async (name, i) =>
          startTask(
            replicas[i % 2],
            GOLDEN_PATH_TEMPLATE,
            await goldenPathValues(name),
          ),
        ),
      );
      const ends = await Promise.all(
        taskIds.map((taskId, i) =>
          waitForCompletion(replicas[(i + 1) % 2], taskId, 300_000),
        ),
      );

      for (const [i, end] of ends.entries()) {
        expect({
          task: names[i],
          error: end.error,
          status: end.status,
        }).toEqual({ task: names[i], error: undefined, status: 'completed' });
        // Never taken over: each ran once, start to end, on one replica.
        expect(end.events.filter(e => e.type === 'recovered')).toHaveLength(0);
        expect(stackActivity(fake, `${names[i]}-dev`)).toMatchObject({
          status: 'CREATE_COMPLETE',
          changeSets: 1,
          createChangeSetCalls: 1,
          executeChangeSetCalls: 1,
          operationsStarted: 1,
        });
      }
      expect(
        await publishedRepositories(path.join(shared, 'repositories')),
      ).toEqual([...names].sort());
      // Each task ran on exactly one replica. Which one is a race: a replica waiting for work is woken only
      // by tasks posted to itself, and whichever claims first wins (seen: 7/13, 20/0).
      for (const taskId of taskIds) {
        expect(replicas.filter(replica => ranOn(replica, taskId))).toHaveLength(
          1,
        );
      }
      const ran = replicas.map(
        replica => taskIds.filter(taskId => ranOn(replica, taskId)).length,
      );
      process.stdout.write(
        `20 tasks: ${ran[0]} ran on the first replica, ${ran[1]} on the second\n`,
      );
      await waitFor(
        async () =>
          (await catalogCount(replicas[0], 'component', names[19])) === 1,
        60_000,
      );
    });

    it.each(['SIGKILL', 'SIGTERM'] as const)(
      'after %s of the replica running a deploy, the other finishes it with no second execution',
      async signal => {
        const name = `handover-${signal.toLowerCase()}`;
        const stackName = `${name}-dev`;
        // The stack takes a while: it is still creating when its replica goes.
        fake.scenario(stackName, { stepMs: 150 });
        const taskId = await startTask(
          replicas[0],
          GOLDEN_PATH_TEMPLATE,
          await goldenPathValues(name),
        );
        await waitFor(
          async () => fake.callsFor(stackName, 'ExecuteChangeSet').length > 0,
          120_000,
          10,
        );
        // The execution is checkpointed once ExecuteChangeSet has answered; the watch's first progress line comes
        // after that checkpoint, so the replica goes only once its task holds the execution.
        await waitFor(
          async () =>
            (await taskEvents(replicas[0], taskId)).some(e =>
              /Progress: \d+ of \d+ resources complete/.test(
                String(e.body.message ?? ''),
              ),
            ),
          120_000,
          50,
        );

        const owner = replicas.find(replica => ranOn(replica, taskId))!;
        const survivor = replicas.find(replica => replica !== owner)!;
        const stoppedAt = Date.now();
        await owner.kill(signal);
        const exitSeconds = (Date.now() - stoppedAt) / 1000;
        expect(fake.stack(stackName)?.status).toBe('CREATE_IN_PROGRESS');
        if (signal === 'SIGTERM') {
          // Graceful: it stopped within the platform's 30 s, and left the task for another replica.
          expect(exitSeconds).toBeLessThan(30);
          expect(await owner.exited()).toEqual({ code: 0, signal: null });
        }
        useReplicas([survivor]);
        await owner.stop();

        let recoveredAt: number | undefined;
        await waitFor(
          async () => {
            recoveredAt = (await taskEvents(survivor, taskId)).some(
              e => e.type === 'recovered',
            )
              ? Date.now()
              : undefined;
            return recoveredAt !== undefined;
          },
          120_000,
          100,
        );
        const end = await waitForCompletion(survivor, taskId, 120_000);
        const recoverySeconds = (recoveredAt! - stoppedAt) / 1000;
        process.stdout.write(
          `${signal}: owner exited after ${exitSeconds.toFixed(1)} s; task taken over after ${recoverySeconds.toFixed(1)} s ` +
            `(stale timeout ${STALE_TIMEOUT_S} s + recovery interval ${RECOVERY_INTERVAL_S} s); ended ${((end.endedAt - stoppedAt) / 1000).toFixed(1)} s after the stop\n`,
        );

        expect(end.error).toBeUndefined();
        expect(end.status).toBe('completed');
        expect(end.events.filter(e => e.type === 'recovered')).toHaveLength(1);
        expect(ranOn(survivor, taskId)).toBe(true);
        expect(recoverySeconds).toBeLessThanOrEqual(
          exitSeconds + STALE_TIMEOUT_S + RECOVERY_INTERVAL_S + 2,
        );
        expect(stackActivity(fake, stackName)).toMatchObject({
          status: 'CREATE_COMPLETE',
          changeSets: 1,
          executeTokens: 1,
          operationsStarted: 1,
        });
        expect(end.events.map(e => e.body.message)).toContainEqual(
          expect.stringContaining('Resuming after a restart'),
        );
        await waitFor(
          async () => (await catalogCount(survivor, 'component', name)) === 1,
          60_000,
        );

        // Back to two replicas for whatever comes next.
        useReplicas([survivor, await startReplica()]);
      },
    );
  },
);

/** Whether this replica ran the task: the scaffolder's audit log has an `execution` event for it. */
function ranOn(replica: Portal, taskId: string): boolean {
  return replica
    .logs()
    .includes(`"actionType":"execution","taskId":"${taskId}"`);
}
