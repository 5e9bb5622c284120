import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
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
      },
      async init({ scaffolder, config, discovery }) {
        scaffolder.addActions(
          createLocalGitPublishAction({ config, discovery }),
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
