import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { CloudFormationClient, cloudFormationApiRef } from './api';
import {
  AWS_DEPLOY_TARGET_PICKER,
  AwsDeployTargetPicker,
  AwsDeployTargetPickerFieldSchema,
  validateAwsDeployTarget,
} from './components/AwsDeployTargetPicker';
import { CloudFormationCard } from './components/CloudFormationCard';

/**
 * The plugin for classic (`createApp`) apps; it registers the API the card and the field need.
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

/**
 * The `AwsDeployTargetPicker` form field for a classic app's scaffolder, inside
 * `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const AwsDeployTargetPickerFieldExtension = cloudFormationLegacyPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_DEPLOY_TARGET_PICKER,
    component: AwsDeployTargetPicker,
    validation: validateAwsDeployTarget,
    schema: AwsDeployTargetPickerFieldSchema.schema,
  }),
);
