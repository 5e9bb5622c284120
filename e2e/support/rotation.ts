/**
 * The steps of AWS's published rotation functions (aws-samples/aws-secrets-manager-rotation-lambdas:
 * SecretsManagerRDS{PostgreSQL,MySQL}Rotation{MultiUser,SingleUser}/lambda_function.py), step for
 * step and statement for statement, against {@link LocalSecret} instead of Secrets Manager.
 * Log lines say what the functions' log lines say: user names and version ids, never a password.
 */
import crypto from 'node:crypto';
import { withConnection, type Engine, type Login } from './databases';
import { LocalSecret, ResourceNotFoundException } from './secretVersions';

export type Strategy = 'alternating-users' | 'single-user';
type SecretDict = {
  engine: string;
  host: string;
  port: number;
  username: string;
  password: string;
  dbname?: string;
  masterarn?: string;
};
type Query = (sql: string, values?: unknown[]) => Promise<unknown[]>;

export interface RotationContext {
  engine: Engine;
  strategy: Strategy;
  secret: LocalSecret;
  /** Master secrets by ARN, for `masterarn`. */
  masters: Map<string, LocalSecret>;
  /** The hosted rotation's ExcludeCharacters, as the stack passes them. */
  excludeCharacters: string;
  log: (line: string) => void;
}

/** What Secrets Manager does for one rotation: a new token, the four steps in order, then AWSPENDING removed. */
export async function rotateSecret(ctx: RotationContext): Promise<void> {
  const token = crypto.randomUUID();
  for (const step of [
    'createSecret',
    'setSecret',
    'testSecret',
    'finishSecret',
  ] as const) {
    await lambdaHandler(ctx, step, token);
  }
  ctx.secret.completeRotation(token);
}

async function lambdaHandler(
  ctx: RotationContext,
  step: string,
  token: string,
): Promise<void> {
  const arn = ctx.secret.arn;
  const metadata = ctx.secret.describeSecret();
  if (!metadata.RotationEnabled)
    throw new Error(`Secret ${arn} is not enabled for rotation`);
  const versions = metadata.VersionIdsToStages;
  // createSecret is the call that stages the token; the functions' check applies once it exists.
  if (step !== 'createSecret' || versions[token]) {
    if (!versions[token])
      throw new Error(
        `Secret version ${token} has no stage for rotation of secret ${arn}.`,
      );
    if (versions[token].includes('AWSCURRENT')) {
      ctx.log(
        `Secret version ${token} already set as AWSCURRENT for secret ${arn}.`,
      );
      return;
    }
    if (!versions[token].includes('AWSPENDING'))
      throw new Error(
        `Secret version ${token} not set as AWSPENDING for rotation of secret ${arn}.`,
      );
  }
  if (step === 'createSecret') return createSecret(ctx, token);
  if (step === 'setSecret')
    return ctx.strategy === 'alternating-users'
      ? setSecretMultiUser(ctx, token)
      : setSecretSingleUser(ctx, token);
  if (step === 'testSecret') return testSecret(ctx, token);
  return finishSecret(ctx, token);
}

function getSecretDict(
  secret: LocalSecret,
  stage: string,
  token?: string,
): SecretDict {
  const dict = JSON.parse(
    secret.getSecretValue({
      VersionStage: stage,
      ...(token ? { VersionId: token } : {}),
    }).SecretString,
  ) as SecretDict;
  for (const field of ['host', 'username', 'password', 'engine'] as const) {
    if (!(field in dict))
      throw new Error(`${field} key is missing from secret JSON`);
  }
  return dict;
}

async function createSecret(
  ctx: RotationContext,
  token: string,
): Promise<void> {
  const current = getSecretDict(ctx.secret, 'AWSCURRENT');
  try {
    getSecretDict(ctx.secret, 'AWSPENDING', token);
    ctx.log(
      `createSecret: Successfully retrieved secret for ${ctx.secret.arn}.`,
    );
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    if (ctx.strategy === 'alternating-users')
      current.username = altUsername(ctx.engine, current.username);
    current.password = ctx.secret.getRandomPassword({
      ExcludeCharacters: ctx.excludeCharacters,
      PasswordLength: 32,
    }).RandomPassword;
    ctx.secret.putSecretValue({
      ClientRequestToken: token,
      SecretString: JSON.stringify(current),
      VersionStages: ['AWSPENDING'],
    });
    ctx.log(
      `createSecret: Successfully put secret for ARN ${ctx.secret.arn} and version ${token}.`,
    );
  }
}

