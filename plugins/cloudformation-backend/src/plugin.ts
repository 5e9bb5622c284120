import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createNetworkRouter } from './service/networks';
import { createRouter } from './service/router';
import { StackService } from './service/StackService';

/**
 * Serves the CloudFormation stack behind a catalog entity to the entity card, at
 * `GET /api/cloudformation/stacks/by-entity/:kind/:namespace/:name`, and the allowed deploy
 * targets to the `AwsDeployTargetPicker` form field, at `GET /api/cloudformation/deploy-targets`,
 * whether a new service may take a name, at `GET /api/cloudformation/service-names/:name`, and the
 * VPCs and subnets of an allowed account and region, at `GET /api/cloudformation/networks`.
 *
 * @public
 */
export const cloudFormationPlugin = createBackendPlugin({
  pluginId: 'cloudformation',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
      },
      async init({ httpRouter, httpAuth, auth, config, cache, logger, catalog }) {
        const credentialsManager = DefaultAwsCredentialsManager.fromConfig(config);
        const stacks = new StackService({ config, credentialsManager, cache, logger });
        httpRouter.use(await createRouter({ httpAuth, auth, config, catalog, stacks }));
        httpRouter.use(createNetworkRouter({ httpAuth, config, credentialsManager, logger }));
      },
    });
  },
});
