import express from 'express';
import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CloudFormationDriftAnswer,
  cloudformationDriftDetectPermission,
} from '@golden-path/plugin-cloudformation-common';
import { DriftService } from './DriftService';
import { SecretsService } from './SecretsService';
import { stackLocationOf } from './stackLocation';

/** CloudTrail's event history keeps 90 days; the card looks back a week unless asked. */
export const DEFAULT_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 90;

/** The secrets and drift routes, next to the stack route and guarded the same way. */
export function addSecretsAndDriftRoutes(
  router: express.Router,
  options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    catalog: CatalogService;
    secrets: SecretsService;
    drift: DriftService;
  },
) {
  const { httpAuth, permissions, catalog, secrets, drift } = options;

  // The catalog answers with the caller's own credentials, so catalog.entity.read decides first:
  // an entity the caller cannot read is indistinguishable from a missing one.
  async function entityOf(req: express.Request) {
    const { kind, namespace, name } = req.params;
    const credentials = await httpAuth.credentials(req);
    const entity = await catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity)
      throw new NotFoundError(
        `Entity ${stringifyEntityRef({ kind, namespace, name })} not found`,
      );
    return { entity, credentials };
  }

  async function mayDetect(entity: Entity, credentials: BackstageCredentials) {
    const [decision] = await permissions.authorize(
      [
        {
          permission: cloudformationDriftDetectPermission,
          resourceRef: stringifyEntityRef(entity),
        },
      ],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  router.get('/secrets/by-entity/:kind/:namespace/:name', async (req, res) => {
    const windowDays = parseWindowDays(req.query.windowDays);
    const { entity } = await entityOf(req);
    res.json(await secrets.getSecrets(stackLocationOf(entity), windowDays));
  });

  router.get('/drift/by-entity/:kind/:namespace/:name', async (req, res) => {
    const { entity, credentials } = await entityOf(req);
    const [result, canDetect] = await Promise.all([
      drift.getDrift(stackLocationOf(entity)),
      mayDetect(entity, credentials),
    ]);
    const answer: CloudFormationDriftAnswer =
      result.status === 'available' ? { ...result, canDetect } : result;
    res.json(answer);
  });

  router.post(
    '/drift/by-entity/:kind/:namespace/:name/detect',
    async (req, res) => {
      const { entity, credentials } = await entityOf(req);
      // Checked here, not only by hiding the button: the permission policy decides, by default ownership.
      if (!(await mayDetect(entity, credentials))) {
        throw new NotAllowedError(
          `Only the owners of ${stringifyEntityRef(entity)} may check its stack for drift ` +
            `(permission ${cloudformationDriftDetectPermission.name}).`,
        );
      }
      const result = await drift.detect(stackLocationOf(entity));
      const answer: CloudFormationDriftAnswer =
        result.status === 'available' ? { ...result, canDetect: true } : result;
      res.json(answer);
    },
  );
}

function parseWindowDays(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_WINDOW_DAYS;
  const days =
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(days >= 1 && days <= MAX_WINDOW_DAYS)) {
    throw new InputError(
      `windowDays must be a whole number of days from 1 to ${MAX_WINDOW_DAYS} (CloudTrail keeps 90 days of events), got ${JSON.stringify(value)}.`,
    );
  }
  return days;
}
