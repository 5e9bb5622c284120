import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  scaffolderActionsExtensionPoint,
  scaffolderServiceRef,
} from '@backstage/plugin-scaffolder-node';
import { createLocalGitArchiveAction } from './actions/archive';
import { createLocalGitLocateAction } from './actions/locate';
import { createLocalGitPublishAction } from './actions/publish';

/**
 * Adds `local:git:publish`, `local:git:locate` and `local:git:archive` to the scaffolder. Install
 * `@golden-path/plugin-local-git-backend` too: it serves the published repositories to the catalog.
 *
 * @public
 */
export const localPublishModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'local-publish',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        // Asked how an earlier task that published a taken name ended (see local:git:publish).
        scaffolderClient: scaffolderServiceRef,
      },
      async init({ scaffolder, config, discovery, auth, scaffolderClient }) {
        scaffolder.addActions(
          createLocalGitPublishAction({
            config,
            discovery,
            auth,
            scaffolder: scaffolderClient,
          }),
        );
        scaffolder.addActions(
          createLocalGitArchiveAction({ config, discovery }),
        );
        scaffolder.addActions(
          createLocalGitLocateAction({ config, discovery }),
        );
      },
    });
  },
});
