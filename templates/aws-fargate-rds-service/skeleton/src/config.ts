// Values chosen when the repository was generated. The scaffolder writes them as JSON strings,
// which are valid TypeScript string literals whatever they contain.
export const SERVICE_NAME: string = ${{ values.name | dump }};
const GENERATED_DB_ENGINE: string = ${{ values.database.engine | default("postgres") | dump }};
const GENERATED_PORT: string = ${{ values.containerPort | default(8080) | string | dump }};
const GENERATED_HEALTH_CHECK_PATH: string = ${{ values.healthCheckPath | default("/healthz") | dump }};

/** An engine id of {@link DATABASE_ENGINES}: `postgres`, `mysql`. */
export type DatabaseEngine = string;

export interface DatabaseEngineFacts {
  label: string;
  /** The port the engine listens on unless DB_PORT says otherwise. */
  port: number;
  /** The driver that talks to it. */
  clientLibrary: 'pg' | 'mysql2';
}

/** The engines this app connects to (DB_ENGINE), from the golden path's table of engines. */
export const DATABASE_ENGINES: Readonly<Record<DatabaseEngine, DatabaseEngineFacts>> = ${{ values.appDatabaseEngines | dump }};

/**
 * How to use TLS towards the database. `require` encrypts without verifying the server certificate;
 * `verify-full` also verifies it (add the RDS CA bundle through NODE_EXTRA_CA_CERTS).
 */
export type TlsMode = 'disable' | 'require' | 'verify-full';

export interface DatabaseSettings {
  engine: DatabaseEngine;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  tls: TlsMode;
}

export interface AppConfig {
  serviceName: string;
  port: number;
  /** The path the load balancer's health check requests. */
  healthCheckPath: string;
  /** Undefined when the environment does not name a database; `missing` says which variables are absent. */
  database?: DatabaseSettings;
  /**
   * DB_POOL_MAX_LIFETIME_SECONDS: close pooled connections older than this once they are released
   * (0, the default: keep them). Recycling follows a failover or a rotated user sooner.
   */
  poolMaxLifetimeSeconds: number;
  missing: string[];
}

const TLS_MODES: readonly TlsMode[] = ['disable', 'require', 'verify-full'];

/**
 * Reads the service's settings from its environment. The task definition injects DB_USER and
 * DB_PASSWORD from Secrets Manager and DB_HOST, DB_PORT, DB_NAME from the secret or the database.
 *
 * @throws Error naming the variable when a value is present but invalid.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const engine = parseEngine(env.DB_ENGINE || GENERATED_DB_ENGINE);
  const port = parsePort('PORT', env.PORT || GENERATED_PORT);
  const healthCheckPath = parsePath('HEALTH_CHECK_PATH', env.HEALTH_CHECK_PATH || GENERATED_HEALTH_CHECK_PATH);
  const tls = parseTlsMode(env.DB_SSL || 'require');
  const poolMaxLifetimeSeconds = parseSeconds('DB_POOL_MAX_LIFETIME_SECONDS', env.DB_POOL_MAX_LIFETIME_SECONDS || '0');

  // DB_PASSWORD may be empty (trust authentication on a developer machine); the rest may not.
  const missing = (['DB_HOST', 'DB_USER', 'DB_NAME'] as const).filter(name => !env[name]);
  if (missing.length > 0) {
    return { serviceName: SERVICE_NAME, port, healthCheckPath, poolMaxLifetimeSeconds, missing };
  }
  return {
    serviceName: SERVICE_NAME,
    port,
    healthCheckPath,
    poolMaxLifetimeSeconds,
    missing,
    database: {
      engine,
      host: env.DB_HOST!,
      port: env.DB_PORT ? parsePort('DB_PORT', env.DB_PORT) : DATABASE_ENGINES[engine].port,
      user: env.DB_USER!,
      password: env.DB_PASSWORD ?? '',
      database: env.DB_NAME!,
      tls,
    },
  };
}

function parseEngine(value: string): DatabaseEngine {
  if (Object.hasOwn(DATABASE_ENGINES, value)) {
    return value;
  }
  const known = Object.keys(DATABASE_ENGINES).map(id => JSON.stringify(id));
  throw new Error(`DB_ENGINE must be ${known.join(' or ')}, not ${JSON.stringify(value)}`);
}

function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a port number (1-65535), not ${JSON.stringify(value)}`);
  }
  return port;
}

function parseSeconds(name: string, value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new Error(`${name} must be a whole number of seconds (0 or more), not ${JSON.stringify(value)}`);
  }
  return seconds;
}

function parsePath(name: string, value: string): string {
  if (!/^\/[A-Za-z0-9._~\/-]*$/.test(value)) {
    throw new Error(`${name} must be a URL path such as /healthz, not ${JSON.stringify(value)}`);
  }
  return value;
}

function parseTlsMode(value: string): TlsMode {
  if ((TLS_MODES as readonly string[]).includes(value)) {
    return value as TlsMode;
  }
  throw new Error(`DB_SSL must be one of ${TLS_MODES.join(', ')}, not ${JSON.stringify(value)}`);
}