/** MultiUser set_secret: the master creates the alternate user (first time) or sets its password. */
async function setSecretMultiUser(
  ctx: RotationContext,
  token: string,
): Promise<void> {
  const current = getSecretDict(ctx.secret, 'AWSCURRENT');
  const pending = getSecretDict(ctx.secret, 'AWSPENDING', token);
  if (await canLogin(ctx.engine, pending)) {
    ctx.log(
      `setSecret: AWSPENDING secret is already set as password in DB for secret arn ${ctx.secret.arn}.`,
    );
    return;
  }
  if (altUsername(ctx.engine, current.username) !== pending.username) {
    throw new Error(
      `Attempting to modify user ${pending.username} other than current user or clone ${current.username}`,
    );
  }
  if (current.host !== pending.host)
    throw new Error(
      `Attempting to modify user for host ${pending.host} other than current host ${current.host}`,
    );
  if (!(await canLogin(ctx.engine, current)))
    throw new Error(
      `Unable to log into database using current credentials for secret ${ctx.secret.arn}`,
    );
  const masterSecret = ctx.masters.get(current.masterarn ?? '');
  if (!masterSecret) throw new Error(`No master secret ${current.masterarn}`);
  const master = getSecretDict(masterSecret, 'AWSCURRENT');
  if (ctx.engine === 'postgres') master.dbname = current.dbname;
  if (current.host !== master.host)
    throw new Error(
      `Current database host ${current.host} is not the same host as master ${master.host}`,
    );

  await connect(ctx.engine, master, async query => {
    if (ctx.engine === 'postgres') {
      const pendingUsername = (
        (await query('SELECT quote_ident($1) AS name', [
          pending.username,
        ])) as Array<{ name: string }>
      )[0].name;
      const currentUsername = (
        (await query('SELECT quote_ident($1) AS name', [
          current.username,
        ])) as Array<{ name: string }>
      )[0].name;
      if (
        (
          await query('SELECT 1 FROM pg_roles where rolname = $1', [
            pending.username,
          ])
        ).length === 0
      ) {
        await query(
          `CREATE ROLE ${pendingUsername} WITH LOGIN PASSWORD ${literal(pending.password)}`,
        );
        await query(`GRANT ${currentUsername} TO ${pendingUsername}`);
      } else {
        await query(
          `ALTER USER ${pendingUsername} WITH PASSWORD ${literal(pending.password)}`,
        );
      }
    } else {
      if (
        (
          await query('SELECT User FROM mysql.user WHERE User = ?', [
            pending.username,
          ])
        ).length === 0
      ) {
        await query('CREATE USER ? IDENTIFIED BY ?', [
          pending.username,
          pending.password,
        ]);
      }
      for (const row of (await query('SHOW GRANTS FOR ?', [
        current.username,
      ])) as Array<Record<string, string>>) {
        const grant = Object.values(row)[0].split(' TO ')[0];
        await query(`${grant} TO ?`, [pending.username]);
      }
      const version = (
        (await query('SELECT VERSION() AS v')) as Array<{ v: string }>
      )[0].v;
      const encryption = version.startsWith('5.6')
        ? "GRANT USAGE ON *.* TO ?@'%' REQUIRE"
        : "ALTER USER ?@'%' REQUIRE";
      const tls = (
        (await query(
          'SELECT ssl_type, ssl_cipher, x509_issuer, x509_subject FROM mysql.user WHERE User = ?',
          [current.username],
        )) as Array<Record<string, string>>
      )[0];
      if (!tls.ssl_type) await query(`${encryption} NONE`, [pending.username]);
      else if (tls.ssl_type === 'ANY')
        await query(`${encryption} SSL`, [pending.username]);
      else if (tls.ssl_type === 'X509')
        await query(`${encryption} X509`, [pending.username]);
      else
        await query(`${encryption} CIPHER ? AND ISSUER ? AND SUBJECT ?`, [
          pending.username,
          tls.ssl_cipher,
          tls.x509_issuer,
          tls.x509_subject,
        ]);
      await query(
        `SET PASSWORD FOR ? = ${version.startsWith('8') ? '?' : 'PASSWORD(?)'}`,
        [pending.username, pending.password],
      );
    }
  });
  ctx.log(
    `setSecret: Successfully set password for ${pending.username} in DB for secret arn ${ctx.secret.arn}.`,
  );
}

