import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import {
  resolveSafeChildPath,
  type AuthService,
  type DiscoveryService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import {
  createTemplateAction,
  type ScaffolderService,
} from '@backstage/plugin-scaffolder-node';
import {
  unfinishedRunRefusal,
  type EarlierTask,
  type PublishRecord,
} from '@golden-path/plugin-cloudformation-common';
import {
  LOCAL_GIT_PLUGIN_ID,
  LocalGitRepositories,
  branchNameProblem,
  repositoryContentsPath,
  repositoryNameProblem,
} from '@golden-path/plugin-local-git-node';
import { examples } from './publish.examples';

/** What a dry run reports as the commit: git's null object id, since nothing is committed. */
export const DRY_RUN_COMMIT_HASH = '0'.repeat(40);

/**
 * `local:git:publish`: commits the workspace into a new bare git repository under
 * `scaffolder.localPublish.rootDirectory`, served read-only by the `local-git` backend plugin.
 * For portals without a git host; `publish:github` remains the production target.
 *
 * Given an `entityRef`, it continues a repository that an earlier, failed or cancelled, run for the
 * same entity by the same user published (see `unfinishedRunRefusal`), asking the scaffolder how that
 * task ended; without `scaffolder` every taken name is refused.
 *
 * @public
 */
export function createLocalGitPublishAction(options: {
  config: Config;
  discovery: DiscoveryService;
  scaffolder?: ScaffolderService;
  auth?: AuthService;
}) {
  const { config, discovery, scaffolder, auth } = options;
  const repositories = LocalGitRepositories.fromConfig(config);

  /** How the scaffolder says the task ended; undefined when it does not know the task. */
  async function earlierTask(taskId: string): Promise<EarlierTask | undefined> {
    if (!scaffolder || !auth) return undefined;
    const task = await scaffolder
      .getTask(
        { taskId },
        { credentials: await auth.getOwnServiceCredentials() },
      )
      .catch(error => {
        if (error?.name === 'NotFoundError' || error?.response?.status === 404)
          return undefined;
        throw error;
      });
    return task
      ? { status: task.status, createdBy: task.spec.user?.ref }
      : undefined;
  }

  return createTemplateAction({
    id: 'local:git:publish',
    description:
      'Initializes a git repository with the contents of the workspace in a directory of the Backstage backend ' +
      'and serves it read-only over HTTP, so that catalog:register can register its catalog-info.yaml. ' +
      'Refuses a repository name that is already taken.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z.string({
            description:
              'Name of the repository: 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit. ' +
              'Publishing fails, writing nothing, when a repository of that name exists.',
          }),
        defaultBranch: z =>
          z
            .string({
              description:
                'Branch holding the initial commit, without "/". Defaults to main.',
            })
            .optional(),
        description: z =>
          z
            .string({
              description:
                "One-line repository description, stored in git's description file.",
            })
            .optional(),
        entityRef: z =>
          z
            .string({
              description:
                'The catalog entity the repository is for. Recorded in the repository; when the name is taken by ' +
                "an earlier run for the same entity, started by the same user, whose task failed or was cancelled, that run's " +
                'repository is continued (a commit of the workspace on top) instead of refused.',
            })
            .optional(),
        sourcePath: z =>
          z
            .string({
              description:
                'Directory within the workspace to publish instead of the whole workspace.',
            })
            .optional(),
        gitCommitMessage: z =>
          z
            .string({
              description:
                'Message of the initial commit. Defaults to scaffolder.defaultCommitMessage, then "Initial commit".',
            })
            .optional(),
        gitAuthorName: z =>
          z
            .string({
              description:
                'Author name of the initial commit. Defaults to scaffolder.defaultAuthor.name, then "Scaffolder".',
            })
            .optional(),
        gitAuthorEmail: z =>
          z
            .string({
              description:
                'Author email of the initial commit. Defaults to scaffolder.defaultAuthor.email, then "scaffolder@backstage.io".',
            })
            .optional(),
      },
      output: {
        remoteUrl: z =>
          z.string({
            description:
              'file:// URL of the repository: `git clone` it on the backend host.',
          }),
        repoContentsUrl: z =>
          z.string({
            description:
              'HTTP URL of the tree at the default branch; append /<path> to read a committed file.',
          }),
        catalogInfoUrl: z =>
          z.string({
            description:
              'HTTP URL of catalog-info.yaml at the repository root, for catalog:register.',
          }),
        commitHash: z =>
          z.string({
            description: 'The initial commit (all zeros in a dry run).',
          }),
      },
    },
    async handler(ctx) {
      const { repoName, description, sourcePath } = ctx.input;
      // `||`, not `??`: a template passing an empty form field means "use the default".
      const defaultBranch = ctx.input.defaultBranch || 'main';

      const nameProblem = repositoryNameProblem(repoName);
      if (nameProblem) {
        throw new InputError(`Invalid repoName "${repoName}": ${nameProblem}.`);
      }
      const branchProblem = branchNameProblem(defaultBranch);
      if (branchProblem) {
        throw new InputError(
          `Invalid defaultBranch "${defaultBranch}": ${branchProblem}.`,
        );
      }
      const sourceDirectory = await resolveSourceDirectory(
        ctx.workspacePath,
        sourcePath,
      );

      const repositoryPath = repositories.pathOf(repoName);
      const baseUrl = await discovery.getExternalBaseUrl(LOCAL_GIT_PLUGIN_ID);
      const repoContentsUrl = `${baseUrl}${repositoryContentsPath(repoName, defaultBranch)}`;
      // Why an existing repository is not continued, for the refusal.
      let notContinued: string | undefined;
      const nameTaken = () =>
        new InputError(
          `Repository name "${repoName}" is already taken: ${repositoryPath} exists` +
            (notContinued ? ` and is not continued: ${notContinued}` : '') +
            `. Choose another name, or delete that directory if its repository is no longer needed. Nothing was written.`,
        );
      const record: PublishRecord = {
        // The same for this step of a task recovered after a crash, different for every other publish.
        key: `${ctx.task.id}/${ctx.step?.id ?? ''}`,
        taskId: ctx.task.id,
        ...(ctx.input.entityRef ? { entityRef: ctx.input.entityRef } : {}),
      };
      const continues = async (earlier: PublishRecord | undefined) => {
        if (!ctx.input.entityRef || !earlier) return false;
        notContinued = unfinishedRunRefusal(
          earlier,
          await earlierTask(earlier.taskId),
          { entityRef: ctx.input.entityRef, createdBy: ctx.user?.ref },
        );
        return notContinued === undefined;
      };

      let commitHash: string;
      if (ctx.isDryRun) {
        if (
          (await repositories.exists(repoName)) &&
          !(await continues(await repositories.recordOf(repoName)))
        ) {
          throw nameTaken();
        }
        ctx.logger.info(
          `Dry run: would publish ${sourceDirectory} to ${repositoryPath} on branch ${defaultBranch}`,
        );
        commitHash = DRY_RUN_COMMIT_HASH;
      } else {
        commitHash = await ctx.checkpoint({
          key: `local.git.publish.${repoName}`,
          fn: async () => {
            try {
              const created = await repositories.create({
                name: repoName,
                record,
                continues,
                sourceDirectory,
                defaultBranch,
                description,
                commitMessage:
                  ctx.input.gitCommitMessage ||
                  config.getOptionalString('scaffolder.defaultCommitMessage') ||
                  'Initial commit',
                author: {
                  name:
                    ctx.input.gitAuthorName ||
                    config.getOptionalString('scaffolder.defaultAuthor.name') ||
                    'Scaffolder',
                  email:
                    ctx.input.gitAuthorEmail ||
                    config.getOptionalString(
                      'scaffolder.defaultAuthor.email',
                    ) ||
                    'scaffolder@backstage.io',
                },
              });
              if (created.continued) {
                ctx.logger.info(
                  `Repository ${repoName} is from an earlier run of ${ctx.input.entityRef} that did not finish; continuing it with this run's files.`,
                );
              } else if (created.existed) {
                ctx.logger.info(
                  `Repository ${repoName} was already published by this task before a restart; keeping it.`,
                );
              }
              return created.commitHash;
            } catch (error) {
              if (error instanceof ConflictError) {
                throw nameTaken();
              }
              throw error;
            }
          },
        });
        ctx.logger.info(
          `Published ${repoName} (${commitHash}) to ${repositoryPath}; contents at ${repoContentsUrl}`,
        );
      }

      ctx.output('remoteUrl', pathToFileURL(repositoryPath).href);
      ctx.output('repoContentsUrl', repoContentsUrl);
      ctx.output('catalogInfoUrl', `${repoContentsUrl}/catalog-info.yaml`);
      ctx.output('commitHash', commitHash);
    },
  });
}

async function resolveSourceDirectory(
  workspacePath: string,
  sourcePath: string | undefined,
): Promise<string> {
  if (!sourcePath) {
    return workspacePath;
  }
  let directory: string;
  try {
    directory = resolveSafeChildPath(workspacePath, sourcePath);
  } catch {
    throw new InputError(
      `Invalid sourcePath "${sourcePath}": it must be a directory inside the workspace.`,
    );
  }
  const stats = await stat(directory).catch(() => undefined);
  if (!stats?.isDirectory()) {
    throw new InputError(
      `Invalid sourcePath "${sourcePath}": there is no such directory in the workspace.`,
    );
  }
  return directory;
}
