import {
  mockCredentials,
  mockServices,
  createMockDirectory,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { localGitPlugin } from './plugin';
import { LocalGitRepositories } from '@golden-path/plugin-local-git-node';

describe('the repository pages of localGitPlugin', () => {
  const mockDir = createMockDirectory({
    content: {
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        'docs/index.md': '# Docs\n',
        'docs/<b>odd & "name".md': 'odd\n',
        'README.md': '# orders-api\n',
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
        // The entity page's links open these pages in a browser that sends no Backstage token.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });

  const tree = '/api/local-git/repos/orders-api/tree/main/';

  it('lists the root folder with links to files and folders, the clone command and how to change it', async () => {
    const res = await request(backend.server).get(tree);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'",
    );
    expect(res.text).toContain(
      '<a href="/api/local-git/repos/orders-api/tree/main/docs/">docs/</a>',
    );
    expect(res.text).toContain(
      '<a href="/api/local-git/repos/orders-api/blob/main/catalog-info.yaml">catalog-info.yaml</a>',
    );
    expect(res.text).toContain(`git clone file://${root}/orders-api`);
    expect(res.text).toContain('<h2 id="edit">How to change it</h2>');
    expect(res.text).toContain(
      'git remote add github git@github.com:&#60;owner&#62;/orders-api.git',
    );
  });

  it('lists a sub-folder, escaping names from the repository', async () => {
    const res = await request(backend.server).get(`${tree}docs/`);

    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '<a href="/api/local-git/repos/orders-api/tree/main/">../</a>',
    );
    expect(res.text).toContain(
      '<a href="/api/local-git/repos/orders-api/blob/main/docs/index.md">index.md</a>',
    );
    expect(res.text).not.toContain('<b>');
    expect(res.text).toContain('>&#60;b&#62;odd &#38; &#34;name&#34;.md</a>');
    // Each linked file opens.
    const hrefs = [...res.text.matchAll(/href="([^"]+\/blob\/[^"]+)"/g)].map(
      match => match[1].replace(/&#38;/g, '&'),
    );
    expect(hrefs).toHaveLength(2);
    const contents = await Promise.all(
      hrefs.map(async href => (await request(backend.server).get(href)).text),
    );
    expect(contents.sort()).toEqual(['# Docs\n', 'odd\n']);
  });

  it.each([
    '/api/local-git/repos/orders-api/blob/main',
    '/api/local-git/repos/orders-api/blob/main/',
  ])(
    'leads a contents link without a file path (%s) to the root listing',
    async url => {
      const res = await request(backend.server).get(url);

      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(tree);
    },
  );

  it.each([
    ['an unknown repository', '/api/local-git/repos/unknown/tree/main/'],
    ['an unknown branch', '/api/local-git/repos/orders-api/tree/develop/'],
    ['a file instead of a folder', `${tree}README.md/`],
    ['a missing folder', `${tree}src/`],
    ['a traversal attempt', `${tree}%2e%2e/%2e%2e/`],
  ])('answers 404 for %s', async (_what, url) => {
    const res = await request(backend.server).get(url);

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });
});
