/**
 * The Secrets card's backend under many browser tabs: cold against warm latency of
 * `GET /api/cloudformation/secrets/by-entity/…`, and the AWS calls per kind one cache period costs
 * while many tabs poll at once — beside the stack card's route (`/stacks/by-entity/…`, 30 s cache)
 * polled the same way in the same run, as the peer. Both share concurrent cache misses (before they
 * did, the stack route made one read per tab that missed: 27 of each call for 50 tabs).
 * Goal: warm under a tenth of cold; one AWS call per kind per cache period, however many tabs poll.
 *
 * Real backend process, real AWS SDK over HTTP: moto for Secrets Manager and ECS (behind a counting
 * proxy), the project's scripted endpoints for CloudFormation and CloudTrail.
 *
 * Local endpoints answer in about a millisecond, far faster than a region does, which flatters the
 * cold time; so the latencies are measured twice: as the endpoints answer, and with LATENCY_MS added
 * to every AWS answer (a same-region API call; CloudTrail LookupEvents is often slower still).
 *
 * Run from the repository root: node --import tsx bench/secrets-card-cache.ts [tabs] [seconds] [latencyMs]
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import {
  FakeCloudFormation,
  FakeCloudTrail,
  startMotoServer,
} from '@golden-path/plugin-cloudformation-node/testUtils';
import { startPortal } from '../e2e/support/portal';
import {
  createInMoto,
  deployedStack,
  plantReads,
} from '../e2e/support/secretsWorld';
import {
  ACCOUNT,
  plantComponents,
  REGION,
  TEST_ACCOUNT_AWS_CONFIG,
} from '../e2e/support/testAccount';

const tabs = Number(process.argv[2] ?? 50);
const seconds = Number(process.argv[3] ?? 10);
const LATENCY_MS = Number(process.argv[4] ?? 50);
const POLL_MS = 1_000;
const STACK = 'bench-api-dev';

const TEMPLATE = stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    Cluster: {
      Type: 'AWS::ECS::Cluster',
      Properties: { ClusterName: 'bench-api-dev' },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: { Cluster: { Ref: 'Cluster' }, ServiceName: 'bench-api' },
    },
    ExecutionRole: { Type: 'AWS::IAM::Role', Properties: {} },
    DatabaseSecret: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: { Name: 'bench-api-dev/database' },
    },
  },
  Outputs: { DatabaseSecretArn: { Value: { Ref: 'DatabaseSecret' } } },
});

const median = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Forwards to moto and counts the JSON-protocol actions (X-Amz-Target) per service. */
async function countingProxy(target: string) {
  const counts = new Map<string, number>();
  const proxy = { latencyMs: 0 };
  const server = http.createServer(async (req, res) => {
    if (proxy.latencyMs)
      await new Promise(resolve => setTimeout(resolve, proxy.latencyMs));
    const action = String(req.headers['x-amz-target'] ?? 'unknown')
      .replace(/^secretsmanager\./, 'SecretsManager.')
      .replace(/^AmazonEC2ContainerServiceV20141113\./, 'ECS.');
    counts.set(action, (counts.get(action) ?? 0) + 1);
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      reply => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    stop: () => new Promise(resolve => server.close(resolve)),
  });
}

