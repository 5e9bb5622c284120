import { TextField } from '@material-ui/core';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ScalingLimitOptions, scalingLimitProblems } from './scalingLimits';

/** Props of {@link ScalingLimitField}. @public */
export type ScalingLimitFieldProps = FieldExtensionComponentProps<
  number,
  ScalingLimitOptions
>;

/**
 * Form field for `ui:field: ScalingLimitField`: a whole number (the most tasks autoscaling may
 * run) that says at once when it does not fit the fewest tasks and the tasks at start on its page.
 *
 * @public
 */
export function ScalingLimitField(props: ScalingLimitFieldProps) {
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
  const live = scalingLimitProblems(
    formData,
    values?.[options.minField ?? 'minCapacity'],
    values?.[options.desiredField ?? 'desiredCount'],
  );
  // What is true as typed now; the form lists the errors of the last Next below the field itself.
  const messages = live;
  return (
    <TextField
      id={idSchema.$id}
      type="number"
      label={schema.title ?? 'Most tasks'}
      value={formData ?? ''}
      onChange={event =>
        onChange(
          event.target.value === '' ? undefined : Number(event.target.value),
        )
      }
      inputProps={{ min: schema.minimum, max: schema.maximum, step: 1 }}
      error={messages.length > 0}
      helperText={messages.join(' ') || schema.description}
      InputLabelProps={{ required }}
      disabled={disabled || readonly}
      margin="normal"
      fullWidth
    />
  );
}
