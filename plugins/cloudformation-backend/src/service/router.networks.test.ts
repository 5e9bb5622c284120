import request from 'supertest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { cloudFormationPlugin } from '../plugin';

const ACCOUNT = '123456789012';
const ec2 = mockClient(EC2Client);

describe('GET /networks', () => {
  beforeEach(() => {
    ec2.reset();
    ec2.on(DescribeVpcsCommand).resolves({
      Vpcs: [
        {
          VpcId: 'vpc-0a1b2c3d',
          CidrBlock: '10.0.0.0/16',
          IsDefault: false,
          Tags: [{ Key: 'Name', Value: 'shared' }],
        },
      ],
    });
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        {
          SubnetId: 'subnet-00000001',
          VpcId: 'vpc-0a1b2c3d',
          AvailabilityZone: 'us-east-1a',
          CidrBlock: '10.0.0.0/24',
        },
        {
          SubnetId: 'subnet-00000002',
          VpcId: 'vpc-0a1b2c3d',
          AvailabilityZone: 'us-east-1b',
          CidrBlock: '10.0.1.0/24',
        },
      ],
    });
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        // The main table reaches the internet; subnet 2 has its own table with a NAT route only.
        {
          VpcId: 'vpc-0a1b2c3d',
          Associations: [{ Main: true }],
          Routes: [{ GatewayId: 'igw-0abc' }],
        },
        {
          VpcId: 'vpc-0a1b2c3d',
          Associations: [{ SubnetId: 'subnet-00000002' }],
          Routes: [{ NatGatewayId: 'nat-0abc' }, { GatewayId: 'local' }],
        },
      ],
    });
  });

  async function get(
    query: string,
    credentials: BackstageCredentials = mockCredentials.user(),
  ) {
    const { server } = await startTestBackend({
      features: [
        cloudFormationPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.httpAuth.factory({ defaultCredentials: credentials }),
        mockServices.rootConfig.factory({
          data: {
            aws: {
              accounts: [
                {
                  accountId: ACCOUNT,
                  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
                  secretAccessKey: 'not-a-real-secret',
                },
              ],
              cloudformation: {
                allowedAccountIds: [ACCOUNT],
                allowedRegions: ['us-east-1'],
              },
            },
          },
        }),
      ],
    });
    return request(server).get(`/api/cloudformation/networks?${query}`);
  }

  it('lists the VPCs and subnets, marking those whose route table reaches an internet gateway as public', async () => {
    const response = await get(`accountId=${ACCOUNT}&region=us-east-1`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'available',
      vpcs: [
        {
          vpcId: 'vpc-0a1b2c3d',
          cidrBlock: '10.0.0.0/16',
          name: 'shared',
          isDefault: false,
        },
      ],
      subnets: [
        {
          subnetId: 'subnet-00000001',
          vpcId: 'vpc-0a1b2c3d',
          availabilityZone: 'us-east-1a',
          cidrBlock: '10.0.0.0/24',
          public: true,
        },
        {
          subnetId: 'subnet-00000002',
          vpcId: 'vpc-0a1b2c3d',
          availabilityZone: 'us-east-1b',
          cidrBlock: '10.0.1.0/24',
          public: false,
        },
      ],
    });
  });

  it('does not call AWS outside the allowlist, and says so', async () => {
    const response = await get(`accountId=${ACCOUNT}&region=eu-west-3`);

    expect(response.body).toEqual({
      status: 'unavailable',
      message: `Deploys to eu-west-3 of account ${ACCOUNT} are not allowed (aws.cloudformation allowlist), so its VPCs are not listed.`,
    });
    expect(ec2.calls()).toHaveLength(0);
  });

  it('falls back to typed-in ids when AWS denies the listing', async () => {
    ec2
      .on(DescribeVpcsCommand)
      .rejects(
        Object.assign(
          new Error(
            'User arn:aws:iam::123456789012:role/backstage is not authorized',
          ),
          { name: 'UnauthorizedOperation' },
        ),
      );

    const { body } = await get(`accountId=${ACCOUNT}&region=us-east-1`);

    expect(body).toEqual({
      status: 'unavailable',
      message: `AWS denied Backstage listing the VPCs of us-east-1 of account ${ACCOUNT} (it needs ec2:DescribeVpcs, ec2:DescribeSubnets and ec2:DescribeRouteTables): type the ids.`,
    });
    // AWS's own message names the backend's role: it stays in the backend log.
    expect(JSON.stringify(body)).not.toContain('arn:aws:iam');
  });

  it('refuses a malformed region in words', async () => {
    const response = await get('region=useast');

    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      'region must be an AWS region name such as us-east-1.',
    );
  });

  it('is for signed-in users only', async () => {
    const response = await get(`region=us-east-1`, mockCredentials.service());

    expect(response.status).toBe(403);
  });
});
