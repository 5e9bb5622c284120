import { TextField } from '@material-ui/core';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { AwsSubnetChoice } from '@golden-path/plugin-cloudformation-common';
import { useNetworks } from './useNetworks';
import { NetworkPickerOptions } from './VpcPicker';

/** Props of {@link SubnetIdPicker}. @public */
export type SubnetIdPickerProps = FieldExtensionComponentProps<
  string,
  NetworkPickerOptions
>;

const subnetLabel = (subnet: AwsSubnetChoice) =>
  [
    subnet.name,
    subnet.availabilityZone,
    subnet.cidrBlock,
    subnet.public ? 'public' : 'private',
  ]
    .filter(Boolean)
    .join(' · ');

/**
 * Form field for one subnet id (`items: { ui:field: SubnetIdPicker }`): suggestions from the
 * chosen VPC, the wanted kind (`ui:options.visibility`) first, and a note when the typed subnet is
 * of the other kind or outside the VPC. Typed-in ids are taken when subnets cannot be listed.
 *
 * @public
 */
export function SubnetIdPicker(props: SubnetIdPickerProps) {
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
  const networks = useNetworks(values, options.deployTargetField);
  const vpcId = values?.[options.vpcField ?? 'vpcId'];
  const listId = `${idSchema.$id}-choices`;
  const inVpc =
    networks.state === 'listed'
      ? networks.listing.subnets.filter(subnet => subnet.vpcId === vpcId)
      : [];
  const wanted = options.visibility === 'public';
  const suggestions = [...inVpc].sort(
    (a, b) => Number(b.public === wanted) - Number(a.public === wanted),
  );
  const picked = inVpc.find(subnet => subnet.subnetId === formData);

  let helperText = '';
  let warning = false;
  if (networks.state === 'typed') helperText = networks.reason;
  if (networks.state === 'listed' && formData) {
    if (!picked) {
      warning = true;
      helperText = `${formData} is not a subnet of ${typeof vpcId === 'string' ? vpcId : 'the chosen VPC'} in ${networks.where}.`;
    } else {
      const kindMismatch = options.visibility && picked.public !== wanted;
      warning = Boolean(kindMismatch);
      helperText = `${subnetLabel(picked)}${kindMismatch ? ` — not a ${options.visibility} subnet: its route table ${wanted ? 'has no' : 'has a'} route to an internet gateway.` : ''}`;
    }
  }
  return (
    <>
      <TextField
        id={idSchema.$id}
        label={schema.title ?? 'Subnet id'}
        value={formData ?? ''}
        onChange={event => onChange(event.target.value.trim() || undefined)}
        inputProps={{ list: listId, autoComplete: 'off' }}
        error={warning}
        helperText={helperText}
        InputLabelProps={{ required }}
        disabled={disabled || readonly}
        margin="dense"
        fullWidth
      />
      <datalist id={listId} data-testid={listId}>
        {suggestions.map(subnet => (
          <option key={subnet.subnetId} value={subnet.subnetId}>
            {subnetLabel(subnet)}
          </option>
        ))}
      </datalist>
    </>
  );
}
