/**
 * The rotation drill: the generated application runs as two tasks under steady load whose pools keep
 * opening new connections; the application secret rotates with the steps of AWS's published rotation
 * function; the service then rolls the way ECS does with minimum 100 % / maximum 200 % (new tasks
 * healthy and registered before the old ones drain and stop). Every failed request counts.
 * Alternating users must lose none; single-user rotation, on the same drill, must lose some.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BOOTSTRAP_VARIABLES,
  PASSWORD_EXCLUDED_CHARACTERS,
  bootstrapCommand,
  bootstrapScript,
} from '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service';
import {
  dropMysqlUsers,
  randomPassword,
  runBootstrapCommand,
  startMysql,
  startPostgres,
  uniqueName,
  type DatabaseServer,
  type Engine,
} from './support/databases';
import { rotateSecret, type Strategy } from './support/rotation';
import { LocalSecret } from './support/secretVersions';
import {
  SteadyLoad,
  renderService,
  startTask,
  type Credentials,
  type ServiceTask,
} from './support/serviceTasks';

jest.setTimeout(120_000);

const TASKS = 2;
const ROTATIONS = 2;

type DrillResult = {
  requests: number;
  failures: number;
  reasons: Map<string, number>;
  printed: string[];
  passwords: string[];
};

async function drill(
  server: DatabaseServer,
  serviceDir: string,
  strategy: Strategy,
): Promise<DrillResult> {
  const { engine, host, port } = server;
  const dbname = await server.createDatabase('drill');
  const username = uniqueName('d');
  const password = randomPassword();
  const printed: string[] = [];
  createdUsers.push(username, `${username}_clone`);

  // The application user, made by the stack's own bootstrap.
  const v = BOOTSTRAP_VARIABLES;
  const bootstrap = await runBootstrapCommand(bootstrapCommand(engine), {
    [v.host]: host,
    [v.port]: String(port),
    [v.masterUsername]: server.master.username,
    [v.masterPassword]: server.master.password,
    [v.appUsername]: username,
    [v.appPassword]: password,
    [v.appDatabase]: dbname,
    [v.script]: bootstrapScript(engine),
  });
  expect(bootstrap.code).toBe(0);
  printed.push(bootstrap.output);

  const master = new LocalSecret('arn:local:secret:master', {
    engine,
    host,
    port,
    username: server.master.username,
    password: server.master.password,
  });
  const secret = new LocalSecret('arn:local:secret:app', {
    engine,
    host,
    port,
    username,
    password,
    dbname,
    ...(strategy === 'alternating-users' ? { masterarn: master.arn } : {}),
  });
  const current = (): Credentials =>
    JSON.parse(
      secret.getSecretValue({ VersionStage: 'AWSCURRENT' }).SecretString,
    );
  let generation = 0;
  // A task that fails to start takes its siblings down with it: no process outlives the test.
  const startGeneration = async () => {
    const started = await Promise.allSettled(
      Array.from({ length: TASKS }, (_, i) =>
        startTask(serviceDir, engine, `g${generation}-t${i + 1}`, current()),
      ),
    );
    const running = started.flatMap(result =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    const failed = started.find(result => result.status === 'rejected');
    if (failed) {
      await Promise.all(running.map(task => task.stop()));
      throw failed.reason;
    }
    return running;
  };
  const allTasks: ServiceTask[] = [];

  let tasks = await startGeneration();
  allTasks.push(...tasks);
  const load = new SteadyLoad(4);
  try {
    tasks.forEach(task => load.register(task));
    await sleep(1000);
    for (let rotation = 1; rotation <= ROTATIONS; rotation++) {
      await rotateSecret({
        engine,
        strategy,
        secret,
        masters: new Map([[master.arn, master]]),
        excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
        log: line => printed.push(line),
      });
      // The redeploy starts after the rotation's event; the running tasks meanwhile keep serving.
      await sleep(1500);
      generation++;
      const replacements = await startGeneration();
      allTasks.push(...replacements);
      replacements.forEach(task => load.register(task));
      for (const task of tasks) await load.deregister(task);
      await Promise.all(tasks.map(task => task.stop()));
      tasks = replacements;
      await sleep(1000);
    }
  } finally {
    await load.stop();
    await Promise.all(tasks.map(task => task.stop()));
  }
  printed.push(...allTasks.map(task => task.output()));
  return {
    requests: load.requests,
    failures: load.failures,
    reasons: load.failureReasons,
    printed,
    passwords: [server.master.password, ...secret.passwords()],
  };
}

const createdUsers: string[] = [];
let service: { dir: string; remove(): void };

beforeAll(async () => {
  service = await renderService('postgres');
});
afterAll(async () => {
  await dropMysqlUsers(createdUsers).catch(() => undefined);
  service?.remove();
});

describe.each<[Engine, () => Promise<DatabaseServer>]>([
  ['postgres', startPostgres],
  ['mysql', startMysql],
])('rotation drill on %s', (engine, start) => {
  let server: DatabaseServer;
  const results = new Map<Strategy, DrillResult>();

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
    const line = (strategy: Strategy) => {
      const result = results.get(strategy);
      if (!result) return `${strategy}: not run`;
      const reasons = [...result.reasons]
        .map(([reason, count]) => `${count}× ${reason}`)
        .join('; ');
      return `${strategy}: ${result.failures} failed of ${result.requests} requests${reasons ? ` (${reasons})` : ''}`;
    };
    console.log(
      `rotation drill on ${engine}, ${TASKS} tasks, ${ROTATIONS} rotations, each followed by a 100/200 roll:\n  ${line('alternating-users')}\n  ${line('single-user')}`,
    );
  });

  it('alternating users: no request fails through rotations and rolls', async () => {
    const result = await drill(server, service.dir, 'alternating-users');
    results.set('alternating-users', result);
    expect(result.requests).toBeGreaterThan(200);
    expect(result.failures).toBe(0);
  });

  it('single user (the control): the same drill loses requests, so the drill can fail', async () => {
    const result = await drill(server, service.dir, 'single-user');
    results.set('single-user', result);
    expect(result.failures).toBeGreaterThan(0);
  });

  it('no log line of the rotation, the bootstrap or the tasks holds a password', () => {
    expect(results.size).toBe(2);
    for (const result of results.values()) {
      const printed = result.printed.join('\n');
      expect(printed.length).toBeGreaterThan(0);
      for (const password of result.passwords)
        expect(printed).not.toContain(password);
    }
  });
});
