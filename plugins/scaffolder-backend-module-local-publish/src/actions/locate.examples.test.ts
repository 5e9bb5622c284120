import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createLocalGitLocateAction } from './locate';
import { examples } from './locate.examples';

describe('local:git:locate examples', () => {
  const action = createLocalGitLocateAction({
    config: new ConfigReader({
      scaffolder: { localPublish: { rootDirectory: '/srv/repositories' } },
    }),
    discovery: mockServices.discovery(),
  });

  it.each(examples.map(example => [example.description, example] as const))(
    '%s',
    async (_description, example) => {
      const step = yaml
        .parse(example.example)
        .steps.find(
          (candidate: { action: string }) =>
            candidate.action === 'local:git:locate',
        );
      // Template expressions are the scaffolder's to render; the example's literal values are used as they are.
      const input = {
        ...step.input,
        repoName: String(step.input.repoName).startsWith('${{')
          ? 'orders-api'
          : step.input.repoName,
      };
      const ctx = createMockActionContext({ input });

      await action.handler(ctx);

      const branch = input.defaultBranch ?? 'main';
      expect(ctx.output).toHaveBeenCalledWith(
        'browseUrl',
        `http://localhost:0/api/local-git/repos/orders-api/tree/${branch}/`,
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'cloneUrl',
        'file:///srv/repositories/orders-api',
      );
    },
  );
});
