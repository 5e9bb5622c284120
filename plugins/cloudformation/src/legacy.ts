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
import {
  LOAD_BALANCER_SCHEME_FIELD,
  LoadBalancerSchemeField,
  LoadBalancerSchemeOptions,
  validateLoadBalancerScheme,
} from './components/LoadBalancerSchemeField';
import {
  SUBNET_ID_PICKER,
  SubnetIdPicker,
  VPC_PICKER,
  VpcPicker,
} from './components/NetworkPickers';
import {
  LABELLED_LIST_FIELD,
  LabelledListField,
} from './components/LabelledListField';
import {
  SCALING_LIMIT_FIELD,
  ScalingLimitField,
  ScalingLimitOptions,
  validateScalingLimit,
} from './components/ScalingLimitField';
import {
  SERVICE_NAME_PICKER,
  ServiceNameCheckOptions,
  ServiceNamePicker,
  validateServiceName,
} from './components/ServiceNamePicker';

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
      factory: ({ discoveryApi, fetchApi }) =>
        new CloudFormationClient({ discoveryApi, fetchApi }),
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
export const AwsDeployTargetPickerFieldExtension =
  cloudFormationLegacyPlugin.provide(
    createScaffolderFieldExtension({
      name: AWS_DEPLOY_TARGET_PICKER,
      component: AwsDeployTargetPicker,
      validation: validateAwsDeployTarget,
      schema: AwsDeployTargetPickerFieldSchema.schema,
    }),
  );

/**
 * The form-time check fields (`ServiceNamePicker`, `ScalingLimitField`, `LoadBalancerSchemeField`,
 * `VpcPicker`, `SubnetIdPicker`) for a classic app's scaffolder, inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const ServiceNamePickerFieldExtension =
  cloudFormationLegacyPlugin.provide(
    createScaffolderFieldExtension<string, ServiceNameCheckOptions>({
      name: SERVICE_NAME_PICKER,
      component: ServiceNamePicker,
      validation: validateServiceName,
    }),
  );

/** @public */
export const ScalingLimitFieldExtension = cloudFormationLegacyPlugin.provide(
  createScaffolderFieldExtension<number, ScalingLimitOptions>({
    name: SCALING_LIMIT_FIELD,
    component: ScalingLimitField,
    validation: validateScalingLimit,
  }),
);

/** @public */
export const LoadBalancerSchemeFieldExtension =
  cloudFormationLegacyPlugin.provide(
    createScaffolderFieldExtension<string, LoadBalancerSchemeOptions>({
      name: LOAD_BALANCER_SCHEME_FIELD,
      component: LoadBalancerSchemeField,
      validation: validateLoadBalancerScheme,
    }),
  );

/** @public */
export const VpcPickerFieldExtension = cloudFormationLegacyPlugin.provide(
  createScaffolderFieldExtension({ name: VPC_PICKER, component: VpcPicker }),
);

/** @public */
export const SubnetIdPickerFieldExtension = cloudFormationLegacyPlugin.provide(
  createScaffolderFieldExtension({
    name: SUBNET_ID_PICKER,
    component: SubnetIdPicker,
  }),
);

/** @public */
export const LabelledListFieldExtension = cloudFormationLegacyPlugin.provide(
  createScaffolderFieldExtension({
    name: LABELLED_LIST_FIELD,
    component: LabelledListField,
  }),
);
