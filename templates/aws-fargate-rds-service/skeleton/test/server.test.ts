import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { loadConfig, type DatabaseSettings } from '../src/config';
import { createDatabaseProbe, type DatabaseProbe } from '../src/database';
import { createServer } from '../src/server';

/** Starts the service on a free port; returns its base URL and a function that stops it. */
async function start(database: DatabaseProbe | undefined, missing: string[] = []) {
  const server = createServer({ serviceName: 'test-service', healthCheckPath: '/ping', database, missing });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise(resolve => server.close(resolve));
      await database?.close();
    },
  };
}

// Nothing listens on port 1: the probe fails fast with ECONNREFUSED.
const unreachable: DatabaseSettings = {
  engine: 'postgres',
  host: '127.0.0.1',
  port: 1,
  user: 'app',
  password: 'super-secret-password-1234',
  database: 'app',
  tls: 'disable',
};

describe('without a reachable database', async () => {
  const service = await start(createDatabaseProbe(unreachable));
  after(() => service.stop());

  it('answers /healthz and the configured health check path (liveness never depends on the database)', async () => {
    for (const path of ['/healthz', '/ping']) {
      const res = await fetch(`${service.url}${path}`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
    }
  });

  it('reports on / that the database is unreachable, without the password', async () => {
    const res = await fetch(`${service.url}/`);
    const text = await res.text();
    assert.equal(res.status, 503);
    const body = JSON.parse(text);
    assert.equal(body.service, 'test-service');
    assert.equal(body.database.reachable, false);
    assert.match(body.database.error, /ECONNREFUSED/);
    assert.equal(text.includes(unreachable.password), false);
  });

  it('reports an unreachable MySQL database through the mysql2 driver', async () => {
    const mysqlService = await start(createDatabaseProbe({ ...unreachable, engine: 'mysql' }));
    try {
      const res = await fetch(`${mysqlService.url}/`);
      const text = await res.text();
      assert.equal(res.status, 503);
      assert.equal(JSON.parse(text).database.engine, 'mysql');
      assert.match(JSON.parse(text).database.error, /ECONNREFUSED/);
      assert.equal(text.includes(unreachable.password), false);
    } finally {
      await mysqlService.stop();
    }
  });

  it('refuses unknown routes and methods', async () => {
    assert.equal((await fetch(`${service.url}/admin`)).status, 404);
    const post = await fetch(`${service.url}/`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });
});

describe('without database settings', async () => {
  const service = await start(undefined, ['DB_HOST', 'DB_USER', 'DB_NAME']);
  after(() => service.stop());

  it('says which variables are missing', async () => {
    const res = await fetch(`${service.url}/`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { database: { error: string } };
    assert.equal(body.database.error, 'Not configured: set DB_HOST, DB_USER, DB_NAME');
  });
});

// The real database named by the environment (DB_HOST, DB_USER, DB_PASSWORD, DB_NAME, DB_ENGINE,
// DB_PORT, DB_SSL), e.g. DB_HOST=127.0.0.1 DB_USER=postgres DB_NAME=postgres DB_SSL=disable.
const fromEnvironment = loadConfig();
const skip = fromEnvironment.database
  ? false
  : `no database configured: set ${fromEnvironment.missing.join(', ')} to run it against a real database`;

describe('with the database from the environment', { skip }, async () => {
  const settings = fromEnvironment.database!;
  const service = await start(createDatabaseProbe(settings));
  after(() => service.stop());

  it('runs SELECT 1 and reports the database reachable, without the password', async () => {
    const res = await fetch(`${service.url}/`);
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const body = JSON.parse(text);
    assert.equal(body.database.reachable, true);
    assert.equal(body.database.engine, settings.engine);
    assert.equal(body.database.host, settings.host);
    assert.equal(typeof body.database.latencyMs, 'number');
    if (settings.password) {
      assert.equal(text.includes(settings.password), false);
    }
  });

  it('reports a wrong password as unreachable without echoing it', async () => {
    const wrong = { ...settings, user: 'no_such_user', password: 'wrong-password-5678' };
    const other = await start(createDatabaseProbe(wrong));
    try {
      const res = await fetch(`${other.url}/`);
      const text = await res.text();
      assert.equal(res.status, 503);
      assert.equal(JSON.parse(text).database.reachable, false);
      assert.equal(text.includes(wrong.password), false);
    } finally {
      await other.stop();
    }
  });
});