async function main() {
  const moto = await startMotoServer();
  const proxy = await countingProxy(moto.url);
  const cloudFormation = await FakeCloudFormation.start({
    accountId: ACCOUNT,
    region: REGION,
  });
  const cloudTrail = await FakeCloudTrail.start({ accountId: ACCOUNT });
  cloudFormation.scenario(STACK, {
    existing: { status: 'CREATE_COMPLETE', templateBody: TEMPLATE },
  });
  const stack = deployedStack(cloudFormation, STACK);
  await createInMoto(moto.url, stack, ACCOUNT);
  plantReads(cloudTrail, stack);

  const catalog = await plantComponents([
    {
      name: 'bench-api',
      annotations: {
        'aws.amazon.com/cloudformation-stack-name': STACK,
        'aws.amazon.com/cloudformation-region': REGION,
        'aws.amazon.com/account-id': ACCOUNT,
      },
    },
  ]);
  const portal = await startPortal({
    env: {
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: cloudTrail.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: proxy.url,
      AWS_ENDPOINT_URL_ECS: proxy.url,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
    config: { catalog: catalog.config, aws: TEST_ACCOUNT_AWS_CONFIG },
  });
  try {
    const secretsRoute = (windowDays: number) =>
      `/api/cloudformation/secrets/by-entity/component/default/bench-api?windowDays=${windowDays}`;
    const stackRoute =
      '/api/cloudformation/stacks/by-entity/component/default/bench-api';
    const timed = async (route: string) => {
      const start = performance.now();
      const response = await portal.api(route);
      if (!response.ok)
        throw new Error(
          `${route}: HTTP ${response.status} ${await response.text()}`,
        );
      await response.json();
      return performance.now() - start;
    };
    // The catalog ingests the entity in the background (asked directly: no card route is warmed here).
    for (
      let attempt = 0;
      !(
        await portal.api(
          '/api/catalog/entities/by-name/component/default/bench-api',
        )
      ).ok;
      attempt++
    ) {
      if (attempt > 240)
        throw new Error('The catalog never served component:default/bench-api');
      await new Promise(resolve => setTimeout(resolve, 250));
    }

    // Cold: each window is its own cache entry. Warm: the same window again.
    const setLatency = (ms: number) => {
      cloudFormation.setLatency(ms);
      cloudTrail.latencyMs = ms;
      proxy.latencyMs = ms;
    };
    const measure = async (windows: number[]) => {
      const cold: number[] = [];
      const warm: number[] = [];
      for (const windowDays of windows) {
        cold.push(await timed(secretsRoute(windowDays)));
        for (let i = 0; i < 5; i++)
          warm.push(await timed(secretsRoute(windowDays)));
      }
      return { cold, warm };
    };
    const local = await measure([2, 3, 4, 5, 6, 8, 9, 10]);
    setLatency(LATENCY_MS);
    const regional = await measure([11, 12, 13, 14, 15, 16, 17, 18]);

    // Many tabs polling one entity for a while, from a cold start; then the baseline route likewise.
    const snapshot = () => ({
      cloudFormation: cloudFormation.calls.length,
      cloudTrail: cloudTrail.calls.length,
      proxy: new Map(proxy.counts),
    });
    const callsSince = (before: ReturnType<typeof snapshot>) => {
      const kinds = new Map<string, number>();
      for (const call of cloudFormation.calls.slice(before.cloudFormation))
        kinds.set(
          `CloudFormation.${call.action}`,
          (kinds.get(`CloudFormation.${call.action}`) ?? 0) + 1,
        );
      for (const call of cloudTrail.calls.slice(before.cloudTrail)) {
        const name = (
          call.params.LookupAttributes as
            Array<{ AttributeValue: string }> | undefined
        )?.[0]?.AttributeValue;
        const kind = `CloudTrail.${call.action}(${name})`;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      for (const [kind, count] of proxy.counts) {
        const delta = count - (before.proxy.get(kind) ?? 0);
        if (delta) kinds.set(kind, delta);
      }
      return kinds;
    };
    const poll = async (route: string) => {
      const before = snapshot();
      const deadline = Date.now() + seconds * 1000;
      let requests = 0;
      await Promise.all(
        Array.from({ length: tabs }, async (_, tab) => {
          await new Promise(resolve =>
            setTimeout(resolve, (tab * POLL_MS) / tabs / 10),
          );
          while (Date.now() < deadline) {
            await timed(route);
            requests++;
            await new Promise(resolve => setTimeout(resolve, POLL_MS));
          }
        }),
      );
      return { requests, calls: callsSince(before) };
    };
    // The stack card's cache is 30 s and the secrets card's 60 s: a 10 s run stays within one period of each.
    const secrets = await poll(secretsRoute(7));
    const stacks = await poll(stackRoute);

    console.log(
      `Secrets card backend, ${tabs} tabs polling every ${POLL_MS / 1000} s for ${seconds} s (real backend; moto + scripted endpoints)\n`,
    );
    const row = (label: string, samples: number[]) =>
      `  ${label.padEnd(40)} ${median(samples).toFixed(1).padStart(7)} ${Math.min(
        ...samples,
      )
        .toFixed(1)
        .padStart(7)} ${Math.max(...samples)
        .toFixed(1)
        .padStart(7)}`;
    for (const [title, { cold, warm }] of [
      ['as the local endpoints answer', local],
      [`with ${LATENCY_MS} ms added to every AWS answer`, regional],
    ] as const) {
      console.log(
        `latency of GET /secrets/by-entity (ms), ${title}:  median     min     max`,
      );
      console.log(row(`cold (cache miss, ${cold.length} windows)`, cold));
      console.log(row(`warm (cache hit, ${warm.length} requests)`, warm));
      console.log(
        `  warm / cold: ${(median(warm) / median(cold)).toFixed(3)} (goal < 0.1)\n`,
      );
    }
    const printCalls = (
      title: string,
      result: { requests: number; calls: Map<string, number> },
    ) => {
      console.log(
        `${title}: ${result.requests} requests from ${tabs} tabs → AWS calls per kind:`,
      );
      for (const [kind, count] of [...result.calls].sort())
        console.log(`  ${kind.padEnd(52)} ${count}`);
      console.log();
    };
    console.log(`(polling with ${LATENCY_MS} ms added to every AWS answer)`);
    printCalls('GET /secrets/by-entity (single-flight + 60 s cache)', secrets);
    printCalls(
      'peer GET /stacks/by-entity (single-flight + 30 s cache)',
      stacks,
    );
    const worst = Math.max(...secrets.calls.values());
    console.log(
      `secrets route: at most ${worst} call(s) of any kind in the period (goal 1)`,
    );
  } finally {
    await portal.stop();
    await Promise.all([
      cloudFormation.stop(),
      cloudTrail.stop(),
      proxy.stop(),
      moto.stop(),
    ]);
    await catalog.remove();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
