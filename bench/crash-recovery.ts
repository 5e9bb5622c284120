/**
 * Time from a crash to the task's end, against the stale timeout. The real backend (SQLite, the default
 * config) runs the golden path against the scripted CloudFormation endpoint; it is killed with SIGKILL
 * the moment the change set is executed and started again at once. Printed per stale timeout: the time
 * to the restarted backend answering, to the task's `recovered` event, and to its end — beside the
 * same run without a crash (from ExecuteChangeSet to the end), in the same process and on the same endpoint.
 *
 * Run from the repository root: node --import tsx bench/crash-recovery.ts [staleSeconds,...] [runs]
 * e.g. node --import tsx bench/crash-recovery.ts 10,30 2
 */
import { performance } from 'node:perf_hooks';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import { goldenPathValues, QUICK_RECOVERY } from '../e2e/support/crash';
import { scriptedEndpointEnv } from '../e2e/support/testAccount';
import {
  GOLDEN_PATH_TEMPLATE,
  Portal,
  PortalOptions,
  startPortal,
  waitFor,
} from '../e2e/support/portal';
import { startTask, taskEvents, waitForCompletion } from '../e2e/support/tasks';

const staleTimeouts = (process.argv[2] ?? '10,30').split(',').map(Number);
const runs = Number(process.argv[3] ?? 2);
// TaskWorker looks for stale tasks on this fixed interval (plugin-scaffolder-backend 4.3).
const RECOVERY_INTERVAL_S = 10;

type Sample = { ready: number; recovered: number; end: number };

const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(6);
const mean = (values: number[]) =>
  values.reduce((sum, v) => sum + v, 0) / values.length;

async function untilExecuted(fake: FakeCloudFormation, stackName: string) {
  await waitFor(
    async () => fake.callsFor(stackName, 'ExecuteChangeSet').length > 0,
    120_000,
    10,
  );
  return performance.now();
}

async function main() {
  const fake = await FakeCloudFormation.start({
    accountId: '123456789012',
    region: 'us-east-1',
  });
  let counter = 0;
  const rows: string[] = [];
  try {
    for (const stale of staleTimeouts) {
      const options: PortalOptions = {
        env: scriptedEndpointEnv(fake),
        config: {
          ...QUICK_RECOVERY,
          scaffolder: { taskRecovery: { staleTimeout: { seconds: stale } } },
        },
      };
      let portal: Portal = await startPortal(options);
      const baseline: number[] = [];
      const crashed: Sample[] = [];
      try {
        for (let run = 0; run < runs; run += 1) {
          // The peer: the same deploy, never interrupted.
          const quiet = `bench-quiet-${(counter += 1)}`;
          fake.scenario(`${quiet}-dev`, { stepMs: 20 });
          const quietTask = await startTask(
            portal,
            GOLDEN_PATH_TEMPLATE,
            await goldenPathValues(quiet),
          );
          const quietExecuted = await untilExecuted(fake, `${quiet}-dev`);
          await waitForCompletion(portal, quietTask, 120_000);
          baseline.push(performance.now() - quietExecuted);

          const name = `bench-crash-${(counter += 1)}`;
          fake.scenario(`${name}-dev`, { stepMs: 20 });
          const taskId = await startTask(
            portal,
            GOLDEN_PATH_TEMPLATE,
            await goldenPathValues(name),
          );
          await untilExecuted(fake, `${name}-dev`);
          const killedAt = performance.now();
          await portal.kill('SIGKILL');
          portal = await startPortal({ ...options, restartOf: portal });
          const ready = performance.now() - killedAt;
          await waitFor(
            async () =>
              (await taskEvents(portal, taskId)).some(
                e => e.type === 'recovered',
              ),
            300_000,
            100,
          );
          const recovered = performance.now() - killedAt;
          const end = await waitForCompletion(portal, taskId, 300_000);
          if (end.status !== 'completed')
            throw new Error(`Task ${taskId} ended ${end.status}: ${end.error}`);
          crashed.push({ ready, recovered, end: performance.now() - killedAt });
        }
      } finally {
        await portal.stop();
      }
      rows.push(
        `${String(stale).padStart(9)} s | ${seconds(mean(crashed.map(s => s.ready)))} s | ${seconds(mean(crashed.map(s => s.recovered)))} s | ` +
          `${seconds(mean(crashed.map(s => s.end)))} s | ${seconds(mean(baseline))} s | ${seconds(Math.max(...crashed.map(s => s.end)))} s`,
      );
    }
  } finally {
    await fake.stop();
  }
  process.stdout.write(
    `\nkill -9 at ExecuteChangeSet, restart at once (SQLite, ${runs} run(s) per stale timeout; recovery interval ${RECOVERY_INTERVAL_S} s)\n` +
      'stale timeout | backend up | recovered | task end | no crash: execute → end | worst task end\n' +
      `${rows.join('\n')}\n`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
