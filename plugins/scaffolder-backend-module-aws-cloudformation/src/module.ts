import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { createAwsCloudFormationDeployAction, createAwsCloudFormationValidateAction } from './actions';
import { reportUserErrorsInOneLine } from './userErrors';

/**
 * Adds `aws:cloudformation:validate` and `aws:cloudformation:deploy` to the scaffolder.
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
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, logger }) {
        const credentialsManager = DefaultAwsCredentialsManager.fromConfig(config);
        scaffolder.addActions(
          reportUserErrorsInOneLine(createAwsCloudFormationValidateAction(), logger),
          reportUserErrorsInOneLine(createAwsCloudFormationDeployAction({ config, credentialsManager }), logger),
        );
      },
    });
  },
});
