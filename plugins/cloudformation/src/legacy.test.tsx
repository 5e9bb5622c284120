import { renderHook } from '@testing-library/react';
import { wrapInTestApp } from '@backstage/test-utils';
import {
  FieldExtensionOptions,
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import {
  AwsDeployTargetPicker,
  validateAwsDeployTarget,
} from './components/AwsDeployTargetPicker';
import { AwsDeployTargetPickerFieldExtension } from './legacy';

describe('AwsDeployTargetPickerFieldExtension', () => {
  it('gives a classic scaffolder the field under the name templates use, with its validation', () => {
    const outlet = (
      <ScaffolderFieldExtensions>
        <AwsDeployTargetPickerFieldExtension />
      </ScaffolderFieldExtensions>
    );

    const { result } = renderHook(
      () => useCustomFieldExtensions<FieldExtensionOptions>(outlet),
      {
        wrapper: ({ children }) => wrapInTestApp(children),
      },
    );

    expect(result.current).toEqual([
      expect.objectContaining({
        name: 'AwsDeployTargetPicker',
        component: AwsDeployTargetPicker,
        validation: validateAwsDeployTarget,
      }),
    ]);
  });
});
