/**
 * The stack's bootstrap of the application user, run as its init container runs it (`sh -c` with the
 * environment ECS injects), against real PostgreSQL and MariaDB (the stand-in for MySQL).
 */
import {
  BOOTSTRAP_VARIABLES,
  MYSQL_APPLICATION_PRIVILEGES,
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
  withConnection,
  type DatabaseServer,
  type Engine,
  type Login,
} from './support/databases';
import { rotateSecret } from './support/rotation';
import { LocalSecret } from './support/secretVersions';

jest.setTimeout(60_000);

type Setup = {
  server: DatabaseServer;
  appDatabase: string;
  otherDatabase: string;
  appUser: string;
  appPassword: string;
};

function bootstrapEnv(
  setup: Setup,
  appPassword: string,
): Record<string, string> {
  const v = BOOTSTRAP_VARIABLES;
  return {
    [v.host]: setup.server.host,
    [v.port]: String(setup.server.port),
    [v.masterUsername]: setup.server.master.username,
    [v.masterPassword]: setup.server.master.password,
    [v.appUsername]: setup.appUser,
    [v.appPassword]: appPassword,
    [v.appDatabase]: setup.appDatabase,
    [v.script]: bootstrapScript(setup.server.engine),
  };
}

async function bootstrap(
  setup: Setup,
  appPassword = setup.appPassword,
): Promise<string> {
  const result = await runBootstrapCommand(
    bootstrapCommand(setup.server.engine),
    bootstrapEnv(setup, appPassword),
  );
  expect({ code: result.code, output: result.output }).toEqual({
    code: 0,
    output: expect.any(String),
  });
  return result.output;
}

/** Everything the bootstrap could change: users, their password hashes and attributes, memberships, grants, owners. */
async function snapshot(setup: Setup): Promise<unknown> {
  const users = [setup.appUser, `${setup.appUser}_clone`];
  if (setup.server.engine === 'postgres') {
    return withConnection('postgres', setup.server.master, async query => ({
      roles: await query(
        'SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolpassword FROM pg_authid WHERE rolname = ANY($1) ORDER BY rolname',
        [users],
      ),
      memberships: await query(
        'SELECT r.rolname AS role, m.rolname AS member FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member ORDER BY 1, 2',
      ),
      databases: await query(
        'SELECT datname, pg_get_userbyid(datdba) AS owner, datacl::text AS acl FROM pg_database ORDER BY datname',
      ),
    }));
  }
  return withConnection('mysql', setup.server.master, async query => ({
    users: await query(
      'SELECT User, Host, authentication_string FROM mysql.user WHERE User IN (?) ORDER BY User',
      [users],
    ),
    grants: await Promise.all(
      users.map(user =>
        query('SHOW GRANTS FOR ?@?', [user, '%']).catch(() => []),
      ),
    ),
  }));
}

function appLogin(
  setup: Setup,
  dbname: string,
  username = setup.appUser,
  password = setup.appPassword,
): Login {
  return {
    host: setup.server.host,
    port: setup.server.port,
    username,
    password,
    dbname,
  };
}

