import knexFactory from 'knex';

/** The production config's PostgreSQL, when the environment names one (CI sets POSTGRES_HOST). */
export const postgresConfigured = Boolean(process.env.POSTGRES_HOST);

/** A database prefix no other run uses, so runs stay apart and the test can drop what it made. */
export function uniqueDatabasePrefix(label: string): string {
  return `gp_${label}_${process.pid}_${Date.now()}_`;
}

/** Drops every database whose name starts with `prefix`. */
export async function dropDatabases(prefix: string) {
  const knex = knexFactory({
    client: 'pg',
    connection: {
      host: process.env.POSTGRES_HOST,
      port: Number(process.env.POSTGRES_PORT ?? 5432),
      user: process.env.POSTGRES_USER ?? 'postgres',
      password: process.env.POSTGRES_PASSWORD,
      database: 'postgres',
    },
  });
  try {
    const { rows } = await knex.raw<{ rows: { datname: string }[] }>(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await knex.destroy();
  }
}
