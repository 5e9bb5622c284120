import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  createAwsCloudFormationDeleteAction,
  createAwsCloudFormationDeployAction,
  createAwsCloudFormationValidateAction,
} from './actions';

/**
 * Adds `aws:cloudformation:validate`, `aws:cloudformation:deploy` and `aws:cloudformation:delete` to the scaffolder.
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
      },
      async init({ scaffolder, config, permissions }) {
        const credentialsManager = DefaultAwsCredentialsManager.fromConfig(config);
        scaffolder.addActions(
          createAwsCloudFormationValidateAction(),
          createAwsCloudFormationDeployAction({ config, credentialsManager }),
          createAwsCloudFormationDeleteAction({ config, credentialsManager, permissions }),
        );
      },
    });
  },
});
