import { pathToFileURL } from 'node:url';
import type { DiscoveryService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  EDIT_SECTION_ID,
  LOCAL_GIT_PLUGIN_ID,
  LocalGitRepositories,
  branchNameProblem,
  repositoryContentsPath,
  repositoryNameProblem,
  repositoryTreePath,
} from '@golden-path/plugin-local-git-node';
import { examples } from './locate.examples';

/**
 * `local:git:locate`: the addresses `local:git:publish` will give a repository — its browsable
 * page, where to change it, its clone URL and its catalog-info.yaml — without touching anything.
 * Files rendered before the publish step (the catalog entity's `backstage.io/source-location` and
 * `backstage.io/edit-url`) need them, and the catalog derives neither for a host it has no
 * integration for.
 *
 * @public
 */
export function createLocalGitLocateAction(options: {
  config: Config;
  discovery: DiscoveryService;
}) {
  const { config, discovery } = options;
  const repositories = LocalGitRepositories.fromConfig(config);

  return createTemplateAction({
    id: 'local:git:locate',
    description:
      'Outputs the URLs local:git:publish will give a repository (browsable page, edit instructions, clone URL, ' +
      'catalog-info.yaml) so files rendered before publishing can link to it. Reads and writes nothing.',
    examples,
    // Pure: a dry run answers what the real run would.
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z.string({
            description: 'The repository name, as given to local:git:publish.',
          }),
        defaultBranch: z =>
          z
            .string({
              description:
                'The branch, as given to local:git:publish. Defaults to main.',
            })
            .optional(),
      },
      output: {
        browseUrl: z =>
          z.string({
            description:
              'HTTP URL of the repository page (its root folder on the branch).',
          }),
        editUrl: z =>
          z.string({
            description:
              'HTTP URL of the page section saying how to change the repository.',
          }),
        cloneUrl: z =>
          z.string({
            description: 'file:// URL to `git clone` on the backend host.',
          }),
        catalogInfoUrl: z =>
          z.string({
            description:
              'HTTP URL of catalog-info.yaml at the repository root.',
          }),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const branch = ctx.input.defaultBranch || 'main';
      const nameProblem = repositoryNameProblem(repoName);
      if (nameProblem)
        throw new InputError(`Invalid repoName "${repoName}": ${nameProblem}.`);
      const branchProblem = branchNameProblem(branch);
      if (branchProblem)
        throw new InputError(
          `Invalid defaultBranch "${branch}": ${branchProblem}.`,
        );

      const baseUrl = await discovery.getExternalBaseUrl(LOCAL_GIT_PLUGIN_ID);
      const browseUrl = `${baseUrl}${repositoryTreePath(repoName, branch)}`;
      ctx.output('browseUrl', browseUrl);
      ctx.output('editUrl', `${browseUrl}#${EDIT_SECTION_ID}`);
      ctx.output('cloneUrl', pathToFileURL(repositories.pathOf(repoName)).href);
      ctx.output(
        'catalogInfoUrl',
        `${baseUrl}${repositoryContentsPath(repoName, branch)}/catalog-info.yaml`,
      );
    },
  });
}
