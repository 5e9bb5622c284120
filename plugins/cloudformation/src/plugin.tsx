import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { CloudFormationClient, cloudFormationApiRef } from './api';
import { CloudFormationCard } from './components/CloudFormationCard';
import { isCloudFormationAvailable } from './conditions';

/** The backend client; apps may replace it by overriding `api:cloudformation/stacks`. */
const cloudFormationApi = ApiBlueprint.make({
  name: 'stacks',
  params: defineParams =>
    defineParams({
      api: cloudFormationApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CloudFormationClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `entity-card:cloudformation/stack`, shown only on entities with the stack-name annotation —
 * the same test classic apps use, so both systems show the card on the same entities.
 */
export const cloudFormationEntityCard = EntityCardBlueprint.make({
  name: 'stack',
  params: {
    filter: isCloudFormationAvailable,
    // Loaded eagerly: the card is small, and the repo's node16 resolution rejects extensionless import().
    loader: async () => <CloudFormationCard />,
  },
});

/**
 * The CloudFormation entity card for the new frontend system: add it to the app's features.
 *
 * @public
 */
export const cloudFormationPlugin = createFrontendPlugin({
  pluginId: 'cloudformation',
  title: 'CloudFormation',
  extensions: [cloudFormationApi, cloudFormationEntityCard],
});