/** SingleUser set_secret: the user changes its own password; the old one stops working at once. */
async function setSecretSingleUser(
  ctx: RotationContext,
  token: string,
): Promise<void> {
  const pending = getSecretDict(ctx.secret, 'AWSPENDING', token);
  if (await canLogin(ctx.engine, pending)) {
    ctx.log(
      `setSecret: AWSPENDING secret is already set as password in DB for secret arn ${ctx.secret.arn}.`,
    );
    return;
  }
  const current = getSecretDict(ctx.secret, 'AWSCURRENT');
  if (current.username !== pending.username)
    throw new Error(
      `Attempting to modify user ${pending.username} other than current user ${current.username}`,
    );
  let login: SecretDict = current;
  if (!(await canLogin(ctx.engine, current))) {
    login = getSecretDict(ctx.secret, 'AWSPREVIOUS');
    if (!(await canLogin(ctx.engine, login)))
      throw new Error(
        `Unable to log into database with previous, current, or pending secret of secret arn ${ctx.secret.arn}`,
      );
  }
  await connect(ctx.engine, login, async query => {
    if (ctx.engine === 'postgres') {
      const username = (
        (await query('SELECT quote_ident($1) AS name', [
          pending.username,
        ])) as Array<{ name: string }>
      )[0].name;
      await query(
        `ALTER USER ${username} WITH PASSWORD ${literal(pending.password)}`,
      );
    } else {
      const version = (
        (await query('SELECT VERSION() AS v')) as Array<{ v: string }>
      )[0].v;
      await query(
        `SET PASSWORD = ${version.startsWith('8') ? '?' : 'PASSWORD(?)'}`,
        [pending.password],
      );
    }
  });
  ctx.log(
    `setSecret: Successfully set password for user ${pending.username} in DB for secret arn ${ctx.secret.arn}.`,
  );
}

async function testSecret(ctx: RotationContext, token: string): Promise<void> {
  const pending = getSecretDict(ctx.secret, 'AWSPENDING', token);
  const ok = await connect(ctx.engine, pending, async query => {
    await query('SELECT NOW()');
    return true;
  }).catch(() => false);
  if (!ok)
    throw new Error(
      `Unable to log into database with pending secret of secret ARN ${ctx.secret.arn}`,
    );
  ctx.log(
    `testSecret: Successfully signed into DB with AWSPENDING secret in ${ctx.secret.arn}.`,
  );
}

async function finishSecret(
  ctx: RotationContext,
  token: string,
): Promise<void> {
  const metadata = ctx.secret.describeSecret();
  let currentVersion: string | undefined;
  for (const [version, stages] of Object.entries(metadata.VersionIdsToStages)) {
    if (stages.includes('AWSCURRENT')) {
      if (version === token) {
        ctx.log(
          `finishSecret: Version ${version} already marked as AWSCURRENT for ${ctx.secret.arn}`,
        );
        return;
      }
      currentVersion = version;
      break;
    }
  }
  ctx.secret.updateSecretVersionStage({
    VersionStage: 'AWSCURRENT',
    MoveToVersionId: token,
    RemoveFromVersionId: currentVersion,
  });
  ctx.log(
    `finishSecret: Successfully set AWSCURRENT stage to version ${token} for secret ${ctx.secret.arn}.`,
  );
}

/** `_clone` on and off; PostgreSQL names stop at 63 characters, the MySQL function's at 16. */
export function altUsername(engine: Engine, username: string): string {
  if (username.endsWith('_clone')) return username.slice(0, -'_clone'.length);
  const limit = engine === 'postgres' ? 63 : 16;
  if (`${username}_clone`.length > limit)
    throw new Error(
      `Unable to clone user, username length with _clone appended would exceed ${limit} characters`,
    );
  return `${username}_clone`;
}

function loginOf(dict: SecretDict): Login {
  return {
    host: dict.host,
    port: Number(dict.port),
    username: dict.username,
    password: dict.password,
    dbname: dict.dbname,
  };
}

function connect<T>(
  engine: Engine,
  dict: SecretDict,
  work: (query: Query) => Promise<T>,
): Promise<T> {
  return withConnection(engine, loginOf(dict), work);
}

/** get_connection: a login that fails is "no connection", not an error. */
async function canLogin(engine: Engine, dict: SecretDict): Promise<boolean> {
  return connect(engine, dict, async () => true).catch(() => false);
}

/** The functions pass the password as a bound parameter; pg's driver binds none in utility statements, so quote it as libpq would. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
