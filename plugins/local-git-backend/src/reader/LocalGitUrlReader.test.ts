import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  coreServices,
  createBackendPlugin,
  type UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import request from 'supertest';
import { localGitPlugin } from '../plugin';
import { LocalGitRepositories } from '@golden-path/plugin-local-git-node';
import { localGitUrlReaderFactory } from './module';

// The reader as plugins get it: coreServices.urlReader of a backend that has the factory, the default
// readers (the fetch reader among them) behind it.
describe('LocalGitUrlReader', () => {
  const mockDir = createMockDirectory({
    content: {
      service: {
        'catalog-info.yaml': 'kind: Component\n',
        'mkdocs.yml': 'site_name: orders-api\n',
        'docs/index.md': '# Orders API\n',
        'docs/guides/operate.md': '# Operating\n',
        'src/index.ts': 'export {};\n',
      },
      // Same docs/, different code: the docs folder's ETag must not tell them apart.
      sibling: {
        'catalog-info.yaml': 'kind: Component\n',
        'docs/index.md': '# Orders API\n',
        'docs/guides/operate.md': '# Operating\n',
        'src/index.ts': 'export const other = 1;\n',
      },
    },
  });
  const root = mockDir.resolve('repositories');
  const baseUrl = 'http://portal.example:7007';
  const repos = `${baseUrl}/api/local-git/repos`;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let reader: UrlReaderService;

  beforeAll(async () => {
    const repositories = new LocalGitRepositories(root);
    for (const name of ['service', 'sibling']) {
      await repositories.create({
        name: name === 'service' ? 'orders-api' : 'orders-api-copy',
        sourceDirectory: mockDir.resolve(name),
        defaultBranch: 'main',
        commitMessage: 'Initial commit',
        author: { name: 'Scaffolder', email: 'scaffolder@backstage.io' },
      });
    }
    const probe = createBackendPlugin({
      pluginId: 'probe',
      register({ registerInit }) {
        registerInit({
          deps: { urlReader: coreServices.urlReader },
          async init({ urlReader }) {
            reader = urlReader;
          },
        });
      },
    });
    backend = await startTestBackend({
      features: [
        localGitPlugin,
        localGitUrlReaderFactory,
        probe,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl },
            scaffolder: { localPublish: { rootDirectory: root } },
          },
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  describe('readTree', () => {
    it("reads a folder's committed files, paths relative to it", async () => {
      const response = await reader.readTree(
        `${repos}/orders-api/tree/main/docs/`,
      );
      expect(response.etag).toMatch(/^[0-9a-f]{40}$/);
      const files = await response.files();
      const contents = Object.fromEntries(
        await Promise.all(
          files.map(
            async file =>
              [file.path, (await file.content()).toString()] as const,
          ),
        ),
      );
      expect(contents).toEqual({
        'index.md': '# Orders API\n',
        'guides/operate.md': '# Operating\n',
      });
    });

    it('writes the repository root to a directory, the way TechDocs prepares a build', async () => {
      // What `backstage.io/techdocs-ref: dir:.` resolves to against the entity's source location.
      const response = await reader.readTree(`${repos}/orders-api/tree/main/`);
      const dir = await response.dir();
      expect((await readdir(dir)).sort()).toEqual([
        'catalog-info.yaml',
        'docs',
        'mkdocs.yml',
        'src',
      ]);
      expect(
        await readFile(path.join(dir, 'docs/guides/operate.md'), 'utf8'),
      ).toBe('# Operating\n');
    });

    it('accepts blob URLs of folders, as the git host readers do', async () => {
      const tree = await reader.readTree(`${repos}/orders-api/tree/main/docs`);
      const blob = await reader.readTree(`${repos}/orders-api/blob/main/docs`);
      expect(blob.etag).toBe(tree.etag);
    });

    it('answers NotModified for the ETag it gave, which changes only with the folder', async () => {
      const docs = await reader.readTree(`${repos}/orders-api/tree/main/docs/`);
      await expect(
        reader.readTree(`${repos}/orders-api/tree/main/docs/`, {
          etag: docs.etag,
        }),
      ).rejects.toBeInstanceOf(NotModifiedError);

      const siblingDocs = await reader.readTree(
        `${repos}/orders-api-copy/tree/main/docs/`,
      );
      expect(siblingDocs.etag).toBe(docs.etag);
      const rootEtags = await Promise.all(
        ['orders-api', 'orders-api-copy'].map(
          async name =>
            (await reader.readTree(`${repos}/${name}/tree/main/`)).etag,
        ),
      );
      expect(rootEtags[0]).not.toBe(rootEtags[1]);
    });

    it('leaves out what the filter refuses', async () => {
      const response = await reader.readTree(`${repos}/orders-api/tree/main/`, {
        filter: (filePath, info) =>
          !filePath.startsWith('src/') && (info?.size ?? 0) > 0,
      });
      expect((await response.files()).map(file => file.path).sort()).toEqual([
        'catalog-info.yaml',
        'docs/guides/operate.md',
        'docs/index.md',
        'mkdocs.yml',
      ]);
    });

    it.each([
      ['an unknown repository', `${repos}/unknown/tree/main/`],
      ['an unknown branch', `${repos}/orders-api/tree/develop/`],
      ['an unknown folder', `${repos}/orders-api/tree/main/missing/`],
      ['a file', `${repos}/orders-api/tree/main/mkdocs.yml`],
    ])('answers NotFound for %s', async (_what, url) => {
      await expect(reader.readTree(url)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('readUrl', () => {
    const catalogInfo = `${repos}/orders-api/blob/main/catalog-info.yaml`;

    it('reads a file with the same content and ETag as the HTTP route the catalog read it from', async () => {
      const response = await reader.readUrl(catalogInfo);
      expect((await response.buffer()).toString()).toBe('kind: Component\n');

      const http = await request(backend.server).get(
        new URL(catalogInfo).pathname,
      );
      expect(response.etag).toBe(http.headers.etag);
      await expect(
        reader.readUrl(catalogInfo, { etag: http.headers.etag }),
      ).rejects.toBeInstanceOf(NotModifiedError);
    });

    it.each([
      ['an unknown repository', `${repos}/unknown/blob/main/catalog-info.yaml`],
      ['an uncommitted file', `${repos}/orders-api/blob/main/missing.yaml`],
      ['a folder', `${repos}/orders-api/blob/main/docs`],
    ])('answers NotFound for %s', async (_what, url) => {
      await expect(reader.readUrl(url)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses a tree URL: it names a folder', async () => {
      await expect(
        reader.readUrl(`${repos}/orders-api/tree/main/docs/`),
      ).rejects.toThrow(/names a folder/);
    });
  });

  describe('search', () => {
    it('finds one exact file, or none', async () => {
      const url = `${repos}/orders-api/blob/main/catalog-info.yaml`;
      const found = await reader.search(url);
      expect(found.files.map(file => file.url)).toEqual([url]);
      expect((await found.files[0].content()).toString()).toBe(
        'kind: Component\n',
      );
      expect(
        (await reader.search(`${repos}/orders-api/blob/main/none.yaml`)).files,
      ).toEqual([]);
    });

    it('refuses patterns, as the fetch reader does', async () => {
      await expect(
        reader.search(`${repos}/orders-api/blob/main/**/catalog-info.yaml`),
      ).rejects.toThrow(/patterns are not supported/);
    });
  });

  it.each([
    `${repos}/orders-api/blob/main/docs%2F..%2F..%2Fconfig`,
    `${repos}/orders-api/blob/main/docs%5c..%5cindex.md`,
    `${repos}/orders-api/blob/main//catalog-info.yaml`,
    `${repos}/orders-api/blob/%2e%2e/catalog-info.yaml`,
    `${repos}/orders-api/commits/main/`,
    `${repos}/orders-api/tree/`,
  ])('refuses %s with an input error', async url => {
    await expect(reader.readUrl(url)).rejects.toBeInstanceOf(InputError);
    await expect(reader.readTree(url)).rejects.toBeInstanceOf(InputError);
  });

  it.each([
    [
      'another host',
      'http://elsewhere.example:7007/api/local-git/repos/orders-api/tree/main/',
    ],
    [
      'another port',
      'http://portal.example:7008/api/local-git/repos/orders-api/tree/main/',
    ],
    ['another of its routes', `${baseUrl}/api/catalog/entities`],
    // URLs resolve dot segments, encoded ones too: this one leaves the repositories' routes.
    ['a path climbing out of them', `${repos}/%2e%2e/blob/main/etc/passwd`],
  ])('leaves %s to the other readers', async (_what, url) => {
    // No backend.reading.allow here, so the fetch reader refuses it.
    await expect(reader.readTree(url)).rejects.toBeInstanceOf(NotAllowedError);
  });
});
