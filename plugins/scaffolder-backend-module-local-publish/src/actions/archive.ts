import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DiscoveryService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  LOCAL_GIT_PLUGIN_ID,
  LocalGitRepositories,
  PUBLIC_ROUTE_PREFIX,
} from '@golden-path/plugin-local-git-node';
import { examples } from './archive.examples';

/** File a local repository gets when it is archived (inside the bare repository, outside its tree). */
export const ARCHIVED_MARKER = 'backstage-archived.json';

type Target =
  | { kind: 'local'; name: string }
  | { kind: 'github'; owner: string; repo: string; host: string }
  | { kind: 'unsupported'; host: string };

/**
 * `local:git:archive`: marks the repository a retired service was published to as archived — a
 * marker in a repository `local:git:publish` wrote, or GitHub's own archive flag (through its API,
 * with the `integrations.github` credentials) for one `publish:github` created. Other hosts are
 * left alone, and the log says so.
 *
 * @public
 */
export function createLocalGitArchiveAction(options: {
  config: Config;
  discovery: DiscoveryService;
}) {
  const { config, discovery } = options;
  const repositories = LocalGitRepositories.fromConfig(config);
  const integrations = ScmIntegrations.fromConfig(config);
  const githubCredentials =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);

  return createTemplateAction({
    id: 'local:git:archive',
    description:
      'Marks the repository of a retired service archived: a local repository written by local:git:publish gets a marker, ' +
      'a GitHub repository is archived through the GitHub API. Repositories on other hosts are left as they are (logged).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repositoryUrl: z =>
          z
            .string({
              description:
                "Where the service's files live: the entity's backstage.io/source-location or backstage.io/managed-by-location " +
                '(a `url:` prefix is dropped), e.g. https://github.com/acme/payments/tree/main/.',
            })
            .min(1),
        entityRef: z =>
          z
            .string({
              description: 'The retired entity, recorded in the local marker.',
            })
            .optional(),
      },
      output: {
        archived: z =>
          z.boolean({
            description:
              'Whether the repository is now archived (false in a dry run or for other hosts).',
          }),
        host: z =>
          z.enum(['local', 'github', 'unsupported'], {
            description: 'Which kind of repository it was.',
          }),
        repository: z =>
          z.string({
            description:
              'The repository: a local path, or owner/repo on GitHub.',
          }),
      },
    },
    async handler(ctx) {
      const target = await resolveTarget(
        ctx.input.repositoryUrl.replace(/^url:/, ''),
        discovery,
        integrations,
      );
      if (target.kind === 'unsupported') {
        ctx.logger.warn(
          `The repository at ${ctx.input.repositoryUrl} is on ${target.host}, which this action cannot archive; archive it by hand.`,
        );
        ctx.output('archived', false);
        ctx.output('host', 'unsupported');
        ctx.output('repository', ctx.input.repositoryUrl);
        return;
      }
      const repository =
        target.kind === 'local'
          ? repositories.pathOf(target.name)
          : `${target.owner}/${target.repo}`;
      ctx.output('host', target.kind);
      ctx.output('repository', repository);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would mark ${target.kind === 'local' ? 'the local repository' : 'the GitHub repository'} ${repository} archived.`,
        );
        ctx.output('archived', false);
        return;
      }
      await ctx.checkpoint({
        key: `local.git.archive.${repository}`,
        fn: async () => {
          if (target.kind === 'local') {
            await markLocal(repository, ctx.input.entityRef);
          } else {
            await archiveOnGithub(target, integrations, githubCredentials);
          }
          return {};
        },
      });
      ctx.logger.info(`Marked ${repository} archived.`);
      ctx.output('archived', true);
    },
  });
}

async function resolveTarget(
  url: string,
  discovery: DiscoveryService,
  integrations: ScmIntegrations,
): Promise<Target> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(
      `repositoryUrl: "${url}" is not a URL; pass the entity's backstage.io/source-location or managed-by-location.`,
    );
  }
  const localBase = `${await discovery.getExternalBaseUrl(LOCAL_GIT_PLUGIN_ID)}${PUBLIC_ROUTE_PREFIX}/`;
  if (url.startsWith(localBase)) {
    const name = url.slice(localBase.length).split('/')[0];
    return { kind: 'local', name };
  }
  if (integrations.github.byHost(parsed.host)) {
    const [owner, repo] = parsed.pathname.split('/').filter(Boolean);
    if (!owner || !repo) {
      throw new InputError(
        `repositoryUrl: ${url} names no repository (expected https://${parsed.host}/<owner>/<repo>/…).`,
      );
    }
    return {
      kind: 'github',
      owner,
      repo: repo.replace(/\.git$/, ''),
      host: parsed.host,
    };
  }
  return { kind: 'unsupported', host: parsed.host };
}

async function markLocal(
  repositoryPath: string,
  entityRef: string | undefined,
): Promise<void> {
  const marker = path.join(repositoryPath, ARCHIVED_MARKER);
  try {
    await readFile(path.join(repositoryPath, 'HEAD'));
  } catch {
    throw new InputError(
      `There is no local repository at ${repositoryPath}; nothing to archive.`,
    );
  }
  try {
    await readFile(marker);
    // Archived before: the first record stays.
    return;
  } catch {
    await writeFile(
      marker,
      `${JSON.stringify({ archivedAt: new Date().toISOString(), ...(entityRef ? { entityRef } : {}) }, null, 2)}\n`,
      'utf8',
    );
  }
}

async function archiveOnGithub(
  target: { owner: string; repo: string; host: string },
  integrations: ScmIntegrations,
  credentials: DefaultGithubCredentialsProvider,
): Promise<void> {
  const integration = integrations.github.byHost(target.host)!;
  const { token } = await credentials.getCredentials({
    url: `https://${target.host}/${target.owner}/${target.repo}`,
  });
  if (!token) {
    throw new InputError(
      `No GitHub credentials for ${target.host}: configure integrations.github with a token or an app that may administer ${target.owner}/${target.repo}.`,
    );
  }
  const apiBaseUrl = integration.config.apiBaseUrl ?? 'https://api.github.com';
  const response = await fetch(
    `${apiBaseUrl}/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`,
    {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
        'x-github-api-version': '2022-11-28',
      },
      body: JSON.stringify({ archived: true }),
    },
  );
  if (!response.ok) {
    const detail =
      ((await response.json().catch(() => ({}))) as { message?: string })
        .message ?? response.statusText;
    throw new Error(
      `GitHub refused to archive ${target.owner}/${target.repo} (HTTP ${response.status}: ${detail}). ` +
        'The token needs admin rights on the repository (fine-grained: Administration read and write).',
    );
  }
}
