import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderWorkspaceProviderExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import {
  SHARED_DIRECTORY_WORKSPACE_PROVIDER,
  SharedDirectoryWorkspaceProvider,
} from './SharedDirectoryWorkspaceProvider';

/**
 * Adds the `sharedDirectory` workspace provider, used when `scaffolder.taskRecovery.workspaceProvider`
 * is `sharedDirectory`: recovered tasks find their workspace in a directory every replica mounts.
 *
 * @public
 */
export const sharedDirectoryWorkspaceModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'shared-directory-workspace',
  register({ registerInit }) {
    registerInit({
      deps: {
        workspaces: scaffolderWorkspaceProviderExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ workspaces, config }) {
        workspaces.addProviders({
          [SHARED_DIRECTORY_WORKSPACE_PROVIDER]:
            SharedDirectoryWorkspaceProvider.fromConfig(config),
        });
      },
    });
  },
});
