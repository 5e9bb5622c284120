import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
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
import {
  LOAD_BALANCER_SCHEME_FIELD,
  LoadBalancerSchemeField,
  validateLoadBalancerScheme,
} from './components/LoadBalancerSchemeField';
import {
  SUBNET_ID_PICKER,
  SubnetIdPicker,
  VPC_PICKER,
  VpcPicker,
} from './components/NetworkPickers';
import {
  SCALING_LIMIT_FIELD,
  ScalingLimitField,
  validateScalingLimit,
} from './components/ScalingLimitField';
import {
  SERVICE_NAME_PICKER,
  ServiceNamePicker,
  validateServiceName,
  validateStackIsFree,
} from './components/ServiceNamePicker';
import { isCloudFormationAvailable } from './conditions';
import {
  LABELLED_LIST_FIELD,
  LabelledListField,
} from './components/LabelledListField';

/** The backend client; apps may replace it by overriding `api:cloudformation/stacks`. */
const cloudFormationApi = ApiBlueprint.make({
  name: 'stacks',
  params: defineParams =>
    defineParams({
      api: cloudFormationApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CloudFormationClient({ discoveryApi, fetchApi }),
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
  params: {
    filter: isCloudFormationAvailable,
    loader: async () => <SecretsCard />,
  },
});

/** `entity-card:cloudformation/drift`: the stack's drift and, for owners, the "Check drift" action. */
export const cloudFormationDriftCard = EntityCardBlueprint.make({
  name: 'drift',
  params: {
    filter: isCloudFormationAvailable,
    loader: async () => <DriftCard />,
  },
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
        // With `ui:options.stackNameFields`, the service's stack must not exist in the chosen place yet.
        validation: async (value, validation, context) => {
          await validateAwsDeployTarget(value, validation, context);
          await validateStackIsFree(value, validation, context);
        },
        schema: AwsDeployTargetPickerFieldSchema,
      }),
  },
});

/** `scaffolder-form-field:cloudformation/service-name-picker`: `ui:field: ServiceNamePicker`. */
export const serviceNamePickerFormField = FormFieldBlueprint.make({
  name: 'service-name-picker',
  params: {
    field: async () =>
      createFormField({
        name: SERVICE_NAME_PICKER,
        component: ServiceNamePicker,
        validation: validateServiceName,
      }),
  },
});

/** `scaffolder-form-field:cloudformation/scaling-limit-field`: `ui:field: ScalingLimitField`. */
export const scalingLimitFormField = FormFieldBlueprint.make({
  name: 'scaling-limit-field',
  params: {
    field: async () =>
      createFormField({
        name: SCALING_LIMIT_FIELD,
        component: ScalingLimitField,
        validation: validateScalingLimit,
      }),
  },
});

/** `scaffolder-form-field:cloudformation/load-balancer-scheme-field`: `ui:field: LoadBalancerSchemeField`. */
export const loadBalancerSchemeFormField = FormFieldBlueprint.make({
  name: 'load-balancer-scheme-field',
  params: {
    field: async () =>
      createFormField({
        name: LOAD_BALANCER_SCHEME_FIELD,
        component: LoadBalancerSchemeField,
        validation: validateLoadBalancerScheme,
      }),
  },
});

/** `scaffolder-form-field:cloudformation/vpc-picker`: `ui:field: VpcPicker`. */
export const vpcPickerFormField = FormFieldBlueprint.make({
  name: 'vpc-picker',
  params: {
    field: async () =>
      createFormField({ name: VPC_PICKER, component: VpcPicker }),
  },
});

/** `scaffolder-form-field:cloudformation/subnet-id-picker`: `ui:field: SubnetIdPicker` on subnet items. */
export const subnetIdPickerFormField = FormFieldBlueprint.make({
  name: 'subnet-id-picker',
  params: {
    field: async () =>
      createFormField({ name: SUBNET_ID_PICKER, component: SubnetIdPicker }),
  },
});

/** `scaffolder-form-field:cloudformation/labelled-list-field`: `ui:field: LabelledListField` on arrays. */
export const labelledListFormField = FormFieldBlueprint.make({
  name: 'labelled-list-field',
  params: {
    field: async () =>
      createFormField({
        name: LABELLED_LIST_FIELD,
        component: LabelledListField,
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
    serviceNamePickerFormField,
    scalingLimitFormField,
    loadBalancerSchemeFormField,
    vpcPickerFormField,
    subnetIdPickerFormField,
    labelledListFormField,
  ],
});
