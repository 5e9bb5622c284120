import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createLocalGitPublishAction } from './publish';
import { examples } from './publish.examples';

/** What a template's form would have filled in for the examples' `${{ parameters.* }}`. */
const PARAMETERS: Record<string, string> = {
  name: 'orders-api',
  description: 'Takes orders',
};

type PublishInput = {
  repoName: string;
  description?: string;
  sourcePath?: string;
  defaultBranch?: string;
  gitCommitMessage?: string;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
};

/** The real git CLI is the judge of whether a real repository was written. */
function git(gitdir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', gitdir, ...args], {
    encoding: 'utf8',
  }).trim();
}

describe('local:git:publish examples', () => {
  const mockDir = createMockDirectory();
  const root = mockDir.resolve('repositories');
  const action = createLocalGitPublishAction({
    config: new ConfigReader({
      scaffolder: { localPublish: { rootDirectory: root } },
    }),
    // URLs derive from backend.baseUrl http://localhost:0.
    discovery: mockServices.discovery(),
  });

  it.each(examples.map(example => [example.description, example] as const))(
    '%s',
    async (_description, example) => {
      mockDir.setContent({
        workspace: {
          'catalog-info.yaml': 'kind: Component\n',
          'service/README.md': '# service\n',
        },
      });
      const step = yaml
        .parse(example.example)
        .steps.find(
          (candidate: { action: string }) => candidate.action === action.id,
        );
      const input = Object.fromEntries(
        Object.entries(step.input as Record<string, string>).map(
          ([key, value]) => [
            key,
            value.replace(
              /\$\{\{ parameters\.(\w+) \}\}/g,
              (_whole, name: string) => PARAMETERS[name],
            ),
          ],
        ),
      ) as PublishInput;
      const ctx = createMockActionContext({
        input,
        workspacePath: mockDir.resolve('workspace'),
      });

      await action.handler(ctx);

      const gitdir = `${root}/${input.repoName}`;
      const branch = input.defaultBranch ?? 'main';
      expect(git(gitdir, 'symbolic-ref', 'HEAD')).toBe(`refs/heads/${branch}`);
      expect(git(gitdir, 'ls-tree', '-r', '--name-only', branch)).toBe(
        input.sourcePath === 'service'
          ? 'README.md'
          : 'catalog-info.yaml\nservice/README.md',
      );
      expect(git(gitdir, 'log', '-1', '--format=%an <%ae>|%s', branch)).toBe(
        `${input.gitAuthorName ?? 'Scaffolder'} <${input.gitAuthorEmail ?? 'scaffolder@backstage.io'}>|${input.gitCommitMessage ?? 'Initial commit'}`,
      );
      if (input.description) {
        expect(fs.readFileSync(`${gitdir}/description`, 'utf8')).toBe(
          `${input.description}\n`,
        );
      }
      const contents = `http://localhost:0/api/local-git/repos/${input.repoName}/blob/${branch}`;
      expect(ctx.output).toHaveBeenCalledWith('repoContentsUrl', contents);
      expect(ctx.output).toHaveBeenCalledWith(
        'catalogInfoUrl',
        `${contents}/catalog-info.yaml`,
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'commitHash',
        git(gitdir, 'rev-parse', `refs/heads/${branch}`),
      );
    },
  );
});
