import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderServiceRef } from '@backstage/plugin-scaffolder-node';
import { cloudformationPermissions } from '@golden-path/plugin-cloudformation-common';
import { AwsClientPool } from './service/awsTarget';
import { readCacheLifetimes } from './service/cacheLifetimes';
import { DriftService } from './service/DriftService';
import { createNetworkRouter } from './service/networks';
import { createRouter } from './service/router';
import { SecretsService } from './service/SecretsService';
import { StackService } from './service/StackService';

/**
 * Serves the CloudFormation stack behind a catalog entity to the entity card, at
 * `GET /api/cloudformation/stacks/by-entity/:kind/:namespace/:name`, and the allowed deploy
 * targets to the `AwsDeployTargetPicker` form field, at `GET /api/cloudformation/deploy-targets`;
 * the stack's secrets (`GET …/secrets/by-entity/…`) and drift (`GET …/drift/by-entity/…`,
 * `POST …/drift/by-entity/…/detect`, guarded by `cloudformation.stack.drift.detect`); whether a new
 * service may take a name (`GET …/service-names/:name`) and the VPCs and subnets of an allowed
 * account and region (`GET …/networks`).
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
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        discovery: coreServices.discovery,
        // The name check asks how an earlier run that published the name ended.
        scaffolder: scaffolderServiceRef,
      },
      async init({
        httpRouter,
        httpAuth,
        auth,
        config,
        cache,
        logger,
        catalog,
        permissions,
        permissionsRegistry,
        discovery,
        scaffolder,
      }) {
        const credentialsManager =
          DefaultAwsCredentialsManager.fromConfig(config);
        const lifetimes = readCacheLifetimes(config);
        const stacks = new StackService({
          config,
          credentialsManager,
          cache,
          logger,
          lifetimes,
        });
        const clients = new AwsClientPool(credentialsManager);
        const secrets = new SecretsService({
          config,
          clients,
          cache,
          logger,
          lifetimes,
        });
        const drift = new DriftService({
          config,
          clients,
          cache,
          logger,
          lifetimeMs: lifetimes.driftMs,
        });
        permissionsRegistry.addPermissions(cloudformationPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            auth,
            config,
            catalog,
            stacks,
            permissions,
            secrets,
            drift,
            discovery,
            scaffolder,
          }),
        );
        httpRouter.use(
          createNetworkRouter({ httpAuth, config, credentialsManager, logger }),
        );
      },
    });
  },
});
