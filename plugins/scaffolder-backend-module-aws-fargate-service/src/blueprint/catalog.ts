/**
 * What the catalog says about the stack: the Component's ref, links and dependencies, and one
 * Resource per database and secret, named by the model. The skeleton's catalog-info.yaml only places
 * these values, so catalog and stack cannot drift apart.
 */
import {
  consoleUrl,
  databaseEngine,
  stackConsoleUrl,
} from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import { catalogEntityNames, type ResourceNames } from './naming';

export type CatalogLink = { title: string; icon: 'dashboard'; url: string };

export type CatalogResource = {
  name: string;
  type: 'database' | 'secret';
  description: string;
  tags: string[];
  links: CatalogLink[];
  /** Entity refs (`resource:<name>`) of the Resources this one needs. */
  dependsOn: string[];
};

export type CatalogModel = {
  /** The Component's entity ref, the one the stack's tags, the deploy and the register step use. */
  entityRef: string;
  component: { tags: string[]; links: CatalogLink[]; dependsOn: string[] };
  resources: CatalogResource[];
};

/** Console links need the region; without one (`region` not given) the entities carry none. */
export function catalogModel(
  spec: FargateServiceSpec,
  names: ResourceNames,
): CatalogModel {
  const engine = databaseEngine(spec.database.engine);
  const entities = catalogEntityNames(names);
  const secretsManager = spec.credentials.mode === 'secrets-manager';
  const refOf = (name: string) => `resource:${name}`;
  const links = (...made: Array<(region: string) => CatalogLink>) =>
    spec.region ? made.map(link => link(spec.region!)) : [];
  const dashboard =
    (title: string, path: string, fragment?: string) => (region: string) => ({
      title,
      icon: 'dashboard' as const,
      url: consoleUrl(region, path, fragment),
    });
  const secretsList = dashboard(
    'Secrets Manager secrets',
    'secretsmanager/listsecrets',
  );

  const database: CatalogResource = {
    name: entities.database,
    type: 'database',
    description: `${engine.label} database of ${spec.serviceName} on Amazon RDS: encrypted, in private subnets, reachable only from the service.`,
    tags: ['aws', 'rds', engine.id],
    links: links(dashboard('RDS databases', 'rds/home', 'databases:')),
    // secrets-manager: the database's master password is resolved from the secret when the stack creates it.
    dependsOn: secretsManager ? [refOf(entities.secret)] : [],
  };
  const secret: CatalogResource = {
    name: entities.secret,
    type: 'secret',
    description: secretsManager
      ? `Master credentials of the ${spec.serviceName} database in AWS Secrets Manager, used only by the bootstrap and rotation; rotated by the hosted single-user function.`
      : `Credentials of the ${spec.serviceName} database in AWS Secrets Manager (the master user, which the service logs in as), managed and rotated by RDS every 7 days.`,
    tags: ['aws', 'secrets-manager'],
    links: links(
      secretsList,
      dashboard(
        'Secret access in CloudTrail',
        'cloudtrailv2/home',
        '/events?EventSource=secretsmanager.amazonaws.com',
      ),
    ),
    // rds-managed: RDS creates, owns and rotates this secret for the database.
    dependsOn: secretsManager ? [] : [refOf(entities.database)],
  };
  const applicationSecret: CatalogResource[] = entities.applicationSecret
    ? [
        {
          name: entities.applicationSecret,
          type: 'secret',
          description: `Credentials of the application user of the ${spec.serviceName} database in AWS Secrets Manager: its own least-privilege user, rotated with alternating users so that no request fails.`,
          tags: ['aws', 'secrets-manager'],
          links: links(secretsList),
          // Attached to the database; its rotation uses the master secret.
          dependsOn: [refOf(entities.database), refOf(entities.secret)],
        },
      ]
    : [];
  const resources = [database, secret, ...applicationSecret];

  return {
    entityRef: spec.entityRef,
    component: {
      tags: ['aws', 'ecs-fargate', engine.id],
      // The service URL is a stack output, known only after the first deploy: the stack page shows it.
      links: links(
        region => ({
          title: 'CloudFormation stack',
          icon: 'dashboard',
          url: stackConsoleUrl(region, names.stackName),
        }),
        dashboard('ECS clusters', 'ecs/v2/clusters'),
        dashboard(
          'CloudWatch log groups',
          'cloudwatch/home',
          'logsV2:log-groups',
        ),
      ),
      // rds-managed: the one secret the service logs in with. secrets-manager: also the application user's own.
      dependsOn: resources.map(resource => refOf(resource.name)),
    },
    resources,
  };
}
