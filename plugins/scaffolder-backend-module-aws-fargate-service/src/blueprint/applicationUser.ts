/**
 * The application's own database user and the bootstrap that creates it.
 *
 * The bootstrap is an ECS init container (`dependsOn: SUCCESS`) with the engine's official client
 * image. It runs at every task start, logs in as the master user, and makes sure the application
 * user exists with exactly its grants. It never changes a password: once the user exists, the
 * alternating-users rotation owns it (and its `_clone`). No value of a secret appears in the script:
 * ECS injects them into the container's environment and the client reads them from there.
 */
import {
  databaseEngine,
  type DatabaseEngineId,
} from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import { ref, sub, type ResourceHandle } from './intrinsics';
import type { ResourceNames } from './naming';
import type { Add } from './stack';

/** The application user's name in the database; the rotation alternates it with `<name>_clone`. */
export const APPLICATION_USERNAME = 'app_user';

export const BOOTSTRAP_CONTAINER_NAME = 'db-bootstrap';

/** Environment the bootstrap reads; ECS sets the MASTER_* and APP_DB_PASSWORD ones from the secrets. */
export const BOOTSTRAP_VARIABLES = {
  host: 'DB_HOST',
  port: 'DB_PORT',
  masterUsername: 'MASTER_USERNAME',
  masterPassword: 'MASTER_PASSWORD',
  appUsername: 'APP_DB_USER',
  appPassword: 'APP_DB_PASSWORD',
  appDatabase: 'APP_DB_NAME',
  script: 'BOOTSTRAP_SQL',
} as const;

/** What the MySQL application user may do in its own database: the statements of an application and its migrations. */
export const MYSQL_APPLICATION_PRIVILEGES = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'ALTER',
  'INDEX',
  'DROP',
  'REFERENCES',
  'CREATE TEMPORARY TABLES',
  'LOCK TABLES',
  'CREATE VIEW',
  'SHOW VIEW',
  'TRIGGER',
] as const;

/**
 * PostgreSQL (psql 15 or later). The application user owns its database (and through
 * pg_database_owner its public schema) and is the only role besides the owners allowed to connect
 * to it; PUBLIC loses CONNECT on every other database. It gets no role attribute beyond LOGIN.
 */
const POSTGRES_SCRIPT = `\\set ON_ERROR_STOP on
\\set VERBOSITY terse
\\set SHOW_CONTEXT never
\\getenv app_user ${BOOTSTRAP_VARIABLES.appUsername}
\\getenv app_password ${BOOTSTRAP_VARIABLES.appPassword}
\\getenv app_database ${BOOTSTRAP_VARIABLES.appDatabase}
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') AS create_user \\gset
\\if :create_user
CREATE ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
\\endif
\\unset app_password
SELECT NOT pg_has_role(current_user, :'app_user', 'USAGE') AS join_role \\gset
\\if :join_role
GRANT :"app_user" TO current_user;
\\endif
SELECT pg_catalog.pg_get_userbyid(datdba) <> :'app_user' AS change_owner FROM pg_database WHERE datname = :'app_database' \\gset
\\if :change_owner
ALTER DATABASE :"app_database" OWNER TO :"app_user";
\\endif
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', datname) FROM pg_database
  WHERE datallowconn AND has_database_privilege('public', oid, 'CONNECT') \\gexec
`;

/** MySQL 8 / MariaDB. The shell puts the four values into user variables first (see {@link bootstrapCommand}). */
const MYSQL_SCRIPT = `SET @create_user = CONCAT('CREATE USER IF NOT EXISTS ', QUOTE(@app_user), '@''%'' IDENTIFIED BY ', QUOTE(@app_password));
SET @app_password = NULL;
PREPARE bootstrap_statement FROM @create_user;
SET @create_user = NULL;
EXECUTE bootstrap_statement;
DEALLOCATE PREPARE bootstrap_statement;
SET @grant_privileges = CONCAT('GRANT ${MYSQL_APPLICATION_PRIVILEGES.join(', ')} ON \`', REPLACE(@app_database, '\`', '\`\`'), '\`.* TO ', QUOTE(@app_user), '@''%''');
PREPARE bootstrap_statement FROM @grant_privileges;
EXECUTE bootstrap_statement;
DEALLOCATE PREPARE bootstrap_statement;
`;

const SCRIPTS = { postgres: POSTGRES_SCRIPT, mysql: MYSQL_SCRIPT } as const;

export function bootstrapScript(engine: DatabaseEngineId): string {
  return SCRIPTS[databaseEngine(engine).dialect];
}

/**
 * The init container's command: `sh -c` so the values reach the client from the environment, never
 * from the template. The generated passwords exclude `'` and `\\`, so single quotes hold them intact.
 */
