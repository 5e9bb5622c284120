import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createFormField, FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { CloudFormationClient, cloudFormationApiRef } from './api';
import {
  AWS_DEPLOY_TARGET_PICKER,
  AwsDeployTargetPicker,
  AwsDeployTargetPickerFieldSchema,
  validateAwsDeployTarget,
} from './components/AwsDeployTargetPicker';
import { CloudFormationCard } from './components/CloudFormationCard';
import { RetireServiceCard } from './components/RetireServiceCard';
import { DriftCard } from './components/DriftCard';
import { SecretsCard } from './components/SecretsCard';
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

/** `entity-card:cloudformation/retire`: the "Retire service" button, on the same entities as the stack card. */
export const retireServiceEntityCard = EntityCardBlueprint.make({
  name: 'retire',
  params: {
    filter: isCloudFormationAvailable,
    loader: async () => <RetireServiceCard />,
  },
});

/** `entity-card:cloudformation/secrets`: the stack's secrets, on the same entities as the stack card. */
export const cloudFormationSecretsCard = EntityCardBlueprint.make({
  name: 'secrets',
  params: { filter: isCloudFormationAvailable, loader: async () => <SecretsCard /> },
});

/** `entity-card:cloudformation/drift`: the stack's drift and, for owners, the "Check drift" action. */
export const cloudFormationDriftCard = EntityCardBlueprint.make({
  name: 'drift',
  params: { filter: isCloudFormationAvailable, loader: async () => <DriftCard /> },
});

/**
 * `scaffolder-form-field:cloudformation/aws-deploy-target-picker`, the field templates use as
 * `ui:field: AwsDeployTargetPicker`; it attaches to the scaffolder's form-fields API by itself.
 */
export const awsDeployTargetPickerFormField = FormFieldBlueprint.make({
  name: 'aws-deploy-target-picker',
  params: {
    field: async () =>
      createFormField({
        name: AWS_DEPLOY_TARGET_PICKER,
        component: AwsDeployTargetPicker,
        validation: validateAwsDeployTarget,
        schema: AwsDeployTargetPickerFieldSchema,
      }),
  },
});

/**
 * The CloudFormation entity card and the deploy-target form field for the new frontend system:
 * add it to the app's features.
 *
 * @public
 */
export const cloudFormationPlugin = createFrontendPlugin({
  pluginId: 'cloudformation',
  title: 'CloudFormation',
  extensions: [
    cloudFormationApi,
    cloudFormationEntityCard,
    cloudFormationSecretsCard,
    cloudFormationDriftCard,
    retireServiceEntityCard,
    awsDeployTargetPickerFormField,
  ],
});
