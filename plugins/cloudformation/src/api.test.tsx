import { CloudFormationApiError, CloudFormationClient } from './api';

/** The parts of a fetch Response the client reads (jsdom has no Response). */
function response(status: number, statusText: string, body: string): Response {
  return {
    ok: status < 300,
    status,
    statusText,
    json: async () => JSON.parse(body),
  } as Response;
}

describe('CloudFormationClient', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) =>
      `http://backstage.test/api/${pluginId}`,
  };

  function clientAnswering(answer: Response) {
    const fetch = jest.fn(async (_input: RequestInfo | URL) => answer);
    return {
      client: new CloudFormationClient({ discoveryApi, fetchApi: { fetch } }),
      fetch,
    };
  }

  it('asks the backend for the entity stack, escaping the ref parts', async () => {
    const answer = {
      status: 'unavailable',
      reason: 'not-configured',
      message: 'configure aws',
    };
    const { client, fetch } = clientAnswering(
      response(200, 'OK', JSON.stringify(answer)),
    );

    await expect(
      client.getEntityStack({
        kind: 'Component',
        namespace: 'default',
        name: 'a/b c',
      }),
    ).resolves.toEqual(answer);
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/cloudformation/stacks/by-entity/Component/default/a%2Fb%20c',
    );
  });

  it('rejects with the status and message of a Backstage error body', async () => {
    const body = {
      error: { name: 'NotFoundError', message: 'Stack payments was not found' },
    };
    const { client } = clientAnswering(
      response(404, 'Not Found', JSON.stringify(body)),
    );

    const error = await client
      .getEntityStack({
        kind: 'Component',
        namespace: 'default',
        name: 'payments',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(CloudFormationApiError);
    expect(error).toMatchObject({
      statusCode: 404,
      message: 'Stack payments was not found',
    });
  });

  it('rejects with the HTTP status when the body is not JSON', async () => {
    const { client } = clientAnswering(
      response(502, 'Bad Gateway', '<html>Bad gateway</html>'),
    );

    await expect(
      client.getEntityStack({
        kind: 'Component',
        namespace: 'default',
        name: 'payments',
      }),
    ).rejects.toMatchObject({
      statusCode: 502,
      message: 'Request failed with 502 Bad Gateway',
    });
  });

  it('asks the backend for the allowed deploy targets', async () => {
    const targets = {
      accounts: [{ accountId: '123456789012', label: 'Sandbox' }],
      regions: ['us-east-1'],
      defaultRegion: 'us-east-1',
    };
    const { client, fetch } = clientAnswering(
      response(200, 'OK', JSON.stringify(targets)),
    );

    await expect(client.getDeployTargets()).resolves.toEqual(targets);
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/cloudformation/deploy-targets',
    );
  });

  it('rejects deploy targets with the status and message of a Backstage error body', async () => {
    const body = {
      error: { name: 'AuthenticationError', message: 'Missing credentials' },
    };
    const { client } = clientAnswering(
      response(401, 'Unauthorized', JSON.stringify(body)),
    );

    await expect(client.getDeployTargets()).rejects.toMatchObject({
      statusCode: 401,
      message: 'Missing credentials',
    });
  });
});

describe('CloudFormationClient secrets and drift', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) =>
      `http://backstage.test/api/${pluginId}`,
  };
  const ok = (body: unknown) =>
    ({
      ok: true,
      status: 200,
      statusText: 'OK',
      json: async () => body,
    }) as Response;
  const ref = { kind: 'Component', namespace: 'default', name: 'payments' };

  it('asks for the secrets over a window, the drift, and posts a detection', async () => {
    const fetch = jest.fn(
      async (_input: RequestInfo | URL, _init?: RequestInit) =>
        ok({ status: 'available' }),
    );
    const client = new CloudFormationClient({
      discoveryApi,
      fetchApi: { fetch },
    });

    await client.getEntitySecrets(ref, { windowDays: 30 });
    await client.getEntityDrift(ref);
    await client.detectEntityDrift(ref);

    expect(fetch.mock.calls).toEqual([
      [
        'http://backstage.test/api/cloudformation/secrets/by-entity/Component/default/payments?windowDays=30',
      ],
      [
        'http://backstage.test/api/cloudformation/drift/by-entity/Component/default/payments',
      ],
      [
        'http://backstage.test/api/cloudformation/drift/by-entity/Component/default/payments/detect',
        { method: 'POST' },
      ],
    ]);
  });
});
