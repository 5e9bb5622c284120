import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ARCHIVED_MARKER, createLocalGitArchiveAction } from './archive';
import { createLocalGitPublishAction } from './publish';

const TOKEN = 'ghp_not-a-real-token-0123456789';

describe('local:git:archive', () => {
  const mockDir = createMockDirectory();
  const root = mockDir.resolve('repositories');
  let github: http.Server;
  let requests: Array<{
    method?: string;
    url?: string;
    authorization?: string;
    body: string;
  }>;
  let answer: { status: number; body: unknown };

  beforeAll(async () => {
    // A stand-in for the GitHub REST API, reached over HTTP like github.com (GitHub Enterprise style apiBaseUrl).
    github = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
      }
      requests.push({
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>(resolve => github.listen(0, '127.0.0.1', resolve));
  });
  afterAll(
    async () => new Promise<void>(resolve => github.close(() => resolve())),
  );

  beforeEach(() => {
    requests = [];
    answer = { status: 200, body: { archived: true } };
    mockDir.setContent({
      workspace: { 'catalog-info.yaml': 'kind: Component\n' },
    });
  });

  function setup() {
    const config = new ConfigReader({
      scaffolder: { localPublish: { rootDirectory: root } },
      integrations: {
        github: [
          {
            host: 'github.example.com',
            apiBaseUrl: `http://127.0.0.1:${(github.address() as AddressInfo).port}`,
            token: TOKEN,
          },
        ],
      },
    });
    const discovery = mockServices.discovery();
    return {
      archive: createLocalGitArchiveAction({ config, discovery }),
      publish: createLocalGitPublishAction({ config, discovery }),
      localUrl: async (name: string) =>
        `url:${await discovery.getExternalBaseUrl('local-git')}/repos/${name}/blob/main/catalog-info.yaml`,
    };
  }

  it('marks a local repository archived, once', async () => {
    const { archive, publish, localUrl } = setup();
    await publish.handler(
      createMockActionContext({
        input: { repoName: 'orders' },
        workspacePath: mockDir.resolve('workspace'),
      }),
    );
    const ctx = createMockActionContext({
      input: {
        repositoryUrl: await localUrl('orders'),
        entityRef: 'component:default/orders',
      },
    });
    await archive.handler(ctx);
    const first = await readFile(
      path.join(root, 'orders', ARCHIVED_MARKER),
      'utf8',
    );
    await archive.handler(
      createMockActionContext({
        input: { repositoryUrl: await localUrl('orders') },
      }),
    );

    expect(JSON.parse(first)).toEqual({
      archivedAt: expect.any(String),
      entityRef: 'component:default/orders',
    });
    expect(
      await readFile(path.join(root, 'orders', ARCHIVED_MARKER), 'utf8'),
    ).toBe(first);
    expect(ctx.output).toHaveBeenCalledWith('archived', true);
    expect(ctx.output).toHaveBeenCalledWith('host', 'local');
  });

  it('says so when the local repository does not exist', async () => {
    const { archive, localUrl } = setup();
    await expect(
      archive.handler(
        createMockActionContext({
          input: { repositoryUrl: await localUrl('gone') },
        }),
      ),
    ).rejects.toThrow('There is no local repository at');
  });

  it('archives a GitHub repository through the API with the integration token', async () => {
    const { archive } = setup();
    const ctx = createMockActionContext({
      input: {
        repositoryUrl: 'url:https://github.example.com/acme/orders/tree/main/',
      },
    });
    await archive.handler(ctx);

    expect(requests).toEqual([
      {
        method: 'PATCH',
        url: '/repos/acme/orders',
        authorization: `Bearer ${TOKEN}`,
        body: '{"archived":true}',
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('repository', 'acme/orders');
    expect(ctx.output).toHaveBeenCalledWith('archived', true);
  });

  it("explains GitHub's refusal without the token", async () => {
    answer = {
      status: 403,
      body: { message: 'Must have admin rights to Repository.' },
    };
    const { archive } = setup();
    const error = await archive
      .handler(
        createMockActionContext({
          input: { repositoryUrl: 'https://github.example.com/acme/orders' },
        }),
      )
      .catch(e => e);

    expect(error.message).toContain(
      'GitHub refused to archive acme/orders (HTTP 403: Must have admin rights to Repository.)',
    );
    expect(`${error.message}${error.stack}`).not.toContain(TOKEN);
  });

  it('leaves other hosts alone and says so; a dry run calls nothing', async () => {
    const { archive } = setup();
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: { repositoryUrl: 'https://gitlab.example.com/acme/orders' },
      logger,
    });
    await archive.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('archived', false);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'on gitlab.example.com, which this action cannot archive',
      ),
    );

    const dry = {
      ...createMockActionContext({
        input: { repositoryUrl: 'https://github.example.com/acme/orders' },
      }),
      isDryRun: true,
    };
    await archive.handler(dry);
    expect(requests).toEqual([]);
    expect(dry.output).toHaveBeenCalledWith('archived', false);
  });
});
