import { generateFargateService } from './generate';

function catalogFor(input: Record<string, unknown>) {
  const result = generateFargateService({ serviceName: 'orders', ...input });
  if (!result.success) throw new Error(result.problems.join('\n'));
  return { ...result.blueprint.catalog, names: result.blueprint.model.names };
}

describe('the catalog the stack model gives', () => {
  it.each([
    [
      'rds-managed',
      {
        'orders-dev': { type: 'database', dependsOn: [] },
        'orders-dev-database': {
          type: 'secret',
          dependsOn: ['resource:orders-dev'],
        },
      },
    ],
    [
      'secrets-manager',
      {
        'orders-dev': {
          type: 'database',
          dependsOn: ['resource:orders-dev-database'],
        },
        'orders-dev-database': { type: 'secret', dependsOn: [] },
        'orders-dev-application': {
          type: 'secret',
          dependsOn: ['resource:orders-dev', 'resource:orders-dev-database'],
        },
      },
    ],
  ])('%s: Resources, their types and dependencies', (mode, expected) => {
    const catalog = catalogFor({ credentialsMode: mode });
    expect(
      Object.fromEntries(
        catalog.resources.map(({ name, type, dependsOn }) => [
          name,
          { type, dependsOn },
        ]),
      ),
    ).toEqual(expected);
    expect(catalog.component.dependsOn).toEqual(
      Object.keys(expected).map(name => `resource:${name}`),
    );
  });

  it("names the Resources by the stack's own names", () => {
    const { resources, names } = catalogFor({
      credentialsMode: 'secrets-manager',
    });
    expect(resources.map(resource => resource.name)).toEqual([
      names.databaseIdentifier,
      names.secretName!.replace('/', '-'),
      names.applicationSecretName!.replace('/', '-'),
    ]);
  });

  it('gives the entity ref once, the one the stack is tagged with', () => {
    expect(catalogFor({}).entityRef).toBe('component:default/orders');
    expect(catalogFor({ entityRef: 'component:team/orders' }).entityRef).toBe(
      'component:team/orders',
    );
  });

  it.each([
    ['postgres', 'PostgreSQL', ['aws', 'ecs-fargate', 'postgres']],
    ['mysql', 'MySQL', ['aws', 'ecs-fargate', 'mysql']],
  ])(
    '%s: describes the database as %s and tags the engine',
    (engine, label, tags) => {
      const catalog = catalogFor({ databaseEngine: engine });
      expect(catalog.component.tags).toEqual(tags);
      expect(catalog.resources[0].description).toMatch(
        new RegExp(`^${label} database of orders on Amazon RDS`),
      );
      expect(catalog.resources[0].tags).toEqual(['aws', 'rds', engine]);
    },
  );

  it('links the console of the region, and carries no links without one', () => {
    const withRegion = catalogFor({ region: 'eu-west-1' });
    expect(withRegion.component.links.map(link => link.title)).toEqual([
      'CloudFormation stack',
      'ECS clusters',
      'CloudWatch log groups',
    ]);
    expect(withRegion.component.links[0].url).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/stackinfo?stackId=orders-dev',
    );
    expect(withRegion.resources.map(r => r.links.length)).toEqual([1, 2]);

    const withoutRegion = catalogFor({});
    expect(withoutRegion.component.links).toEqual([]);
    expect(withoutRegion.resources.every(r => r.links.length === 0)).toBe(true);
  });

  it('refuses a region that is not one', () => {
    const result = generateFargateService({
      serviceName: 'orders',
      region: 'eu-west-1/../x',
    });
    expect(result.success).toBe(false);
    expect(!result.success && result.problems).toEqual([
      'region: must be an AWS region such as eu-west-1',
    ]);
  });
});
