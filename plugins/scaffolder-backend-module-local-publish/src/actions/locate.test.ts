import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createLocalGitLocateAction } from './locate';

describe('local:git:locate', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'locate-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  // mockServices.discovery() derives URLs from backend.baseUrl http://localhost:0.
  const action = () =>
    createLocalGitLocateAction({
      config: new ConfigReader({
        scaffolder: { localPublish: { rootDirectory: root } },
      }),
      discovery: mockServices.discovery(),
    });

  it('outputs the page, edit, clone and catalog-info URLs local:git:publish will give the repository', async () => {
    const ctx = createMockActionContext({ input: { repoName: 'orders-api' } });

    await action().handler(ctx);

    const base = 'http://localhost:0/api/local-git/repos/orders-api';
    expect(ctx.output).toHaveBeenCalledWith('browseUrl', `${base}/tree/main/`);
    expect(ctx.output).toHaveBeenCalledWith(
      'editUrl',
      `${base}/tree/main/#edit`,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'cloneUrl',
      `file://${root}/orders-api`,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      `${base}/blob/main/catalog-info.yaml`,
    );
    // Nothing written.
    expect(await readdir(root)).toEqual([]);
  });

  it('uses the given branch', async () => {
    const ctx = createMockActionContext({
      input: { repoName: 'orders-api', defaultBranch: 'trunk' },
    });

    await action().handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith(
      'browseUrl',
      'http://localhost:0/api/local-git/repos/orders-api/tree/trunk/',
    );
  });

  it('refuses a name local:git:publish would refuse, saying why', async () => {
    const ctx = createMockActionContext({ input: { repoName: '../etc' } });

    const error = await action()
      .handler(ctx)
      .catch(e => e);

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'Invalid repoName "../etc": must be 1-100 characters of letters, digits, ".", "_" and "-", starting with a letter or digit.',
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
