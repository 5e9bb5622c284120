import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  createAwsCloudFormationDeleteAction,
  createCatalogRemoveEntitiesAction,
  createAwsCloudFormationDeployAction,
  createAwsCloudFormationValidateAction,
} from './actions';
import { readDeployTimings } from './deploy/timingsConfig';
import { reportUserErrorsInOneLine } from '@golden-path/plugin-cloudformation-node';

/**
 * Adds `aws:cloudformation:validate`, `aws:cloudformation:deploy`, `aws:cloudformation:delete` and
 * `catalog:entities:remove` (the retire template's catalog step) to the scaffolder.
 *
 * @public
 */
export const awsCloudFormationModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aws-cloudformation',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, permissions, catalog, logger }) {
        const credentialsManager =
          DefaultAwsCredentialsManager.fromConfig(config);
        const timings = readDeployTimings(config);
        scaffolder.addActions(
          reportUserErrorsInOneLine(
            createAwsCloudFormationValidateAction(),
            logger,
          ),
          reportUserErrorsInOneLine(
            createAwsCloudFormationDeployAction({
              config,
              credentialsManager,
              timings,
            }),
            logger,
          ),
          reportUserErrorsInOneLine(
            createAwsCloudFormationDeleteAction({
              config,
              credentialsManager,
              permissions,
              timings,
            }),
            logger,
          ),
          reportUserErrorsInOneLine(
            createCatalogRemoveEntitiesAction({ catalog, permissions }),
            logger,
          ),
        );
      },
    });
  },
});
