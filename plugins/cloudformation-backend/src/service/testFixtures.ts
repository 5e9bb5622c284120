import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_CLOUDFORMATION_REGION,
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
} from '@golden-path/plugin-cloudformation-common';
import { cloudFormationPlugin } from '../plugin';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const STACK = 'payments-prod';
export const STACK_ID = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK}/0f1e2d3c`;
export const OWNER = 'user:default/alice';

/** The catalog entity of the route tests: owned by alice (`spec.owner`), naming STACK. */
export function entity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments',
      namespace: 'default',
      annotations: {
        [ANNOTATION_CLOUDFORMATION_STACK_NAME]: STACK,
        [ANNOTATION_CLOUDFORMATION_REGION]: REGION,
        [ANNOTATION_AWS_ACCOUNT_ID]: ACCOUNT,
        ...annotations,
      },
    },
    spec: { type: 'service', owner: OWNER, lifecycle: 'production' },
  };
}

/**
 * Starts the plugin with a mocked catalog and a permission service that answers like the
 * portal's policy: `cloudformation.stack.drift.detect` only for the entity's owner.
 */
export async function startPluginBackend(
  options: {
    entities?: Entity[];
    /** Top-level config keys beside the AWS ones, e.g. `cloudformation.cache`. */
    config?: Record<string, unknown>;
  } = {},
) {
  const entities = options.entities ?? [entity()];
  const authorize = jest.fn(
    async (
      requests: Array<{ permission: { name: string }; resourceRef?: string }>,
      { credentials },
    ) =>
      requests.map(request => {
        const owner = entities.find(
          candidate =>
            `component:default/${candidate.metadata.name}` ===
            request.resourceRef,
        )?.spec?.owner;
        const caller = (credentials.principal as { userEntityRef?: string })
          .userEntityRef;
        return {
          result:
            request.permission.name !== 'cloudformation.stack.drift.detect' ||
            caller === owner
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        };
      }),
  );
  const { server } = await startTestBackend({
    features: [
      cloudFormationPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.permissions.mock({ authorize: authorize as never }).factory,
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          aws: {
            accounts: [
              {
                accountId: ACCOUNT,
                accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
                secretAccessKey: 'not-a-real-secret',
              },
            ],
            cloudformation: {
              allowedAccountIds: [ACCOUNT],
              allowedRegions: [REGION],
            },
          },
        },
      }),
    ],
  });
  return { server, authorize };
}

export const awsError = (name: string, message: string) =>
  Object.assign(new Error(message), { name });
