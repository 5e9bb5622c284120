import '@testing-library/jest-dom';
import { fireEvent, screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { cloudFormationApiRef } from '../../api';
import { VpcPicker, VpcPickerProps } from './VpcPicker';

const targets = {
  accounts: [{ accountId: '123456789012' }],
  regions: ['us-east-1'],
  defaultRegion: 'us-east-1',
};

async function renderPicker(listNetworks: jest.Mock, onChange = jest.fn()) {
  const props = {
    formData: undefined,
    onChange,
    schema: { title: 'VPC id', type: 'string' },
    idSchema: { $id: 'root_vpcId' },
    uiSchema: {},
    formContext: { formData: {} },
    required: true,
  } as unknown as VpcPickerProps;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          cloudFormationApiRef,
          { getDeployTargets: async () => targets, listNetworks },
        ],
      ]}
    >
      <VpcPicker {...props} />
    </TestApiProvider>,
  );
  return { onChange };
}

describe('VpcPicker', () => {
  it("lists the VPCs of the allowlist's only account and default region before the Deployment page is filled", async () => {
    const listNetworks = jest.fn(async () => ({
      status: 'available' as const,
      vpcs: [
        {
          vpcId: 'vpc-0a1b2c3d',
          cidrBlock: '10.0.0.0/16',
          name: 'shared',
          isDefault: false,
        },
      ],
      subnets: [],
    }));

    await renderPicker(listNetworks);

    expect(
      await screen.findByText(
        '1 VPC in us-east-1 of account 123456789012: pick one or type its id.',
      ),
    ).toBeInTheDocument();
    expect(listNetworks).toHaveBeenCalledWith({
      accountId: '123456789012',
      region: 'us-east-1',
    });
    expect(
      screen.getByTestId('root_vpcId-choices').querySelector('option'),
    ).toHaveAttribute('value', 'vpc-0a1b2c3d');
  });

  it('takes a typed-in id and says why nothing is listed when listing is not allowed', async () => {
    const message =
      'AWS denied Backstage listing the VPCs of us-east-1 of account 123456789012 (it needs ec2:DescribeVpcs): type the ids.';
    const { onChange } = await renderPicker(
      jest.fn(async () => ({ status: 'unavailable' as const, message })),
    );

    expect(await screen.findByText(message)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/VPC id/), {
      target: { value: ' vpc-0fedcba9 ' },
    });
    expect(onChange).toHaveBeenCalledWith('vpc-0fedcba9');
  });
});
