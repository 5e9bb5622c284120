import { renderHook } from '@testing-library/react';
import { wrapInTestApp } from '@backstage/test-utils';
import {
  FieldExtensionOptions,
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import {
  LoadBalancerSchemeFieldExtension,
  ScalingLimitFieldExtension,
  ServiceNamePickerFieldExtension,
  SubnetIdPickerFieldExtension,
  VpcPickerFieldExtension,
} from './legacy';

describe('the form-time check fields for classic apps', () => {
  it('are offered under the names templates use', () => {
    const outlet = (
      <ScaffolderFieldExtensions>
        <ServiceNamePickerFieldExtension />
        <ScalingLimitFieldExtension />
        <LoadBalancerSchemeFieldExtension />
        <VpcPickerFieldExtension />
        <SubnetIdPickerFieldExtension />
      </ScaffolderFieldExtensions>
    );

    const { result } = renderHook(
      () => useCustomFieldExtensions<FieldExtensionOptions>(outlet),
      {
        wrapper: ({ children }) => wrapInTestApp(children),
      },
    );

    expect(
      result.current.map(field => [field.name, typeof field.validation]),
    ).toEqual([
      ['ServiceNamePicker', 'function'],
      ['ScalingLimitField', 'function'],
      ['LoadBalancerSchemeField', 'function'],
      ['VpcPicker', 'undefined'],
      ['SubnetIdPicker', 'undefined'],
    ]);
  });
});
