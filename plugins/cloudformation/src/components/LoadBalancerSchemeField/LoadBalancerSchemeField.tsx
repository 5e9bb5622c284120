import { TextField } from '@material-ui/core';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  LoadBalancerSchemeOptions,
  loadBalancerSchemeProblems,
} from './subnetRules';

/** Props of {@link LoadBalancerSchemeField}. @public */
export type LoadBalancerSchemeFieldProps = FieldExtensionComponentProps<
  string,
  LoadBalancerSchemeOptions
>;

/**
 * Form field for `ui:field: LoadBalancerSchemeField`: the load balancer's scheme (the schema's
 * `enum`/`enumNames`), saying at once when an internet-facing one lacks public subnets in an
 * existing VPC on the same page.
 *
 * @public
 */
export function LoadBalancerSchemeField(props: LoadBalancerSchemeFieldProps) {
  const {
    formData,
    onChange,
    schema,
    idSchema,
    required,
    disabled,
    readonly,
    uiSchema,
    formContext,
  } = props;
  const options = uiSchema?.['ui:options'] ?? {};
  const values = formContext?.formData as Record<string, unknown> | undefined;
  const problems = loadBalancerSchemeProblems(
    formData,
    values?.[options.networkField ?? 'network'],
    values?.[options.publicSubnetsField ?? 'publicSubnetIds'],
  );
  const choices = (schema.enum ?? []).map(String);
  const names = ((schema as { enumNames?: string[] }).enumNames ?? choices).map(
    String,
  );
  return (
    <TextField
      id={idSchema.$id}
      select
      SelectProps={{ native: true }}
      label={schema.title ?? 'Load balancer'}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value || undefined)}
      error={problems.length > 0}
      helperText={problems.join(' ') || schema.description}
      InputLabelProps={{ required, shrink: true }}
      disabled={disabled || readonly}
      margin="normal"
      fullWidth
    >
      {!formData && <option value="" />}
      {choices.map((choice, index) => (
        <option key={choice} value={choice}>
          {names[index] ?? choice}
        </option>
      ))}
    </TextField>
  );
}
