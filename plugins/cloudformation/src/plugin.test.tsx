import { Entity } from '@backstage/catalog-model';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { ANNOTATION_CLOUDFORMATION_STACK_NAME } from '@golden-path/plugin-cloudformation-common';
import {
  awsDeployTargetPickerFormField,
  cloudFormationEntityCard,
  cloudFormationPlugin,
  cloudFormationSecretsCard,
} from './plugin';

const entityWith = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', annotations },
});

describe('cloudFormationPlugin', () => {
  it('provides the API, the entity card and the form field under the ids the README documents', () => {
    expect(
      cloudFormationPlugin.getExtension('api:cloudformation/stacks'),
    ).toMatchObject({ kind: 'api', name: 'stacks' });
    expect(
      cloudFormationPlugin.getExtension('entity-card:cloudformation/stack'),
    ).toMatchObject({
      kind: 'entity-card',
      name: 'stack',
    });
    expect(
      cloudFormationPlugin.getExtension(
        'scaffolder-form-field:cloudformation/aws-deploy-target-picker',
      ),
    ).toMatchObject({
      kind: 'scaffolder-form-field',
      name: 'aws-deploy-target-picker',
      // Where the scaffolder collects the fields of every installed plugin.
      attachTo: { id: 'api:scaffolder/form-fields', input: 'formFields' },
    });
  });

  it('loads the AwsDeployTargetPicker field', async () => {
    const load = createExtensionTester(awsDeployTargetPickerFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );

    expect(await load()).toMatchObject({
      $$type: '@backstage/scaffolder/FormField',
    });
  });

  it('offers the card only for entities that name a stack', () => {
    const filter = createExtensionTester(cloudFormationEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;

    expect(
      filter(
        entityWith({ [ANNOTATION_CLOUDFORMATION_STACK_NAME]: 'payments-prod' }),
      ),
    ).toBe(true);
    expect(
      filter(entityWith({ [ANNOTATION_CLOUDFORMATION_STACK_NAME]: ' ' })),
    ).toBe(false);
    expect(filter(entityWith({}))).toBe(false);
  });
});

describe('the secrets and drift cards', () => {
  it('are entity cards offered on the same entities as the stack card', () => {
    for (const id of [
      'entity-card:cloudformation/secrets',
      'entity-card:cloudformation/drift',
    ] as const) {
      expect(cloudFormationPlugin.getExtension(id)).toMatchObject({
        kind: 'entity-card',
      });
    }
    const filter = createExtensionTester(cloudFormationSecretsCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(
      filter(
        entityWith({ [ANNOTATION_CLOUDFORMATION_STACK_NAME]: 'payments-prod' }),
      ),
    ).toBe(true);
    expect(filter(entityWith({}))).toBe(false);
  });
});
