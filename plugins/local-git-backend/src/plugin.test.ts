import { FetchUrlReader } from '@backstage/backend-defaults/urlReader';
import {
  mockCredentials,
  mockServices,
  createMockDirectory,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotModifiedError } from '@backstage/errors';
import request from 'supertest';
import { localGitPlugin } from './plugin';
import { LocalGitRepositories } from '@golden-path/plugin-local-git-node';

describe('localGitPlugin', () => {
  const mockDir = createMockDirectory({
    content: {
      workspace: {
        'catalog-info.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
        'docs/index.md': '# Docs\n',
        'logo.bin': Buffer.from([0x89, 0x50, 0x00, 0x01]),
      },
    },
  });
  const root = mockDir.resolve('repositories');
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    await new LocalGitRepositories(root).create({
      name: 'orders-api',
      sourceDirectory: mockDir.resolve('workspace'),
      defaultBranch: 'main',
      commitMessage: 'Initial commit',
      author: { name: 'Scaffolder', email: 'scaffolder@backstage.io' },
    });
    backend = await startTestBackend({
      features: [
        localGitPlugin,
        mockServices.rootConfig.factory({
          data: { scaffolder: { localPublish: { rootDirectory: root } } },
        }),
        // Requests without a token are anonymous, as they are for the catalog's URL reader.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const base = '/api/local-git/repos/orders-api/blob/main';

  it('serves a committed file to an unauthenticated reader', async () => {
    const res = await request(backend.server).get(`${base}/catalog-info.yaml`);
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
    );
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
  });

  it('serves nested and binary files', async () => {
    const nested = await request(backend.server).get(`${base}/docs/index.md`);
    expect(nested.status).toBe(200);
    expect(nested.text).toBe('# Docs\n');

    const binary = await request(backend.server)
      .get(`${base}/logo.bin`)
      .buffer(true);
    expect(binary.headers['content-type']).toBe('application/octet-stream');
    expect(
      Buffer.compare(binary.body, Buffer.from([0x89, 0x50, 0x00, 0x01])),
    ).toBe(0);
  });

  it('answers 304 when the reader already has the current version', async () => {
    const first = await request(backend.server).get(
      `${base}/catalog-info.yaml`,
    );
    const again = await request(backend.server)
      .get(`${base}/catalog-info.yaml`)
      .set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
  });

  it.each([
    [
      'an unknown repository',
      '/api/local-git/repos/unknown/blob/main/catalog-info.yaml',
    ],
    [
      'an unknown branch',
      '/api/local-git/repos/orders-api/blob/develop/catalog-info.yaml',
    ],
    ['an uncommitted file', `${base}/missing.yaml`],
    ['a directory', `${base}/docs`],
    // The bare repository's own files are not part of the tree.
    ['git internals', `${base}/config`],
  ])('answers 404 for %s', async (_what, url) => {
    const res = await request(backend.server).get(url);
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it.each([
    `${base}/%2e%2e/%2e%2e/config`,
    `${base}/docs/..%2F..%2Fconfig`,
    `${base}/%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
    `${base}/docs%5c..%5cindex.md`,
    `${base}//catalog-info.yaml`,
    '/api/local-git/repos/%2e%2e/blob/main/etc/passwd',
    '/api/local-git/repos/orders-api/blob/%2e%2e/catalog-info.yaml',
  ])('refuses the traversal attempt %s', async url => {
    const res = await request(backend.server).get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
  });

  it("is readable by the catalog's URL reader with the documented backend.reading.allow entry", async () => {
    const port = backend.server.port();
    const reader = FetchUrlReader.fromConfig(
      new ConfigReader({
        backend: {
          reading: {
            allow: [
              { host: `localhost:${port}`, paths: ['/api/local-git/repos/'] },
            ],
          },
        },
      }),
    );
    const url = `http://localhost:${port}${base}/catalog-info.yaml`;
    const response = await reader.readUrl(url);
    expect((await response.buffer()).toString()).toBe(
      'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
    );
    // The catalog refreshes with the ETag it got; an unchanged file costs no processing.
    await expect(
      reader.readUrl(url, { etag: response.etag }),
    ).rejects.toBeInstanceOf(NotModifiedError);
  });

  it('is read-only', async () => {
    const res = await request(backend.server)
      .put(`${base}/catalog-info.yaml`)
      .send('kind: Hacked');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});
