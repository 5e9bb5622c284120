import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createCatalogRemoveEntitiesAction } from './removeEntities';
import { examples } from './removeEntities.examples';

describe('catalog:entities:remove examples', () => {
  it.each(examples.map(example => [example.description, example] as const))(
    '%s',
    async (_description, example) => {
      const catalog = catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'orders', namespace: 'default', uid: 'u1' },
            spec: {},
          },
        ],
      });
      Object.assign(catalog, { getLocationByEntity: async () => undefined });
      const permissions = {
        authorize: async (requests: unknown[]) =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      } as unknown as PermissionsService;
      const step = yaml.parse(example.example).steps[0];
      const input = {
        entityRef: String(step.input.entityRef).replace(
          '${{ parameters.entity }}',
          'component:default/orders',
        ),
      };

      await createCatalogRemoveEntitiesAction({ catalog, permissions }).handler(
        createMockActionContext({ input }),
      );

      expect(
        (await catalog.getEntities({}, { credentials: mockCredentials.none() }))
          .items,
      ).toEqual([]);
    },
  );
});
