import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
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
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(createAwsFargateServiceGenerateAction());
      },
    });
  },
});
