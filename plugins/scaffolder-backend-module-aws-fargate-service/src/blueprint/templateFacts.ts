import {
  appDatabaseEngines,
  stackConsoleUrlPrefix,
  databaseEngine,
  type DatabaseEngineFacts,
} from '@golden-path/plugin-cloudformation-common';
import type { CatalogModel } from './catalog';
import type { FargateServiceBlueprint } from './generate';

type AppEngineFacts = Pick<
  DatabaseEngineFacts,
  'label' | 'port' | 'clientLibrary'
>;

/** What the template's later steps and the skeleton take from the stack model, as the action outputs it. */
export type TemplateFacts = {
  entityRef: string;
  catalog: Omit<CatalogModel, 'entityRef'>;
  /** Only when the spec names a region. */
  stackConsoleUrlPrefix?: string;
  database: { engine: string } & AppEngineFacts;
  appDatabaseEngines: Record<string, AppEngineFacts>;
};

export function templateFacts(
  blueprint: FargateServiceBlueprint,
): TemplateFacts {
  const { entityRef, ...catalog } = blueprint.catalog;
  const { region } = blueprint.spec;
  const engine = databaseEngine(blueprint.spec.database.engine);
  return {
    entityRef,
    catalog,
    ...(region ? { stackConsoleUrlPrefix: stackConsoleUrlPrefix(region) } : {}),
    database: {
      engine: engine.id,
      label: engine.label,
      port: engine.port,
      clientLibrary: engine.clientLibrary,
    },
    appDatabaseEngines: appDatabaseEngines(),
  };
}
