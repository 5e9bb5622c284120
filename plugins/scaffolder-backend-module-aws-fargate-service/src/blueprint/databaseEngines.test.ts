import {
  DATABASE_ENGINE_IDS,
  databaseEngine,
  parameterGroupFamily,
} from '@golden-path/plugin-cloudformation-common';
import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import { validateTemplate } from '@golden-path/plugin-scaffolder-backend-module-aws-cloudformation';
import { generateFargateService } from './generate';

/**
 * Every entry of the engine table, through the whole blueprint in both credential modes: a new entry
 * is covered here without a test of its own, and fails here when the blueprint cannot build it.
 */
const cases = DATABASE_ENGINE_IDS.flatMap(engine =>
  (['rds-managed', 'secrets-manager'] as const).map(
    credentialsMode => [engine, credentialsMode] as const,
  ),
);

describe.each(cases)('engine %s with %s credentials', (engine, mode) => {
  const facts = databaseEngine(engine);
  const result = generateFargateService({
    serviceName: 'orders',
    databaseEngine: engine,
    credentialsMode: mode,
  });
  if (!result.success) throw new Error(result.problems.join('\n'));
  const { blueprint } = result;
  const { Resources } = blueprint.model.template;

  it('generates a template the validator passes', () => {
    expect(
      validateTemplate(parseTemplate(blueprint.files.template.content)),
    ).toEqual([]);
  });

  it("builds the database from the table's facts", () => {
    expect(Resources.Database.Properties).toMatchObject({
      Engine: facts.id,
      EngineVersion: facts.defaultVersion,
      EnableCloudwatchLogsExports: [...facts.logExports],
    });
    expect(Resources.Database.Metadata).toEqual({
      [Object.keys(Resources.Database.Metadata)[0]]: expect.stringMatching(
        new RegExp(`^${facts.label} database`),
      ),
    });
    expect(Resources.DatabaseParameterGroup.Properties).toMatchObject({
      Family: parameterGroupFamily(facts, facts.defaultVersion),
      Parameters: facts.tlsParameters,
    });
    const ingress = Resources.DatabaseSecurityGroup.Properties
      .SecurityGroupIngress as Array<Record<string, unknown>>;
    for (const rule of ingress) {
      expect(rule).toMatchObject({ FromPort: facts.port, ToPort: facts.port });
    }
  });

  it('rotates with the hosted function of the engine', () => {
    const rotationTypes = Object.values(Resources)
      .filter(
        resource => resource.Type === 'AWS::SecretsManager::RotationSchedule',
      )
      .map(
        resource =>
          (resource.Properties.HostedRotationLambda as { RotationType: string })
            ?.RotationType,
      )
      .filter(Boolean);
    expect(rotationTypes).toEqual(
      mode === 'secrets-manager'
        ? [facts.rotation.singleUser, facts.rotation.alternatingUsers]
        : [],
    );
  });
});
