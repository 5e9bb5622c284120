import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCatalogRemoveEntitiesAction } from './removeEntities';

const ORIGIN =
  'url:http://localhost:7007/api/local-git/repos/orders/tree/main/catalog-info.yaml';
const OTHER_ORIGIN = 'file:/portal/catalog/org.yaml';

function entity(
  kind: string,
  name: string,
  origin: string,
  stackName?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${kind}-${name}`,
      annotations: {
        'backstage.io/managed-by-origin-location': origin,
        ...(stackName
          ? { 'aws.amazon.com/cloudformation-stack-name': stackName }
          : {}),
      },
    },
    spec: {},
  };
}

function setup(options: { allowed?: boolean; extra?: Entity[] } = {}) {
  const catalog = catalogServiceMock({
    entities: [
      entity('Component', 'orders', ORIGIN, 'orders'),
      entity('Resource', 'orders-db', ORIGIN, 'orders'),
      entity('Resource', 'orders-db-credentials', ORIGIN, 'orders'),
      // Another service's resource, from another location.
      entity('Resource', 'billing-db', OTHER_ORIGIN, 'billing'),
      ...(options.extra ?? []),
    ],
  });
  const removeLocationById = jest.fn(async () => undefined);
  Object.assign(catalog, {
    getLocationByEntity: jest.fn(async () => ({
      id: 'location-1',
      type: 'url',
      target: ORIGIN.slice(4),
    })),
    removeLocationById,
  });
  const permissions = {
    authorize: jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({
        result:
          options.allowed === false
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    ),
    authorizeConditional: jest.fn(),
  } as unknown as PermissionsService;
  const action = createCatalogRemoveEntitiesAction({ catalog, permissions });
  const logger = mockServices.logger.mock();
  const remaining = async () =>
    (
      await catalog.getEntities({}, { credentials: mockCredentials.none() })
    ).items
      .map(e => e.metadata.name)
      .sort();
  return { action, catalog, removeLocationById, logger, remaining };
}

describe('catalog:entities:remove', () => {
  it("removes the Component, its stack's Resources and their location, and nothing else", async () => {
    const { action, removeLocationById, logger, remaining } = setup();
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/orders' },
      logger,
    });
    await action.handler(ctx);

    expect(await remaining()).toEqual(['billing-db']);
    expect(removeLocationById).toHaveBeenCalledWith(
      'location-1',
      expect.anything(),
    );
    expect(ctx.output).toHaveBeenCalledWith('removedEntityRefs', [
      'component:default/orders',
      'resource:default/orders-db',
      'resource:default/orders-db-credentials',
    ]);
  });

  it('keeps the location when it holds other entities, and says so', async () => {
    const { action, removeLocationById, logger, remaining } = setup({
      extra: [entity('API', 'orders-api', ORIGIN)],
    });
    await action.handler(
      createMockActionContext({
        input: { entityRef: 'component:default/orders' },
        logger,
      }),
    );

    expect(removeLocationById).not.toHaveBeenCalled();
    expect(await remaining()).toEqual(['billing-db', 'orders-api']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'also holds api:default/orders-api, so it stays registered',
      ),
    );
  });

  it('dry run: lists what would be removed and removes nothing', async () => {
    const { action, removeLocationById, logger, remaining } = setup();
    await action.handler({
      ...createMockActionContext({
        input: { entityRef: 'component:default/orders' },
        logger,
      }),
      isDryRun: true,
    });

    expect(await remaining()).toHaveLength(4);
    expect(removeLocationById).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        'Would remove from the catalog: component:default/orders',
      ),
    );
  });

  it('refuses a non-owner', async () => {
    const { action, remaining } = setup({ allowed: false });
    await expect(
      action.handler(
        createMockActionContext({
          input: { entityRef: 'component:default/orders' },
        }),
      ),
    ).rejects.toThrow(
      'Only the owners of component:default/orders may retire it',
    );
    expect(await remaining()).toHaveLength(4);
  });
});
