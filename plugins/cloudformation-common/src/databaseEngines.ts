/**
 * Facts about the database engines the golden path offers, in one table: the blueprint's input and
 * stack, the generated app's configuration and the catalog entities all read them from here, so adding
 * an engine is one entry (and the tests that walk every entry).
 */

/** How the SQL the bootstrap runs and the generated app's driver talk to the engine. */
export type DatabaseDialect = 'postgres' | 'mysql';

export type DatabaseEngineFacts = {
  /** The `Engine` value of `AWS::RDS::DBInstance`, and what the form and the generated app call it. */
  id: string;
  /** Name shown to people: descriptions, catalog entities, docs. */
  label: string;
  dialect: DatabaseDialect;
  /** The port the engine listens on unless told otherwise. */
  port: number;
  /** The version the blueprint pins when none is given; a current RDS version that runs on db.t4g.micro. */
  defaultVersion: string;
  /**
   * The parameter group family is `<prefix><the first versionParts parts of the version, joined by .>`
   * (`postgres17`, `mysql8.4`); a given version must name that many parts.
   */
  parameterGroupFamily: { prefix: string; versionParts: 1 | 2 };
  /** Secrets Manager's hosted rotation functions (`HostedRotationLambda.RotationType`). */
  rotation: { singleUser: string; alternatingUsers: string };
  /** Longest database name the engine accepts. */
  databaseNameMaxLength: number;
  /** User names RDS refuses as the master user (compared without case), besides anything starting with `rds`. */
  reservedUsernames: readonly string[];
  /** Logs RDS exports to CloudWatch. */
  logExports: readonly string[];
  /** Parameter group values that make the database refuse unencrypted connections, plus what the exported logs need. */
  tlsParameters: Readonly<Record<string, string>>;
  /** The engine's official client image, as a path below public.ecr.aws, and the unprivileged user it ships. */
  bootstrapImage: { path: string; user: string };
  /** The npm package the generated app connects with. */
  clientLibrary: 'pg' | 'mysql2';
};

export const DATABASE_ENGINES = {
  postgres: {
    id: 'postgres',
    label: 'PostgreSQL',
    dialect: 'postgres',
    port: 5432,
    defaultVersion: '17.6',
    parameterGroupFamily: { prefix: 'postgres', versionParts: 1 },
    rotation: {
      singleUser: 'PostgreSQLSingleUser',
      alternatingUsers: 'PostgreSQLMultiUser',
    },
    databaseNameMaxLength: 63,
    reservedUsernames: ['admin', 'postgres', 'root', 'mysql'],
    logExports: ['postgresql', 'upgrade'],
    // PostgreSQL 15+ defaults to 1, older versions to 0: set it either way so a chosen version cannot drop TLS.
    tlsParameters: { 'rds.force_ssl': '1' },
    // `postgres` is 70 on Alpine: the client needs no root.
    bootstrapImage: {
      path: 'docker/library/postgres:17-alpine',
      user: '70:70',
    },
    clientLibrary: 'pg',
  },
  mysql: {
    id: 'mysql',
    label: 'MySQL',
    dialect: 'mysql',
    port: 3306,
    defaultVersion: '8.4.6',
    parameterGroupFamily: { prefix: 'mysql', versionParts: 2 },
    rotation: {
      singleUser: 'MySQLSingleUser',
      alternatingUsers: 'MySQLMultiUser',
    },
    databaseNameMaxLength: 64,
    reservedUsernames: ['admin', 'postgres', 'root', 'mysql'],
    // `general` (every statement) and `audit` (needs an option group) stay off: see the exemption file.
    logExports: ['error', 'slowquery'],
    // MySQL 8.4 defaults to OFF. The slow query log goes to a file, which is what RDS exports.
    tlsParameters: {
      require_secure_transport: 'ON',
      slow_query_log: '1',
      long_query_time: '2',
      log_output: 'FILE',
    },
    bootstrapImage: { path: 'docker/library/mysql:8.4', user: '999:999' },
    clientLibrary: 'mysql2',
  },
} as const satisfies Record<string, DatabaseEngineFacts>;

export type DatabaseEngineId = keyof typeof DATABASE_ENGINES;

/** Every engine id, in the table's order (the first is the default). */
export const DATABASE_ENGINE_IDS = Object.keys(DATABASE_ENGINES) as [
  DatabaseEngineId,
  ...DatabaseEngineId[],
];

export function isDatabaseEngineId(value: unknown): value is DatabaseEngineId {
  return typeof value === 'string' && Object.hasOwn(DATABASE_ENGINES, value);
}

/** The facts of an engine; an unknown id is a programming error, so it throws. */
export function databaseEngine(id: string): DatabaseEngineFacts {
  if (!isDatabaseEngineId(id))
    throw new Error(
      `Unknown database engine ${JSON.stringify(id)}; known: ${DATABASE_ENGINE_IDS.join(', ')}`,
    );
  return DATABASE_ENGINES[id];
}

/** The parameter group family of an engine version: `postgres17`, `mysql8.4`. */
export function parameterGroupFamily(
  engine: DatabaseEngineFacts,
  version: string,
): string {
  const { prefix, versionParts } = engine.parameterGroupFamily;
  return `${prefix}${version.split('.').slice(0, versionParts).join('.')}`;
}

/** Whether a version names every part its parameter group family needs (`8` does not, for MySQL). */
export function namesParameterGroupFamily(
  engine: DatabaseEngineFacts,
  version: string,
): boolean {
  return version.split('.').length >= engine.parameterGroupFamily.versionParts;
}

/** What the generated app needs to connect to each engine (it may be pointed at another engine locally). */
export function appDatabaseEngines(): Record<
  string,
  Pick<DatabaseEngineFacts, 'label' | 'port' | 'clientLibrary'>
> {
  return Object.fromEntries(
    Object.values(DATABASE_ENGINES).map(
      ({ id, label, port, clientLibrary }) => [
        id,
        { label, port, clientLibrary },
      ],
    ),
  );
}
