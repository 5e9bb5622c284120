import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_CLOUDFORMATION_REGION,
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
} from '@golden-path/plugin-cloudformation-common';
import { cloudFormationPlugin } from '../plugin';

/**
 * The real AWS SDK against a local endpoint reached through AWS_ENDPOINT_URL_*: proves the
 * endpoint overrides are honoured and that throttling is retried before the route gives up.
 */
describe('GET /stacks/by-entity/... over HTTP', () => {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action') ?? '';
      requests.push(action);
      res.setHeader('Content-Type', 'text/xml');
      if (action === 'GetCallerIdentity') {
        res.end(
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
            '<Arn>arn:aws:iam::123456789012:user/backstage</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>' +
            '</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
        );
        return;
      }
      res.statusCode = 400;
      res.end(
        '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">' +
          '<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>' +
          '<RequestId>2</RequestId></ErrorResponse>',
      );
    });
  });
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = endpoint;
    process.env.AWS_ENDPOINT_URL_STS = endpoint;
    // The attempt count below is the SDK default's.
    delete process.env.AWS_MAX_ATTEMPTS;
    delete process.env.AWS_RETRY_MODE;
  });
  afterAll(async () => {
    process.env = savedEnv;
    await new Promise(resolve => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  async function get(accountId: string) {
    const { server: backend } = await startTestBackend({
      features: [
        cloudFormationPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'payments',
                annotations: {
                  [ANNOTATION_CLOUDFORMATION_STACK_NAME]: 'payments-prod',
                  [ANNOTATION_CLOUDFORMATION_REGION]: 'eu-west-1',
                  [ANNOTATION_AWS_ACCOUNT_ID]: accountId,
                },
              },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            aws: {
              mainAccount: {
                accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
                secretAccessKey: 'not-a-real-secret',
              },
              cloudformation: {
                allowedAccountIds: ['123456789012', '210987654321'],
                allowedRegions: ['eu-west-1'],
              },
            },
          },
        }),
      ],
    });
    return request(backend).get(
      '/api/cloudformation/stacks/by-entity/component/default/payments',
    );
  }

  it('retries while CloudFormation throttles, then answers 503 with a message', async () => {
    const response = await get('123456789012');

    expect(response.status).toBe(503);
    expect(response.body.error).toEqual({
      name: 'ServiceUnavailableError',
      message:
        'CloudFormation is throttling requests for stack payments-prod; try again in a few seconds.',
    });
    // The SDK's standard retry mode: three attempts.
    expect(requests).toEqual([
      'GetCallerIdentity',
      'DescribeStacks',
      'DescribeStacks',
      'DescribeStacks',
    ]);
  });

  it('is unavailable when the AWS integration has no credentials for the account', async () => {
    const response = await get('210987654321');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'unavailable',
      reason: 'not-configured',
      message:
        'Backstage has no AWS credentials for account 210987654321: ' +
        'configure aws.mainAccount or an aws.accounts entry in the app-config.',
    });
    expect(requests).toEqual(['GetCallerIdentity']);
  });
});
