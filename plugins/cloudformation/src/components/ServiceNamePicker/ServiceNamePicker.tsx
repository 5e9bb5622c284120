import { useEffect, useState } from 'react';
import { TextField } from '@material-ui/core';
import { useApi } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  serviceNameProblem,
  ServiceNameAvailability,
} from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef } from '../../api';
import {
  availableMessage,
  ServiceNameCheckOptions,
  stackQueryOf,
  takenMessages,
} from './serviceNameCheck';

/** Waits this long after the last keystroke before asking the backend. */
export const CHECK_DELAY_MS = 400;

/** Props of {@link ServiceNamePicker}. @public */
export type ServiceNamePickerProps = FieldExtensionComponentProps<
  string,
  ServiceNameCheckOptions
>;

type Check =
  | { state: 'idle' }
  | { state: 'checking'; name: string }
  | { state: 'done'; name: string; answer: ServiceNameAvailability }
  | { state: 'failed'; name: string; message: string };

/**
 * Form field for `ui:field: ServiceNamePicker`: the new service's name, checked as it is typed —
 * the naming rule in words, then whether a catalog component, a local repository or (once the
 * form knows the account and region) the service's stack already uses it, or whether they are the
 * developer's own earlier run of this service that did not finish, which creating it continues.
 *
 * @public
 */
export function ServiceNamePicker(props: ServiceNamePickerProps) {
  const {
    formData,
    onChange,
    schema,
    idSchema,
    rawErrors,
    required,
    disabled,
    readonly,
    uiSchema,
    formContext,
  } = props;
  const api = useApi(cloudFormationApiRef);
  const name = formData ?? '';
  const problem = name ? serviceNameProblem(name) : undefined;
  const query = stackQueryOf(
    uiSchema?.['ui:options'] ?? {},
    formContext?.formData,
  );
  // Compared by value: a new query object each render must not restart the check.
  const queryKey = JSON.stringify(query ?? {});
  const [check, setCheck] = useState<Check>({ state: 'idle' });

  useEffect(() => {
    if (!name || problem) {
      setCheck({ state: 'idle' });
      return undefined;
    }
    let current = true;
    setCheck({ state: 'checking', name });
    const timer = setTimeout(() => {
      api.checkServiceName(name, JSON.parse(queryKey)).then(
        answer => current && setCheck({ state: 'done', name, answer }),
        error =>
          current &&
          setCheck({
            state: 'failed',
            name,
            message: (error as Error).message,
          }),
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, name, problem, queryKey]);

  // What is true of the name as typed now. The form lists the errors of the last Next below the
  // field itself, so they are not repeated here.
  const taken = check.state === 'done' ? takenMessages(check.answer) : [];
  const messages = problem ? [problem] : taken;
  // After Next the form lists the same messages under the field: say them once.
  const listedBelow =
    messages.length > 0 &&
    messages.every(message => rawErrors?.includes(message));
  let helperText =
    (listedBelow ? '' : messages.join(' ')) || (schema.description ?? '');
  if (messages.length === 0) {
    if (check.state === 'checking')
      helperText = `Checking whether ${name} is free…`;
    if (check.state === 'failed')
      helperText = `Could not check whether ${name} is free: ${check.message}`;
    if (check.state === 'done')
      helperText = availableMessage(check.answer, Boolean(query));
  }

  return (
    <TextField
      id={idSchema.$id}
      label={schema.title ?? 'Name'}
      value={name}
      onChange={event => onChange(event.target.value || undefined)}
      error={messages.length > 0}
      helperText={helperText}
      FormHelperTextProps={
        { role: messages.length > 0 ? 'alert' : 'status' } as object
      }
      // The asterisk only: the field's validation says what is missing, in words.
      InputLabelProps={{ required }}
      disabled={disabled || readonly}
      autoFocus={Boolean(uiSchema?.['ui:autofocus'])}
      margin="normal"
      fullWidth
    />
  );
}
