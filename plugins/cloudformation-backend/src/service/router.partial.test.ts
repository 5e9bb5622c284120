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

const ACCOUNT = '123456789012';
const STACK = 'orders-api-dev';
const STACK_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${STACK}/5e6f`;
const NS = 'xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"';
/** What moto 5.2 answers ListStackResources with for the golden-path stack. */
const HTML_500 =
  '<!doctype html><html lang=en><title>500 Internal Server Error</title><h1>Internal Server Error</h1>' +
  '<p>The server encountered an internal error.</p></html>';

const AWS_ANSWERS: Record<string, string> = {
  DescribeStacks:
    `<DescribeStacksResponse ${NS}><DescribeStacksResult><Stacks><member>` +
    `<StackName>${STACK}</StackName><StackId>${STACK_ID}</StackId><StackStatus>CREATE_COMPLETE</StackStatus>` +
    '<CreationTime>2026-12-01T12:00:00Z</CreationTime><Outputs><member><OutputKey>ServiceUrl</OutputKey>' +
    '<OutputValue>http://orders.example.com</OutputValue></member></Outputs>' +
    '</member></Stacks></DescribeStacksResult></DescribeStacksResponse>',
  DescribeStackEvents:
    `<DescribeStackEventsResponse ${NS}><DescribeStackEventsResult><StackEvents><member>` +
    `<StackId>${STACK_ID}</StackId><StackName>${STACK}</StackName><EventId>e1</EventId>` +
    `<LogicalResourceId>${STACK}</LogicalResourceId><ResourceType>AWS::CloudFormation::Stack</ResourceType>` +
    '<Timestamp>2026-12-01T12:05:00Z</Timestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus>' +
    '</member></StackEvents></DescribeStackEventsResult></DescribeStackEventsResponse>',
  GetTemplate:
    `<GetTemplateResponse ${NS}><GetTemplateResult><TemplateBody>Resources: {}</TemplateBody>` +
    '</GetTemplateResult></GetTemplateResponse>',
};

/**
 * The real AWS SDK against a scripted endpoint (AWS_ENDPOINT_URL_CLOUDFORMATION) that answers some
 * calls with an HTML 500 page, as moto does: the card still gets what the other calls returned,
 * and each failed part says, in one sentence, which call failed with which HTTP status.
 */
describe('GET /stacks/by-entity/... when the endpoint answers some calls with HTML', () => {
  const htmlFor = new Set<string>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action') ?? '';
      requests.push(action);
      if (htmlFor.has(action) || !AWS_ANSWERS[action]) {
        res
          .writeHead(500, { 'content-type': 'text/html; charset=utf-8' })
          .end(HTML_500);
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(AWS_ANSWERS[action]);
    });
  });
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // One attempt per call keeps the test quick; the SDK's retries are not what is tested here.
    process.env.AWS_MAX_ATTEMPTS = '1';
  });
  afterAll(async () => {
    process.env = savedEnv;
    await new Promise(resolve => server.close(resolve));
  });
  beforeEach(() => {
    htmlFor.clear();
    requests.length = 0;
  });

  async function getStack(route = 'stacks') {
    const { server: backend } = await startTestBackend({
      features: [
        cloudFormationPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'orders-api',
                annotations: {
                  [ANNOTATION_CLOUDFORMATION_STACK_NAME]: STACK,
                  [ANNOTATION_CLOUDFORMATION_REGION]: 'us-east-1',
                  [ANNOTATION_AWS_ACCOUNT_ID]: ACCOUNT,
                },
              },
            },
          ],
        }),
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
    return request(backend).get(
      `/api/cloudformation/${route}/by-entity/component/default/orders-api`,
    );
  }

  it('shows status, outputs and events when ListStackResources answers an HTML 500, and says so in one sentence', async () => {
    htmlFor.add('ListStackResources');

    const response = await getStack();

    expect(response.status).toBe(200);
    const { stack } = response.body;
    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.outputs).toEqual([
      { key: 'ServiceUrl', value: 'http://orders.example.com' },
    ]);
    expect(
      stack.events.map((event: { status: string }) => event.status),
    ).toEqual(['CREATE_COMPLETE']);
    expect(stack.resources).toEqual([]);
    expect(stack.unreadable).toEqual({
      resources:
        `ListStackResources for stack ${STACK} answered HTTP 500 with an HTML page: check that the CloudFormation ` +
        'endpoint (AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_CLOUDFORMATION, if set) is CloudFormation or an emulator ' +
        'that supports ListStackResources; the backend log has the details.',
    });
    expect(JSON.stringify(response.body)).not.toMatch(
      /XML parse|Deserialization|\$response|<html/i,
    );
  });

  it('keeps the resources when only the events fail', async () => {
    htmlFor.add('DescribeStackEvents');
    AWS_ANSWERS.ListStackResources =
      `<ListStackResourcesResponse ${NS}><ListStackResourcesResult><StackResourceSummaries><member>` +
      '<LogicalResourceId>Cluster</LogicalResourceId><ResourceType>AWS::ECS::Cluster</ResourceType>' +
      '<ResourceStatus>CREATE_COMPLETE</ResourceStatus><LastUpdatedTimestamp>2026-12-01T12:01:00Z</LastUpdatedTimestamp>' +
      '</member></StackResourceSummaries></ListStackResourcesResult></ListStackResourcesResponse>';

    const { body } = await getStack();

    expect(
      body.stack.resources.map(
        (resource: { logicalId: string }) => resource.logicalId,
      ),
    ).toEqual(['Cluster']);
    expect(body.stack.events).toEqual([]);
    expect(Object.keys(body.stack.unreadable)).toEqual(['events']);
    expect(body.stack.unreadable.events).toMatch(
      /^DescribeStackEvents for stack orders-api-dev answered HTTP 500 with an HTML page: /,
    );
  });

  it('answers 503 with one sentence when the stack itself cannot be read', async () => {
    htmlFor.add('DescribeStacks');

    const response = await getStack();

    expect(response.status).toBe(503);
    expect(response.body.error.name).toBe('ServiceUnavailableError');
    expect(response.body.error.message).toMatch(
      new RegExp(
        `^DescribeStacks for stack ${STACK} answered HTTP 500 with an HTML page: check that the CloudFormation endpoint`,
      ),
    );
    expect(response.body.error.message).not.toMatch(
      /XML parse|Deserialization|\$response/,
    );
    expect(requests).toEqual(['DescribeStacks']);
  });

  it.each([
    ['secrets', 'ListStackResources'],
    ['drift', 'DescribeStacks'],
  ])(
    'answers the %s card with one sentence when %s answers an HTML 500',
    async (route, call) => {
      htmlFor.add(call);

      const response = await getStack(route);

      expect(response.status).toBe(503);
      expect(response.body.error.message).toMatch(
        new RegExp(
          `^${call} for stack ${STACK} answered HTTP 500 with an HTML page: check that the CloudFormation endpoint`,
        ),
      );
      expect(JSON.stringify(response.body)).not.toMatch(
        /XML parse|Deserialization|\$response|<html/i,
      );
    },
  );
});
