import mysql from 'mysql2/promise';
import pg from 'pg';
import { DATABASE_ENGINES, type DatabaseEngineFacts, type DatabaseSettings, type TlsMode } from './config';
import { log } from './log';

/** What `/` reports about the database. Never holds the password. */
export interface DatabaseStatus {
  reachable: boolean;
  engine: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Round trip of `SELECT 1` when reachable. */
  latencyMs?: number;
  error?: string;
}

export interface DatabaseProbe {
  /** Runs `SELECT 1` on a pooled connection. */
  check(): Promise<DatabaseStatus>;
  close(): Promise<void>;
}

/** Fail fast: a load balancer health check or a person is waiting. */
const TIMEOUT_MS = 3000;

export interface PoolOptions {
  /** Close a connection older than this when it is released; 0 keeps connections. */
  maxLifetimeSeconds?: number;
}

export function createDatabaseProbe(settings: DatabaseSettings, options: PoolOptions = {}): DatabaseProbe {
  const { engine, host, port, database, user, password } = settings;
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? 0;
  const runner = QUERY_RUNNERS[DATABASE_ENGINES[engine].clientLibrary](settings, maxLifetimeSeconds);
  const described = { engine, host, port, database, user };

  return {
    async check() {
      const started = process.hrtime.bigint();
      try {
        await runner.selectOne();
        const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
        return { reachable: true, ...described, latencyMs: Math.round(latencyMs * 10) / 10 };
      } catch (error) {
        const message = redact(error instanceof Error ? error.message : String(error), password);
        log('warn', 'database check failed', { ...described, error: message });
        return { reachable: false, ...described, error: message };
      }
    },
    close: runner.close,
  };
}

interface QueryRunner {
  selectOne(): Promise<void>;
  close(): Promise<void>;
}

function postgresQuery(settings: DatabaseSettings, maxLifetimeSeconds: number): QueryRunner {
  const pool = new pg.Pool({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.database,
    ssl: tlsOptions(settings.tls),
    max: 2,
    connectionTimeoutMillis: TIMEOUT_MS,
    query_timeout: TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    maxLifetimeSeconds,
  });
  // An idle connection dropped by the server (failover, rotation) must not crash the process.
  pool.on('error', error => log('warn', 'idle database connection failed', { error: redact(error.message, settings.password) }));
  return {
    async selectOne() {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

function mysqlQuery(settings: DatabaseSettings, maxLifetimeSeconds: number): QueryRunner {
  const pool = mysql.createPool({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.database,
    ssl: tlsOptions(settings.tls),
    connectionLimit: 2,
    connectTimeout: TIMEOUT_MS,
  });
  // mysql2's pool has no lifetime setting: note each connection's birth and retire it on release.
  // The promise wrapper is new on every checkout; the connection under it is the pooled one.
  const born = new WeakMap<object, number>();
  return {
    async selectOne() {
      const connection = await pool.getConnection();
      const pooled = connection.connection;
      if (!born.has(pooled)) born.set(pooled, Date.now());
      try {
        await connection.query({ sql: 'SELECT 1', timeout: TIMEOUT_MS });
      } finally {
        const expired = maxLifetimeSeconds > 0 && Date.now() - born.get(pooled)! >= maxLifetimeSeconds * 1000;
        if (expired) connection.destroy();
        else connection.release();
      }
    },
    close: () => pool.end(),
  };
}

/** One runner per client library of the engine table. */
const QUERY_RUNNERS: Record<DatabaseEngineFacts['clientLibrary'], (settings: DatabaseSettings, maxLifetimeSeconds: number) => QueryRunner> = {
  pg: postgresQuery,
  mysql2: mysqlQuery,
};

function tlsOptions(mode: TlsMode): { rejectUnauthorized: boolean } | undefined {
  if (mode === 'disable') {
    return undefined;
  }
  return { rejectUnauthorized: mode === 'verify-full' };
}

/** Drivers do not print passwords today; this keeps it so if one ever echoes a connection string. */
function redact(message: string, password: string): string {
  return password ? message.split(password).join('[redacted]') : message;
}
