import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { DRY_RUN_COMMIT_HASH, createLocalGitPublishAction } from './publish';

/** The real git CLI is the judge of whether a real repository was written. */
function git(gitdir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', gitdir, ...args], {
    encoding: 'utf8',
  }).trim();
}

describe('local:git:publish', () => {
  const mockDir = createMockDirectory();
  const root = mockDir.resolve('repositories');
  const workspacePath = mockDir.resolve('workspace');

  function createAction(extraConfig: Record<string, unknown> = {}) {
    const config = new ConfigReader({
      scaffolder: { localPublish: { rootDirectory: root }, ...extraConfig },
    });
    // mockServices.discovery() derives URLs from backend.baseUrl http://localhost:0.
    return createLocalGitPublishAction({
      config,
      discovery: mockServices.discovery(),
    });
  }

  // Every real task has its own id; a recovered task keeps it.
  function createContext(
    input: Record<string, string>,
    taskId: string = randomUUID(),
  ) {
    return createMockActionContext({
      input: input as { repoName: string },
      workspacePath,
      task: { id: taskId },
    });
  }

  beforeEach(() => {
    mockDir.setContent({
      workspace: {
        'catalog-info.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
        'src/index.ts': 'export {};\n',
        '.gitignore': 'node_modules/\n',
        'node_modules/left-pad/index.js': 'ignored\n',
        'service/README.md': '# service\n',
      },
    });
  });

  it('commits the workspace into a new bare repository and outputs its URLs', async () => {
    const ctx = createContext({
      repoName: 'orders-api',
      description: 'Orders\nAPI',
    });
    await createAction().handler(ctx);

    const gitdir = `${root}/orders-api`;
    const head = git(gitdir, 'rev-parse', 'refs/heads/main');
    expect(git(gitdir, 'rev-parse', '--is-bare-repository')).toBe('true');
    expect(
      git(gitdir, 'ls-tree', '-r', '--name-only', 'main').split('\n'),
    ).toEqual([
      '.gitignore',
      'catalog-info.yaml',
      'service/README.md',
      'src/index.ts',
    ]);
    expect(git(gitdir, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
      'Scaffolder <scaffolder@backstage.io>|Initial commit',
    );
    expect(git(gitdir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(fs.readFileSync(`${gitdir}/description`, 'utf8')).toBe(
      'Orders API\n',
    );
    expect(fs.existsSync(`${gitdir}/index`)).toBe(false);
    // Only the repository itself: the temporary build directory is gone.
    expect(fs.readdirSync(root)).toEqual(['orders-api']);

    const contents =
      'http://localhost:0/api/local-git/repos/orders-api/blob/main';
    expect(ctx.output).toHaveBeenCalledWith('remoteUrl', `file://${gitdir}`);
    expect(ctx.output).toHaveBeenCalledWith('repoContentsUrl', contents);
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      `${contents}/catalog-info.yaml`,
    );
    expect(ctx.output).toHaveBeenCalledWith('commitHash', head);
  });

  it('can be cloned with plain git', async () => {
    await createAction().handler(createContext({ repoName: 'orders-api' }));
    const clone = mockDir.resolve('clone');
    execFileSync('git', [
      'clone',
      '--quiet',
      `file://${root}/orders-api`,
      clone,
    ]);
    expect(fs.readFileSync(`${clone}/src/index.ts`, 'utf8')).toBe(
      'export {};\n',
    );
  });

  it('uses the branch, sourcePath, commit message and author it is given', async () => {
    await createAction().handler(
      createContext({
        repoName: 'docs',
        defaultBranch: 'trunk',
        sourcePath: 'service',
        gitCommitMessage: 'Create docs',
        gitAuthorName: 'Platform Team',
        gitAuthorEmail: 'platform@example.com',
      }),
    );
    const gitdir = `${root}/docs`;
    expect(git(gitdir, 'ls-tree', '-r', '--name-only', 'trunk')).toBe(
      'README.md',
    );
    expect(git(gitdir, 'log', '-1', '--format=%an <%ae>|%s', 'trunk')).toBe(
      'Platform Team <platform@example.com>|Create docs',
    );
  });

  it("falls back to the scaffolder's configured author and commit message, also for empty inputs", async () => {
    const action = createAction({
      defaultAuthor: { name: 'Portal', email: 'portal@example.com' },
      defaultCommitMessage: 'Scaffolded',
    });
    await action.handler(
      createContext({
        repoName: 'orders-api',
        defaultBranch: '',
        gitCommitMessage: '',
        gitAuthorName: '',
      }),
    );
    expect(
      git(`${root}/orders-api`, 'log', '-1', '--format=%an <%ae>|%s', 'main'),
    ).toBe('Portal <portal@example.com>|Scaffolded');
  });

  it('refuses a name that is taken and leaves the existing repository untouched', async () => {
    const action = createAction();
    await action.handler(createContext({ repoName: 'orders-api' }));
    const gitdir = `${root}/orders-api`;
    const headBefore = git(gitdir, 'rev-parse', 'main');

    mockDir.addContent({
      workspace: { 'catalog-info.yaml': 'overwritten?\n' },
    });
    const second = createContext({ repoName: 'orders-api' });
    const error = await action.handler(second).catch(e => e);

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `Repository name "orders-api" is already taken: ${gitdir} exists. ` +
        'Choose another name, or delete that directory if its repository is no longer needed. Nothing was written.',
    );
    expect(git(gitdir, 'rev-parse', 'main')).toBe(headBefore);
    expect(git(gitdir, 'show', 'main:catalog-info.yaml')).toContain(
      'kind: Component',
    );
    expect(fs.readdirSync(root)).toEqual(['orders-api']);
    expect(second.output).not.toHaveBeenCalled();
  });

  it('lets exactly one of two concurrent publishes of the same name win', async () => {
    const action = createAction();
    const results = await Promise.allSettled([
      action.handler(createContext({ repoName: 'orders-api' })),
      action.handler(createContext({ repoName: 'orders-api' })),
    ]);
    expect(results.map(r => r.status).sort()).toEqual([
      'fulfilled',
      'rejected',
    ]);
    const rejected = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(rejected?.reason).toBeInstanceOf(InputError);
    expect(fs.readdirSync(root)).toEqual(['orders-api']);
  });

  it.each([
    [
      { repoName: '../escape' },
      'Invalid repoName "../escape": must be 1-100 characters',
    ],
    [{ repoName: '.hidden' }, 'Invalid repoName ".hidden"'],
    [{ repoName: 'a'.repeat(101) }, 'Invalid repoName'],
    [
      { repoName: 'ok', defaultBranch: 'feature/x' },
      'Invalid defaultBranch "feature/x": must be 1-100 characters',
    ],
    [
      { repoName: 'ok', defaultBranch: 'main.lock' },
      'Invalid defaultBranch "main.lock": must not contain ".."',
    ],
    [
      { repoName: 'ok', sourcePath: '../outside' },
      'Invalid sourcePath "../outside": it must be a directory inside the workspace.',
    ],
    [
      { repoName: 'ok', sourcePath: 'missing' },
      'Invalid sourcePath "missing": there is no such directory in the workspace.',
    ],
  ])('refuses %j before writing anything', async (input, message) => {
    const error = await createAction()
      .handler(createContext(input))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(message);
    expect(fs.existsSync(root)).toBe(false);
  });

  it('runs the side effect inside a checkpoint, so a resumed task does not publish twice', async () => {
    const ctx = createContext({ repoName: 'orders-api' });
    const checkpoint = jest.fn().mockResolvedValue('c0ffee'.padEnd(40, '0'));
    await createAction().handler({ ...ctx, checkpoint });

    expect(checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'local.git.publish.orders-api' }),
    );
    expect(fs.existsSync(root)).toBe(false);
    expect(ctx.output).toHaveBeenCalledWith(
      'commitHash',
      'c0ffee'.padEnd(40, '0'),
    );
  });

  it('gives a publish repeated after a crash (same task and step) the repository it made, unchanged', async () => {
    const action = createAction();
    const taskId = randomUUID();
    const first = createContext({ repoName: 'orders-api' }, taskId);
    await action.handler(first);
    const gitdir = `${root}/orders-api`;
    const headBefore = git(gitdir, 'rev-parse', 'main');

    // The crash came after the repository was renamed into place and before the checkpoint was stored.
    mockDir.addContent({
      workspace: { 'catalog-info.yaml': 'changed since\n' },
    });
    const recovered = createContext({ repoName: 'orders-api' }, taskId);
    const info = jest.spyOn(recovered.logger, 'info');
    await action.handler(recovered);

    expect(recovered.output).toHaveBeenCalledWith('commitHash', headBefore);
    expect(git(gitdir, 'rev-parse', 'main')).toBe(headBefore);
    expect(git(gitdir, 'show', 'main:catalog-info.yaml')).toContain(
      'kind: Component',
    );
    expect(fs.readdirSync(root)).toEqual(['orders-api']);
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining(
        'already published by this task before a restart',
      ),
    );
  });

  it('still refuses the name to another step of the same task', async () => {
    const action = createAction();
    const taskId = randomUUID();
    await action.handler(createContext({ repoName: 'orders-api' }, taskId));
    const otherStep = {
      ...createContext({ repoName: 'orders-api' }, taskId),
      step: { id: 'publish-again', name: 'Again' },
    };
    await expect(action.handler(otherStep)).rejects.toThrow(
      'Repository name "orders-api" is already taken',
    );
  });

  describe('an earlier run of the same service that did not finish', () => {
    const alice = 'user:default/alice';
    const entityRef = 'component:default/orders-api';

    /** The scaffolder's answer for the task that published the repository first. */
    function createContinuingAction(earlier: {
      status: string;
      createdBy?: string;
    }) {
      const getTask = jest.fn(async ({ taskId }: { taskId: string }) => ({
        id: taskId,
        status: earlier.status,
        spec: { user: { ref: earlier.createdBy } },
        createdAt: new Date().toISOString(),
      }));
      const action = createLocalGitPublishAction({
        config: new ConfigReader({
          scaffolder: { localPublish: { rootDirectory: root } },
        }),
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
        scaffolder: { getTask } as unknown as ScaffolderService,
      });
      return { action, getTask };
    }

    function runContext(taskId: string, user = alice) {
      return {
        ...createMockActionContext({
          input: { repoName: 'orders-api', entityRef },
          workspacePath,
          task: { id: taskId },
          user: { ref: user },
        }),
        step: { id: 'publish-local', name: 'Publish' },
      };
    }

    it('is continued: the new files are committed on top and the repository is recorded as this run', async () => {
      const { action, getTask } = createContinuingAction({
        status: 'failed',
        createdBy: alice,
      });
      await action.handler(runContext('task-1'));
      const gitdir = `${root}/orders-api`;
      const firstHead = git(gitdir, 'rev-parse', 'main');

      fs.rmSync(mockDir.resolve('workspace/src/index.ts'));
      mockDir.addContent({ workspace: { 'catalog-info.yaml': 'fixed\n' } });
      const retry = runContext('task-2');
      const info = jest.spyOn(retry.logger, 'info');
      await action.handler(retry);

      expect(getTask).toHaveBeenCalledWith(
        { taskId: 'task-1' },
        expect.anything(),
      );
      expect(git(gitdir, 'rev-parse', 'main~1')).toBe(firstHead);
      expect(git(gitdir, 'show', 'main:catalog-info.yaml')).toBe('fixed');
      expect(git(gitdir, 'ls-tree', '-r', '--name-only', 'main')).not.toContain(
        'src/index.ts',
      );
      expect(retry.output).toHaveBeenCalledWith(
        'commitHash',
        git(gitdir, 'rev-parse', 'main'),
      );
      expect(
        JSON.parse(fs.readFileSync(`${gitdir}/backstage-publish-key`, 'utf8')),
      ).toEqual({ key: 'task-2/publish-local', taskId: 'task-2', entityRef });
      expect(info).toHaveBeenCalledWith(
        `Repository orders-api is from an earlier run of ${entityRef} that did not finish; continuing it with this run's files.`,
      );
      expect(fs.readdirSync(root)).toEqual(['orders-api']);
    });

    it('gets no second commit when the files are the same', async () => {
      const { action } = createContinuingAction({
        status: 'cancelled',
        createdBy: alice,
      });
      await action.handler(runContext('task-1'));
      const gitdir = `${root}/orders-api`;
      const firstHead = git(gitdir, 'rev-parse', 'main');
      const retry = runContext('task-2');
      await action.handler(retry);
      expect(git(gitdir, 'rev-parse', 'main')).toBe(firstHead);
      expect(retry.output).toHaveBeenCalledWith('commitHash', firstHead);
    });

    it.each([
      [
        'a finished service',
        { status: 'completed', createdBy: alice },
        alice,
        'it belongs to a finished service (task task-1 completed)',
      ],
      [
        "another user's unfinished run",
        { status: 'failed', createdBy: alice },
        'user:default/bob',
        'the earlier unfinished run was started by user:default/alice, not by user:default/bob',
      ],
    ])('is refused for %s, untouched', async (_case, earlier, user, why) => {
      const { action } = createContinuingAction(earlier);
      await action.handler(runContext('task-1', earlier.createdBy));
      const gitdir = `${root}/orders-api`;
      const headBefore = git(gitdir, 'rev-parse', 'main');
      mockDir.addContent({ workspace: { 'catalog-info.yaml': 'taken?\n' } });

      const error = await action
        .handler(runContext('task-2', user))
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `Repository name "orders-api" is already taken: ${gitdir} exists and is not continued: ${why}. ` +
          'Choose another name, or delete that directory if its repository is no longer needed. Nothing was written.',
      );
      expect(git(gitdir, 'rev-parse', 'main')).toBe(headBefore);
    });

    it('is accepted by a dry run, which writes nothing', async () => {
      const { action } = createContinuingAction({
        status: 'failed',
        createdBy: alice,
      });
      await action.handler(runContext('task-1'));
      const gitdir = `${root}/orders-api`;
      const headBefore = git(gitdir, 'rev-parse', 'main');
      mockDir.addContent({ workspace: { 'catalog-info.yaml': 'fixed\n' } });
      await action.handler({ ...runContext('task-2'), isDryRun: true });
      expect(git(gitdir, 'rev-parse', 'main')).toBe(headBefore);
    });
  });

  describe('dry run', () => {
    it('writes nothing and outputs the URLs a real run would', async () => {
      const ctx = createContext({ repoName: 'orders-api' });
      await createAction().handler({ ...ctx, isDryRun: true });

      expect(fs.existsSync(root)).toBe(false);
      const contents =
        'http://localhost:0/api/local-git/repos/orders-api/blob/main';
      expect(ctx.output).toHaveBeenCalledWith(
        'remoteUrl',
        `file://${root}/orders-api`,
      );
      expect(ctx.output).toHaveBeenCalledWith('repoContentsUrl', contents);
      expect(ctx.output).toHaveBeenCalledWith(
        'catalogInfoUrl',
        `${contents}/catalog-info.yaml`,
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'commitHash',
        DRY_RUN_COMMIT_HASH,
      );
    });

    it('refuses a taken name too', async () => {
      const action = createAction();
      await action.handler(createContext({ repoName: 'orders-api' }));
      const ctx = createContext({ repoName: 'orders-api' });
      await expect(action.handler({ ...ctx, isDryRun: true })).rejects.toThrow(
        'Repository name "orders-api" is already taken',
      );
    });
  });
});
