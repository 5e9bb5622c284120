import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICE_NAME, loadConfig } from '../src/config';

const database = { DB_HOST: 'db.internal', DB_USER: 'app', DB_PASSWORD: 'pw', DB_NAME: 'app' };

describe('loadConfig', () => {
  it('reads the database the task definition injects', () => {
    const config = loadConfig({ ...database, DB_ENGINE: 'mysql', DB_PORT: '3307', PORT: '9000', HEALTH_CHECK_PATH: '/ping' });
    assert.equal(config.serviceName, SERVICE_NAME);
    assert.equal(config.port, 9000);
    assert.equal(config.healthCheckPath, '/ping');
    assert.deepEqual(config.database, {
      engine: 'mysql',
      host: 'db.internal',
      port: 3307,
      user: 'app',
      password: 'pw',
      database: 'app',
      tls: 'require',
    });
  });

  it("defaults the port to the engine's", () => {
    assert.equal(loadConfig({ ...database, DB_ENGINE: 'postgres' }).database?.port, 5432);
    assert.equal(loadConfig({ ...database, DB_ENGINE: 'mysql' }).database?.port, 3306);
  });

  it('falls back to the engine, port and health check path the repository was generated with', () => {
    const config = loadConfig(database);
    assert.ok(config.database && ['postgres', 'mysql'].includes(config.database.engine));
    assert.ok(config.port >= 1 && config.port <= 65535);
    assert.ok(config.healthCheckPath.startsWith('/'));
  });

  it('lists what is missing instead of guessing a database', () => {
    const config = loadConfig({ DB_HOST: 'db.internal', DB_ENGINE: 'postgres' });
    assert.equal(config.database, undefined);
    assert.deepEqual(config.missing, ['DB_USER', 'DB_NAME']);
  });

  it('keeps pooled connections unless DB_POOL_MAX_LIFETIME_SECONDS says otherwise', () => {
    assert.equal(loadConfig(database).poolMaxLifetimeSeconds, 0);
    assert.equal(loadConfig({ ...database, DB_POOL_MAX_LIFETIME_SECONDS: '300' }).poolMaxLifetimeSeconds, 300);
    assert.throws(() => loadConfig({ ...database, DB_POOL_MAX_LIFETIME_SECONDS: '-1' }), /DB_POOL_MAX_LIFETIME_SECONDS must be a whole number of seconds/);
  });

  it('refuses invalid values, naming the variable', () => {
    assert.throws(() => loadConfig({ ...database, DB_ENGINE: 'oracle' }), /DB_ENGINE must be "postgres" or "mysql"/);
    assert.throws(() => loadConfig({ ...database, DB_PORT: '70000' }), /DB_PORT must be a port number/);
    assert.throws(() => loadConfig({ ...database, PORT: 'http' }), /PORT must be a port number/);
    assert.throws(() => loadConfig({ ...database, DB_SSL: 'yes' }), /DB_SSL must be one of disable, require, verify-full/);
    assert.throws(() => loadConfig({ ...database, HEALTH_CHECK_PATH: 'healthz' }), /HEALTH_CHECK_PATH must be a URL path/);
  });
});
