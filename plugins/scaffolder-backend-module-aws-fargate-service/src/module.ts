import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { reportUserErrorsInOneLine } from '@golden-path/plugin-cloudformation-node';
import { createAwsFargateServiceGenerateAction } from './actions/generate';

/**
 * Adds `aws:fargateService:generate` to the scaffolder.
 *
 * @public
 */
export const awsFargateServiceModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aws-fargate-service',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ scaffolder, logger }) {
        scaffolder.addActions(
          reportUserErrorsInOneLine(
            createAwsFargateServiceGenerateAction(),
            logger,
          ),
        );
      },
    });
  },
});
