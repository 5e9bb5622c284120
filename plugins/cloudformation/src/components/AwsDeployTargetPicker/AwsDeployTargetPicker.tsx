import { useEffect } from 'react';
import { Box, Grid, TextField, Typography } from '@material-ui/core';
import {
  CodeSnippet,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  accountName,
  AwsDeployTarget,
  AwsDeployTargetDraft,
  missingAllowlist,
  settledDeployTarget,
} from './deployTarget';
import { RetryableError } from '../RetryableError';
import { useDeployTargets } from './useDeployTargets';

const EXAMPLE_CONFIG = `aws:
  cloudformation:
    allowedAccountIds: ['111122223333']
    allowedRegions: [eu-west-1, eu-central-1]
    defaultRegion: eu-west-1
    accountLabels: # optional
      - accountId: '111122223333'
        label: Payments production`;

/** Props of {@link AwsDeployTargetPicker}. @public */
export type AwsDeployTargetPickerProps =
  FieldExtensionComponentProps<AwsDeployTarget>;

/**
 * Form field for `ui:field: AwsDeployTargetPicker`: the AWS account and region a stack is deployed
 * to, chosen from the platform team's allowlist (`GET /api/cloudformation/deploy-targets`).
 *
 * @public
 */
export function AwsDeployTargetPicker(props: AwsDeployTargetPickerProps) {
  const {
    schema,
    idSchema,
    errorSchema,
    onChange,
    required,
    disabled,
    readonly,
  } = props;
  // The scaffolder hands in whatever the form holds, complete or not.
  const formData = props.formData as AwsDeployTargetDraft;
  const { targets, error, loading, retry } = useDeployTargets();
  const missing = targets ? missingAllowlist(targets) : [];

  useEffect(() => {
    if (!targets || missingAllowlist(targets).length > 0) return;
    // A value outside the allowlist would be refused at deploy time: where the allowlist leaves
    // one choice, take it as soon as the allowlist is known.
    const settled = settledDeployTarget(formData, targets);
    if (
      settled.accountId !== formData?.accountId ||
      settled.region !== formData?.region
    ) {
      onChange(settled as AwsDeployTarget);
    }
  }, [targets, formData, onChange]);

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = (
      <RetryableError
        title="Could not load the allowed AWS accounts and regions"
        error={error}
        retry={retry}
      />
    );
  } else if (missing.length > 0) {
    content = (
      <WarningPanel
        title="No AWS accounts or regions are allowed for deploys"
        message={`Nothing can be deployed from this portal until a platform engineer sets ${missing.join(' and ')} in the app-config.`}
        defaultExpanded
      >
        <CodeSnippet language="yaml" text={EXAMPLE_CONFIG} />
      </WarningPanel>
    );
  } else if (targets) {
    const { accountId, region } = formData ?? {};
    content = (
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          <TargetSelect
            id={`${idSchema.$id}_accountId`}
            label={propertyTitle(schema, 'accountId') ?? 'AWS account'}
            value={accountId}
            options={targets.accounts.map(account => ({
              value: account.accountId,
              label: accountName(account),
            }))}
            errors={errorSchema?.accountId?.__errors}
            required={required}
            disabled={disabled || readonly}
            onChange={chosen =>
              onChange({ ...formData, accountId: chosen } as AwsDeployTarget)
            }
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <TargetSelect
            id={`${idSchema.$id}_region`}
            label={propertyTitle(schema, 'region') ?? 'AWS region'}
            value={region}
            options={targets.regions.map(name => ({
              value: name,
              label: name,
            }))}
            errors={errorSchema?.region?.__errors}
            required={required}
            disabled={disabled || readonly}
            onChange={chosen =>
              onChange({ ...formData, region: chosen } as AwsDeployTarget)
            }
          />
        </Grid>
      </Grid>
    );
  }

  return (
    <Box mt={2} mb={1}>
      <Typography variant="subtitle1" component="div">
        {schema.title ?? 'AWS account and region'}
      </Typography>
      {schema.description && (
        <Typography variant="caption" color="textSecondary" component="p">
          {schema.description}
        </Typography>
      )}
      <Box mt={1}>{content}</Box>
    </Box>
  );
}

/** The template's title for `accountId` or `region`, when it gives one. */
function propertyTitle(
  schema: AwsDeployTargetPickerProps['schema'],
  key: keyof AwsDeployTarget,
): string | undefined {
  const property = schema.properties?.[key];
  return typeof property === 'object' ? property.title : undefined;
}

function TargetSelect(props: {
  id: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
  errors?: string[];
  required?: boolean;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  // A value the select does not offer (outside the allowlist) shows as no choice; the validation names it.
  const shown = props.options.some(option => option.value === props.value)
    ? props.value
    : '';
  return (
    <TextField
      id={props.id}
      select
      SelectProps={{ native: true }}
      label={props.label}
      value={shown}
      onChange={event => props.onChange(event.target.value)}
      error={Boolean(props.errors?.length)}
      helperText={props.errors?.join(' ')}
      // The asterisk only: the browser's own required check would block the form before the
      // field's validation could say what is wrong.
      InputLabelProps={{ required: props.required }}
      disabled={props.disabled}
      fullWidth
    >
      {!shown && <option value="" />}
      {props.options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}
