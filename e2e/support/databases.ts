/**
 * Real databases for the credential tests, each run isolated by unique names.
 *
 * PostgreSQL: the machine's server on 5432 trusts every local connection, so a password there proves
 * nothing. These tests start a private cluster from the same PostgreSQL binaries, with
 * scram-sha-256 on TCP, on a free port: a wrong password fails as it does on RDS, and the bootstrap
 * may close PUBLIC's access to every other database without touching anyone else's.
 * MySQL: the machine's MariaDB on 3306 (root, no password) checks passwords; the tests create their
 * own master user and databases there and drop them afterwards.
 */
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { freePort } from '@golden-path/plugin-cloudformation-node/testUtils';

const run = promisify(execFile);

export type Engine = 'postgres' | 'mysql';

export interface Login {
  host: string;
  port: number;
  username: string;
  password: string;
  dbname?: string;
}

/** A database server with a master user (the RDS master's stand-in) that may create users and grant. */
export interface DatabaseServer {
  engine: Engine;
  host: string;
  port: number;
  master: Login;
  /** Creates a uniquely named database (the service's own, or another one on the same instance). */
  createDatabase(prefix: string): Promise<string>;
  /** Runs SQL as the master user (statements only; no result). */
  asMaster(sql: string, dbname?: string): Promise<void>;
  /** Drops what the run created and stops what it started. */
  stop(): Promise<void>;
}

/** A random password from the characters the generated secrets use. */
export function randomPassword(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function uniqueName(prefix: string): string {
  return `${prefix}${crypto.randomBytes(3).toString('hex')}`;
}

/** Opens one connection, runs `work`, closes it; the error of a failed login is thrown. */
export async function withConnection<T>(
  engine: Engine,
  login: Login,
  work: (
    query: (sql: string, values?: unknown[]) => Promise<unknown[]>,
  ) => Promise<T>,
): Promise<T> {
  if (engine === 'postgres') {
    const client = new pg.Client({
      host: login.host,
      port: login.port,
      user: login.username,
      password: login.password,
      database: login.dbname ?? 'postgres',
      connectionTimeoutMillis: 5000,
    });
    await client.connect();
    try {
      return await work(
        async (sql, values) => (await client.query(sql, values)).rows,
      );
    } finally {
      await client.end();
    }
  }
  const connection = await mysql.createConnection({
    host: login.host,
    port: login.port,
    user: login.username,
    password: login.password,
    database: login.dbname,
    connectTimeout: 5000,
  });
  try {
    return await work(
      async (sql, values) =>
        (await connection.query(sql, values))[0] as unknown[],
    );
  } finally {
    await connection.end();
  }
}

/** Debian keeps initdb and pg_ctl in /usr/lib/postgresql/<version>/bin, off PATH; use PATH's when it has them. */
function postgresBinary(name: string): string {
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .some(dir => fs.existsSync(path.join(dir, name)));
  if (onPath) return name;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter(version => fs.existsSync(path.join(root, version, 'bin', name)))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error(
      `${name} not found on PATH or under ${root}: install PostgreSQL's server package (Debian: postgresql)`,
    );
  return path.join(root, newest, 'bin', name);
}

export async function startPostgres(): Promise<DatabaseServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-credentials-'));
  const dataDir = path.join(dir, 'data');
  const password = randomPassword();
  fs.writeFileSync(path.join(dir, 'pwfile'), password);
  fs.chmodSync(dir, 0o700);
  // initdb and postgres refuse to run as root.
  const asPostgres =
    process.getuid?.() === 0
      ? (['runuser', ['-u', 'postgres', '--']] as const)
      : undefined;
  if (asPostgres) await run('chown', ['-R', 'postgres', dir]);
  const exec = (command: string, args: string[]) =>
    asPostgres
      ? run(asPostgres[0], [...asPostgres[1], command, ...args])
      : run(command, args);
  await exec(postgresBinary('initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--pwfile',
    path.join(dir, 'pwfile'),
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  await exec(postgresBinary('pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  const master: Login = {
    host: '127.0.0.1',
    port,
    username: 'postgres',
    password,
    dbname: 'postgres',
  };
  return {
    engine: 'postgres',
    host: master.host,
    port,
    master,
    async createDatabase(prefix) {
      const name = uniqueName(prefix);
      await withConnection('postgres', master, query =>
        query(`CREATE DATABASE ${name}`),
      );
      return name;
    },
    async asMaster(sql, dbname) {
      await withConnection(
        'postgres',
        { ...master, dbname: dbname ?? 'postgres' },
        query => query(sql),
      );
    },
    async stop() {
      await exec(postgresBinary('pg_ctl'), [
        '-D',
        dataDir,
        '-w',
        '-m',
        'immediate',
        'stop',
      ]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startMysql(): Promise<DatabaseServer> {
  const root: Login = {
    host: '127.0.0.1',
    port: 3306,
    username: 'root',
    password: '',
  };
  const master: Login = {
    ...root,
    username: uniqueName('m'),
    password: randomPassword(),
  };
  const databases: string[] = [];
  await withConnection('mysql', root, async query => {
    await query('CREATE USER ?@? IDENTIFIED BY ?', [
      master.username,
      '%',
      master.password,
    ]);
    // What RDS gives its master user: everything, with the right to grant it.
    await query('GRANT ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION', [
      master.username,
      '%',
    ]);
  });
  return {
    engine: 'mysql',
    host: master.host,
    port: master.port,
    master,
    async createDatabase(prefix) {
      const name = uniqueName(prefix);
      databases.push(name);
      await withConnection('mysql', root, query =>
        query(`CREATE DATABASE \`${name}\``),
      );
      return name;
    },
    async asMaster(sql, dbname) {
      await withConnection('mysql', { ...master, dbname }, query => query(sql));
    },
    async stop() {
      await withConnection('mysql', root, async query => {
        for (const name of databases)
          await query(`DROP DATABASE IF EXISTS \`${name}\``);
        await query('DROP USER IF EXISTS ?@?', [master.username, '%']);
      });
    },
  };
}

/** Drops users a test created (MySQL users are server-wide; PostgreSQL ones vanish with the private cluster). */
export async function dropMysqlUsers(names: string[]): Promise<void> {
  await withConnection(
    'mysql',
    { host: '127.0.0.1', port: 3306, username: 'root', password: '' },
    async query => {
      for (const name of names)
        await query('DROP USER IF EXISTS ?@?', [name, '%']);
    },
  );
}

export interface BootstrapRun {
  code: number;
  output: string;
}

/**
 * Runs the bootstrap container's own command (`sh -c …`) on this machine, with the environment ECS
 * would give it. The machine's clients (psql 15, the MariaDB client) stand in for the images' ones.
 */
export function runBootstrapCommand(
  command: string[],
  env: Record<string, string>,
): Promise<BootstrapRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      env: { PATH: process.env.PATH, PGSSLMODE: 'disable', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.on('error', reject);
    child.on('close', code => resolve({ code: code ?? -1, output }));
  });
}
