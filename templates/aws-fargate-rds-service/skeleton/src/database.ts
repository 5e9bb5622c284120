import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DatabaseSettings, TlsMode } from './config';
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

export function createDatabaseProbe(settings: DatabaseSettings): DatabaseProbe {
  const { engine, host, port, database, user, password } = settings;
  const runner = engine === 'postgres' ? postgresQuery(settings) : mysqlQuery(settings);
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

function postgresQuery(settings: DatabaseSettings): QueryRunner {
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

function mysqlQuery(settings: DatabaseSettings): QueryRunner {
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
  return {
    async selectOne() {
      await pool.query({ sql: 'SELECT 1', timeout: TIMEOUT_MS });
    },
    close: () => pool.end(),
  };
}

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