export function bootstrapCommand(engine: DatabaseEngineId): string[] {
  const v = BOOTSTRAP_VARIABLES;
  if (databaseEngine(engine).dialect === 'postgres') {
    return [
      'sh',
      '-c',
      `printf '%s' "$${v.script}" | PGHOST="$${v.host}" PGPORT="$${v.port}" PGUSER="$${v.masterUsername}" ` +
        `PGPASSWORD="$${v.masterPassword}" PGDATABASE="$${v.appDatabase}" psql --no-psqlrc --quiet`,
    ];
  }
  return [
    'sh',
    '-c',
    `{ printf "SET @app_user = '%s', @app_database = '%s', @app_password = '%s';\\n" "$${v.appUsername}" "$${v.appDatabase}" "$${v.appPassword}"; ` +
      `printf '%s' "$${v.script}"; } | MYSQL_PWD="$${v.masterPassword}" mysql --host="$${v.host}" --port="$${v.port}" --user="$${v.masterUsername}" --batch`,
  ];
}

/**
 * The init container of every task. Only it receives the master credentials; the application
 * container starts after it exits 0 (`DependsOn: SUCCESS`) and reads only the application secret.
 * Arguments are `Fn::Sub` placeholders of the two secrets (`DatabaseSecret`, `ApplicationSecret`).
 */
export function bootstrapContainer(
  spec: Pick<FargateServiceSpec, 'database'>,
  names: ResourceNames,
  secrets: { masterSecret: string; applicationSecret: string },
  resources: { database: ResourceHandle; logGroup: ResourceHandle },
) {
  const { engine, name } = spec.database;
  const facts = databaseEngine(engine);
  const [entryPoint, flag, script] = bootstrapCommand(engine);
  const v = BOOTSTRAP_VARIABLES;
  const key = (secret: string, jsonKey: string) =>
    sub(`\${${secret}}:${jsonKey}::`);
  return {
    Name: BOOTSTRAP_CONTAINER_NAME,
    Image: sub(
      `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/${names.bootstrapImagePrefix}/${facts.bootstrapImage.path}`,
    ),
    Essential: false,
    User: facts.bootstrapImage.user,
    ReadonlyRootFilesystem: true,
    // A client session; the hard limit keeps it from taking the application's memory.
    Memory: 128,
    EntryPoint: [entryPoint, flag],
    Command: [script],
    Environment: [
      { Name: v.host, Value: resources.database.getAtt('Endpoint.Address') },
      { Name: v.port, Value: resources.database.getAtt('Endpoint.Port') },
      { Name: v.appUsername, Value: APPLICATION_USERNAME },
      { Name: v.appDatabase, Value: name },
      { Name: v.script, Value: bootstrapScript(engine) },
      ...(facts.dialect === 'postgres'
        ? [{ Name: 'PGSSLMODE', Value: 'require' }]
        : []),
    ],
    Secrets: [
      {
        Name: v.masterUsername,
        ValueFrom: key(secrets.masterSecret, 'username'),
      },
      {
        Name: v.masterPassword,
        ValueFrom: key(secrets.masterSecret, 'password'),
      },
      {
        Name: v.appPassword,
        ValueFrom: key(secrets.applicationSecret, 'password'),
      },
    ],
    LogConfiguration: {
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': resources.logGroup.ref(),
        'awslogs-region': ref('AWS::Region'),
        'awslogs-stream-prefix': BOOTSTRAP_CONTAINER_NAME,
      },
    },
  };
}

/**
 * The bootstrap image comes through an ECR pull-through cache of ECR Public: tasks pull it from the
 * account's own registry, which private subnets reach through the ECR endpoints even without NAT.
 * ECR creates the cached repository on the first pull, on the execution role's behalf.
 */
export function addBootstrapImageCache(
  names: ResourceNames,
  add: Add,
): Record<string, unknown> {
  add(
    'BootstrapImageCache',
    'AWS::ECR::PullThroughCacheRule',
    'Caches the database client image of the bootstrap from ECR Public',
    {
      EcrRepositoryPrefix: names.bootstrapImagePrefix,
      UpstreamRegistryUrl: 'public.ecr.aws',
    },
    { group: 'compute' },
  );
  return {
    Effect: 'Allow',
    Action: [
      'ecr:BatchCheckLayerAvailability',
      'ecr:GetDownloadUrlForLayer',
      'ecr:BatchGetImage',
      'ecr:BatchImportUpstreamImage',
      'ecr:CreateRepository',
    ],
    Resource: sub(
      `arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${names.bootstrapImagePrefix}/*`,
    ),
  };
}
