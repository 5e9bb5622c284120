import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  LOCAL_GIT_PLUGIN_ID,
  LocalGitRepositories,
  PUBLIC_ROUTE_PREFIX,
} from '@golden-path/plugin-local-git-node';
import { createRepositoryListingRouter } from './listing';
import { createRepositoryRouter } from './router';

/**
 * Serves the repositories that `local:git:publish` creates, read-only, at
 * `/api/local-git/repos/<name>/blob/<branch>/<path>`, so that `catalog:register` and the catalog's
 * URL reader can fetch `catalog-info.yaml` without a git host, and as browsable folder pages at
 * `/api/local-git/repos/<name>/tree/<branch>/`.
 *
 * @public
 */
export const localGitPlugin = createBackendPlugin({
  pluginId: LOCAL_GIT_PLUGIN_ID,
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ config, httpRouter, logger }) {
        const repositories = LocalGitRepositories.fromConfig(config);
        // First: it turns a contents link without a file path into the repository's page.
        httpRouter.use(createRepositoryListingRouter({ repositories }));
        httpRouter.use(createRepositoryRouter({ repositories }));
        // The catalog's URL reader (backend.reading.allow) fetches without credentials.
        httpRouter.addAuthPolicy({
          path: PUBLIC_ROUTE_PREFIX,
          allow: 'unauthenticated',
        });
        logger.info(
          `Serving local git repositories from ${repositories.rootDirectory}`,
        );
      },
    });
  },
});
