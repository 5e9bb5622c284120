import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { CloudFormationClient, cloudFormationApiRef } from './api';
import { CloudFormationCard } from './components/CloudFormationCard';

/**
 * The plugin for classic (`createApp`) apps; it registers the API the card needs.
 *
 * @public
 */
export const cloudFormationLegacyPlugin = createPlugin({
  id: 'cloudformation',
  apis: [
    createApiFactory({
      api: cloudFormationApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CloudFormationClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The card for a classic EntityPage, e.g. inside
 * `<EntitySwitch.Case if={isCloudFormationAvailable}>`.
 *
 * @public
 */
export const EntityCloudFormationCard = cloudFormationLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityCloudFormationCard',
    component: { sync: CloudFormationCard },
  }),
);
