import { loadConfig } from './config';
import { createDatabaseProbe } from './database';
import { log } from './log';
import { createServer } from './server';

const config = loadConfig();
const database = config.database && createDatabaseProbe(config.database, { maxLifetimeSeconds: config.poolMaxLifetimeSeconds });
const server = createServer({
  serviceName: config.serviceName,
  healthCheckPath: config.healthCheckPath,
  database,
  missing: config.missing,
});

server.listen(config.port, () => {
  log('info', 'listening', {
    port: config.port,
    database: config.database
      ? `${config.database.engine}://${config.database.host}:${config.database.port}/${config.database.database}`
      : `not configured (missing ${config.missing.join(', ')})`,
  });
});

// ECS sends SIGTERM and waits (stopTimeout) before SIGKILL: finish in-flight requests, then close the pool.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log('info', 'shutting down', { signal });
    server.close(() => {
      void (database?.close() ?? Promise.resolve()).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  });
}
