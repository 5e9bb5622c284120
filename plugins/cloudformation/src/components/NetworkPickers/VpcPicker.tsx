import { TextField } from '@material-ui/core';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { AwsVpcChoice } from '@golden-path/plugin-cloudformation-common';
import { useNetworks } from './useNetworks';

/** `ui:options` of the network pickers. */
export interface NetworkPickerOptions {
  /** The `AwsDeployTargetPicker` field (default `deployTarget`). */
  deployTargetField?: string;
  /** SubnetIdPicker: the field holding the VPC id (default `vpcId`). */
  vpcField?: string;
  /** SubnetIdPicker: which subnets to suggest first and flag when picked otherwise. */
  visibility?: 'public' | 'private';
}

/** Props of {@link VpcPicker}. @public */
export type VpcPickerProps = FieldExtensionComponentProps<
  string,
  NetworkPickerOptions
>;

const vpcLabel = (vpc: AwsVpcChoice) =>
  [vpc.name, vpc.cidrBlock, vpc.isDefault ? 'default VPC' : undefined]
    .filter(Boolean)
    .join(' · ');

/**
 * Form field for `ui:field: VpcPicker`: a VPC id, suggested from the VPCs of the account and region
 * the stack goes to (`GET /api/cloudformation/networks`), or typed in when they cannot be listed.
 *
 * @public
 */
export function VpcPicker(props: VpcPickerProps) {
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
  const networks = useNetworks(
    formContext?.formData,
    uiSchema?.['ui:options']?.deployTargetField,
  );
  const listId = `${idSchema.$id}-choices`;
  const vpcs = networks.state === 'listed' ? networks.listing.vpcs : [];
  const picked = vpcs.find(vpc => vpc.vpcId === formData);
  let helperText = schema.description ?? '';
  if (networks.state === 'loading') helperText = 'Listing the VPCs…';
  if (networks.state === 'typed') helperText = networks.reason;
  if (networks.state === 'listed') {
    helperText = picked
      ? `${picked.vpcId}: ${vpcLabel(picked) || 'no name'}, in ${networks.where}.`
      : `${vpcs.length} VPC${vpcs.length === 1 ? '' : 's'} in ${networks.where}: pick one or type its id.`;
  }
  return (
    <>
      <TextField
        id={idSchema.$id}
        label={schema.title ?? 'VPC id'}
        value={formData ?? ''}
        onChange={event => onChange(event.target.value.trim() || undefined)}
        inputProps={{ list: listId, autoComplete: 'off' }}
        helperText={helperText}
        InputLabelProps={{ required }}
        disabled={disabled || readonly}
        margin="normal"
        fullWidth
      />
      <datalist id={listId} data-testid={listId}>
        {vpcs.map(vpc => (
          <option key={vpc.vpcId} value={vpc.vpcId}>
            {vpcLabel(vpc)}
          </option>
        ))}
      </datalist>
    </>
  );
}
