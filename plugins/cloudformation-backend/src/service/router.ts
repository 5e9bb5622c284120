import express from 'express';
import Router from 'express-promise-router';
import {
  AuthService,
  DiscoveryService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { readDeployTargets } from './deployTargets';
import { DriftService } from './DriftService';
import { addSecretsAndDriftRoutes } from './entityRoutes';
import { SecretsService } from './SecretsService';
import { createServiceNameRouter } from './serviceNames';
import { stackLocationOf } from './stackLocation';
import { StackService } from './StackService';

/** Routes of the `cloudformation` plugin, mounted at `/api/cloudformation`. */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  auth: AuthService;
  config: Config;
  catalog: CatalogService;
  stacks: StackService;
  permissions: PermissionsService;
  secrets: SecretsService;
  drift: DriftService;
  discovery: DiscoveryService;
  scaffolder: ScaffolderService;
}): Promise<express.Router> {
  const { httpAuth, config, catalog, stacks } = options;
  const router = Router();
  router.use(createServiceNameRouter(options));

  router.get('/deploy-targets', async (req, res) => {
    // The allowlist is no secret from the portal's users, but it is no business of anonymous callers.
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(readDeployTargets(config));
  });

  router.get('/stacks/by-entity/:kind/:namespace/:name', async (req, res) => {
    const { kind, namespace, name } = req.params;
    // The catalog answers with the caller's own credentials, so its permission policy
    // (catalog.entity.read) decides who may see the stack: an entity the caller cannot read
    // is indistinguishable from a missing one.
    const credentials = await httpAuth.credentials(req);
    const entity = await catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(
        `Entity ${stringifyEntityRef({ kind, namespace, name })} not found`,
      );
    }
    res.json(await stacks.getStack(stackLocationOf(entity)));
  });

  addSecretsAndDriftRoutes(router, options);

  return router;
}
