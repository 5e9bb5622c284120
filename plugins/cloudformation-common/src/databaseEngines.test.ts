import {
  DATABASE_ENGINE_IDS,
  DATABASE_ENGINES,
  appDatabaseEngines,
  databaseEngine,
  isDatabaseEngineId,
  namesParameterGroupFamily,
  parameterGroupFamily,
} from './databaseEngines';

describe('database engines', () => {
  it.each([
    ['postgres', 'PostgreSQL', 5432, '17.6', 'pg', 63],
    ['mysql', 'MySQL', 3306, '8.4.6', 'mysql2', 64],
  ])(
    '%s: label %s, port %d, default version %s, client %s, names up to %d characters',
    (id, label, port, defaultVersion, clientLibrary, nameLimit) => {
      expect(databaseEngine(id)).toMatchObject({
        id,
        label,
        port,
        defaultVersion,
        clientLibrary,
        databaseNameMaxLength: nameLimit,
      });
    },
  );

  it.each([
    ['postgres', 'PostgreSQLSingleUser', 'PostgreSQLMultiUser'],
    ['mysql', 'MySQLSingleUser', 'MySQLMultiUser'],
  ])('%s rotates with %s and %s', (id, singleUser, alternatingUsers) => {
    expect(databaseEngine(id).rotation).toEqual({
      singleUser,
      alternatingUsers,
    });
  });

  it.each([
    ['postgres', '17.6', 'postgres17', true],
    ['postgres', '16', 'postgres16', true],
    ['mysql', '8.4.6', 'mysql8.4', true],
    ['mysql', '8.0', 'mysql8.0', true],
    ['mysql', '8', 'mysql8', false],
  ])(
    '%s %s: parameter group family %s (version names it: %s)',
    (id, version, family, complete) => {
      const engine = databaseEngine(id);
      expect(parameterGroupFamily(engine, version)).toBe(family);
      expect(namesParameterGroupFamily(engine, version)).toBe(complete);
    },
  );

  it('keys every entry by its own id and starts with the default, postgres', () => {
    expect(DATABASE_ENGINE_IDS[0]).toBe('postgres');
    for (const id of DATABASE_ENGINE_IDS) {
      expect(DATABASE_ENGINES[id].id).toBe(id);
      expect(
        namesParameterGroupFamily(
          DATABASE_ENGINES[id],
          DATABASE_ENGINES[id].defaultVersion,
        ),
      ).toBe(true);
    }
  });

  it('tells known ids from others and names the known ones when asked for another', () => {
    expect(isDatabaseEngineId('mysql')).toBe(true);
    expect(isDatabaseEngineId('oracle')).toBe(false);
    expect(isDatabaseEngineId('toString')).toBe(false);
    expect(() => databaseEngine('oracle')).toThrow(
      'Unknown database engine "oracle"; known: postgres, mysql',
    );
  });

  it('gives the generated app each engine label, port and client library', () => {
    expect(appDatabaseEngines()).toEqual({
      postgres: { label: 'PostgreSQL', port: 5432, clientLibrary: 'pg' },
      mysql: { label: 'MySQL', port: 3306, clientLibrary: 'mysql2' },
    });
  });
});