describe.each<[Engine, () => Promise<DatabaseServer>]>([
  ['postgres', startPostgres],
  ['mysql', startMysql],
])('bootstrap of the application user on %s', (engine, start) => {
  let setup: Setup;
  const outputs: string[] = [];
  const rotationLog: string[] = [];
  let secret: LocalSecret;

  beforeAll(async () => {
    const server = await start();
    setup = {
      server,
      appDatabase: await server.createDatabase('svc'),
      otherDatabase: await server.createDatabase('other'),
      appUser: uniqueName('a'),
      appPassword: randomPassword(),
    };
  });
  afterAll(async () => {
    if (engine === 'mysql')
      await dropMysqlUsers([setup.appUser, `${setup.appUser}_clone`]);
    await setup?.server.stop();
  });

  it('creates the application user with exactly its grants', async () => {
    outputs.push(await bootstrap(setup));
    if (engine === 'postgres') {
      await withConnection('postgres', setup.server.master, async query => {
        expect(
          await query(
            'SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = $1',
            [setup.appUser],
          ),
        ).toEqual([
          {
            rolsuper: false,
            rolcreaterole: false,
            rolcreatedb: false,
            rolcanlogin: true,
            rolreplication: false,
            rolbypassrls: false,
          },
        ]);
        // A member of no role: it holds only what it owns.
        expect(
          await query(
            'SELECT roleid::regrole::text AS role FROM pg_auth_members WHERE member = $1::regrole',
            [setup.appUser],
          ),
        ).toEqual([]);
        expect(
          await query(
            'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
            [setup.appDatabase],
          ),
        ).toEqual([{ owner: setup.appUser }]);
        expect(
          await query(
            "SELECT datname FROM pg_database WHERE datallowconn AND has_database_privilege($1, oid, 'CONNECT') ORDER BY 1",
            [setup.appUser],
          ),
        ).toEqual([{ datname: setup.appDatabase }]);
      });
      // Owning the database gives it its public schema (pg_database_owner): it can run its migrations.
      await withConnection(
        'postgres',
        appLogin(setup, setup.appDatabase),
        query => query('CREATE TABLE orders (id int PRIMARY KEY)'),
      );
    } else {
      const grants = await withConnection('mysql', setup.server.master, query =>
        query('SHOW GRANTS FOR ?@?', [setup.appUser, '%']),
      );
      const statements = grants.map(row =>
        Object.values(row as Record<string, string>)[0].replace(
          / IDENTIFIED BY PASSWORD '[^']*'/,
          '',
        ),
      );
      expect(statements).toHaveLength(2);
      expect(statements[0]).toBe(
        `GRANT USAGE ON *.* TO \`${setup.appUser}\`@\`%\``,
      );
      // The server lists privileges in its own order.
      const [, privileges, on] = /^GRANT (.+) ON (.+)$/.exec(statements[1])!;
      expect(privileges.split(', ').sort()).toEqual(
        [...MYSQL_APPLICATION_PRIVILEGES].sort(),
      );
      expect(on).toBe(
        `\`${setup.appDatabase}\`.* TO \`${setup.appUser}\`@\`%\``,
      );
      await withConnection('mysql', appLogin(setup, setup.appDatabase), query =>
        query('CREATE TABLE orders (id int PRIMARY KEY)'),
      );
    }
  });

  it('is a no-op when run again', async () => {
    const before = await snapshot(setup);
    outputs.push(await bootstrap(setup));
    expect(await snapshot(setup)).toEqual(before);
  });

  it('is a no-op after a rotation created the alternate user (with the secret now naming the clone)', async () => {
    const host = setup.server.host;
    const master = new LocalSecret('arn:local:master', {
      engine,
      host,
      port: setup.server.port,
      username: setup.server.master.username,
      password: setup.server.master.password,
    });
    secret = new LocalSecret('arn:local:app', {
      engine,
      host,
      port: setup.server.port,
      username: setup.appUser,
      password: setup.appPassword,
      dbname: setup.appDatabase,
      masterarn: master.arn,
    });
    await rotateSecret({
      engine,
      strategy: 'alternating-users',
      secret,
      masters: new Map([[master.arn, master]]),
      excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
      log: line => rotationLog.push(line),
    });
    const current = JSON.parse(
      secret.getSecretValue({ VersionStage: 'AWSCURRENT' }).SecretString,
    );
    expect(current.username).toBe(`${setup.appUser}_clone`);

    const before = await snapshot(setup);
    // ECS injects the secret's current password: now the clone's.
    outputs.push(await bootstrap(setup, current.password));
    expect(await snapshot(setup)).toEqual(before);
    // Both logins still work and see the same tables.
    for (const [username, password] of [
      [setup.appUser, setup.appPassword],
      [current.username, current.password],
    ]) {
      await withConnection(
        engine,
        appLogin(setup, setup.appDatabase, username, password),
        query => query('SELECT count(*) FROM orders'),
      );
    }
  });

  it.each(['the application user', 'its clone'])(
    '%s cannot create roles or databases, nor connect to another database',
    async who => {
      const current = JSON.parse(
        secret.getSecretValue({ VersionStage: 'AWSCURRENT' }).SecretString,
      );
      const [username, password] =
        who === 'its clone'
          ? [current.username, current.password]
          : [setup.appUser, setup.appPassword];
      const own = appLogin(setup, setup.appDatabase, username, password);
      const denied = engine === 'postgres' ? /permission denied/ : /denied/i;
      await expect(
        withConnection(engine, own, query =>
          query(`CREATE ROLE ${uniqueName('intruder')}`),
        ),
      ).rejects.toThrow(denied);
      await expect(
        withConnection(engine, own, query =>
          query(`CREATE DATABASE ${uniqueName('intruder')}`),
        ),
      ).rejects.toThrow(denied);
      const others =
        engine === 'postgres'
          ? [setup.otherDatabase, 'postgres', 'template1']
          : [setup.otherDatabase, 'mysql'];
      for (const dbname of others) {
        await expect(
          withConnection(engine, { ...own, dbname }, query =>
            query('SELECT 1'),
          ),
        ).rejects.toThrow(
          engine === 'postgres'
            ? /permission denied for database/
            : /Access denied/,
        );
      }
    },
  );

  it('fails with a message in words and no password when the master may not create users', async () => {
    const weak = { username: uniqueName('w'), password: randomPassword() };
    const appPassword = randomPassword();
    // It may reach the service's database (as the RDS master can), but holds no CREATEROLE / CREATE USER.
    const create =
      engine === 'postgres'
        ? [
            `CREATE ROLE ${weak.username} LOGIN PASSWORD '${weak.password}'`,
            `GRANT CONNECT ON DATABASE ${setup.appDatabase} TO ${weak.username}`,
          ]
        : [
            `CREATE USER '${weak.username}'@'%' IDENTIFIED BY '${weak.password}'`,
          ];
    for (const statement of create) await setup.server.asMaster(statement);
    try {
      const env = {
        ...bootstrapEnv({ ...setup, appUser: uniqueName('b') }, appPassword),
        MASTER_USERNAME: weak.username,
        MASTER_PASSWORD: weak.password,
      };
      const result = await runBootstrapCommand(bootstrapCommand(engine), env);
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(
        engine === 'postgres' ? /permission denied to create role/ : /denied/i,
      );
      for (const password of [weak.password, appPassword])
        expect(result.output).not.toContain(password);
    } finally {
      const drop =
        engine === 'postgres'
          ? [
              `REVOKE CONNECT ON DATABASE ${setup.appDatabase} FROM ${weak.username}`,
              `DROP ROLE ${weak.username}`,
            ]
          : [`DROP USER '${weak.username}'@'%'`];
      for (const statement of drop) await setup.server.asMaster(statement);
    }
  });

  it('prints no password: not the master one, not any version of the application secret', () => {
    const passwords = [
      setup.server.master.password,
      setup.appPassword,
      ...secret.passwords(),
    ];
    const printed = [...outputs, ...rotationLog].join('\n');
    expect(rotationLog.length).toBeGreaterThan(0);
    for (const password of passwords) expect(printed).not.toContain(password);
  });
});
