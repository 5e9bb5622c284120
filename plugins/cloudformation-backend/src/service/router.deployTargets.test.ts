import request from 'supertest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { cloudFormationPlugin } from '../plugin';

const ROUTE = '/api/cloudformation/deploy-targets';
const cfn = mockClient(CloudFormationClient);

async function startBackend(cloudformation?: Record<string, unknown>) {
  const settings: Record<string, unknown> = cloudformation
    ? { cloudformation }
    : {};
  const { server } = await startTestBackend({
    features: [
      cloudFormationPlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({
        data: {
          aws: {
            accounts: [
              {
                accountId: '111122223333',
                accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
                secretAccessKey: 'not-a-real-secret',
              },
            ],
            ...settings,
          },
        },
      }),
    ],
  });
  return server;
}

describe('GET /deploy-targets', () => {
  beforeEach(() => cfn.reset());

  it('answers the allowed accounts, with their labels, the allowed regions and the default region', async () => {
    const server = await startBackend({
      allowedAccountIds: ['111122223333', '444455556666'],
      allowedRegions: ['eu-west-1', 'eu-central-1'],
      defaultRegion: 'eu-central-1',
      accountLabels: [
        { accountId: '111122223333', label: 'Payments production' },
        // Outside the allowlist: a label grants nothing.
        { accountId: '999999999999', label: 'Sandbox' },
      ],
    });

    const response = await request(server).get(ROUTE);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      accounts: [
        { accountId: '111122223333', label: 'Payments production' },
        { accountId: '444455556666' },
      ],
      regions: ['eu-west-1', 'eu-central-1'],
      defaultRegion: 'eu-central-1',
    });
    expect(cfn.calls()).toHaveLength(0);
  });

  it('answers empty lists when nothing is configured, as every deploy would be refused', async () => {
    const unset = await request(await startBackend()).get(ROUTE);
    const empty = await request(
      await startBackend({ allowedAccountIds: [], allowedRegions: [] }),
    ).get(ROUTE);

    expect(unset.status).toBe(200);
    expect(unset.body).toEqual({ accounts: [], regions: [] });
    expect(empty.body).toEqual({ accounts: [], regions: [] });
  });

  it('allows only the default region when allowedRegions is empty, like the deploy action', async () => {
    const server = await startBackend({
      allowedAccountIds: ['111122223333'],
      allowedRegions: [],
      defaultRegion: 'us-east-1',
    });

    const response = await request(server).get(ROUTE);

    expect(response.body).toEqual({
      accounts: [{ accountId: '111122223333' }],
      regions: ['us-east-1'],
      defaultRegion: 'us-east-1',
    });
  });

  it('leaves out a default region the allowlist does not contain', async () => {
    const server = await startBackend({
      allowedAccountIds: ['111122223333'],
      allowedRegions: ['eu-west-1'],
      defaultRegion: 'us-east-1',
    });

    const response = await request(server).get(ROUTE);

    expect(response.body).toEqual({
      accounts: [{ accountId: '111122223333' }],
      regions: ['eu-west-1'],
    });
  });

  it('answers users and services, and refuses unauthenticated callers', async () => {
    const server = await startBackend({
      allowedAccountIds: ['111122223333'],
      defaultRegion: 'us-east-1',
    });

    const asUser = await request(server)
      .get(ROUTE)
      .set('Authorization', mockCredentials.user.header('user:default/alice'));
    const asService = await request(server)
      .get(ROUTE)
      .set('Authorization', mockCredentials.service.header());
    const anonymous = await request(server)
      .get(ROUTE)
      .set('Authorization', mockCredentials.none.header());

    expect(asUser.status).toBe(200);
    expect(asService.status).toBe(200);
    expect(asService.body).toEqual(asUser.body);
    expect(anonymous.status).toBe(401);
  });
});
