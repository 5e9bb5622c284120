import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import git from 'isomorphic-git';
import type { HttpRouterService } from '@backstage/backend-plugin-api';
import {
  EDIT_SECTION_ID,
  LocalGitRepositories,
  PUBLIC_ROUTE_PREFIX,
  branchNameProblem,
  repositoryNameProblem,
  repositoryTreePath,
} from '@golden-path/plugin-local-git-node';

type RequestHandler = Parameters<HttpRouterService['use']>[0];

/**
 * A browsable page per folder of a branch — `GET /repos/<name>/tree/<branch>/<folder>/` — with
 * links to each file (the `blob` route), the clone command and how to push changes or move the
 * repository to a git host. `GET /repos/<name>/blob/<branch>` with no file path (what a link to the
 * repository's contents opens) leads to the root listing instead of an error.
 */
export function createRepositoryListingRouter(options: {
  repositories: LocalGitRepositories;
}): RequestHandler {
  const { repositories } = options;

  return (req, res, next) => {
    const pathname = req.url.split('?', 1)[0];
    const [empty, prefix, name, kind, branch, ...rest] = pathname.split('/');
    if (
      empty !== '' ||
      `/${prefix}` !== PUBLIC_ROUTE_PREFIX ||
      !name ||
      !branch
    ) {
      next();
      return;
    }
    if (kind === 'blob' && rest.every(segment => segment === '')) {
      res.redirect(302, `${req.baseUrl}${repositoryTreePath(name, branch)}`);
      return;
    }
    if (kind !== 'tree' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    let folder: string[];
    try {
      folder = rest.filter(Boolean).map(segment => decodeURIComponent(segment));
    } catch {
      next();
      return;
    }
    if (
      repositoryNameProblem(name) ||
      branchNameProblem(branch) ||
      folder.some(
        segment =>
          segment === '.' || segment === '..' || /[\\/\0]/.test(segment),
      )
    ) {
      res
        .status(404)
        .type('text/plain')
        .send('No such repository, branch or folder.');
      return;
    }

    listFolder(repositories, name, branch, folder.join('/'))
      .then(entries => {
        if (!entries) {
          res
            .status(404)
            .type('text/plain')
            .send(
              `No folder ${folder.join('/') || '/'} on branch ${branch} of repository ${name}.`,
            );
          return;
        }
        // The page holds names from the repository: no scripts, styles inline only.
        res.setHeader(
          'Content-Security-Policy',
          "default-src 'none'; style-src 'unsafe-inline'",
        );
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', 'no-cache');
        res.type('html').send(
          renderListing({
            name,
            branch,
            folder: folder.join('/'),
            entries,
            base: req.baseUrl,
            cloneUrl: pathToFileURL(repositories.pathOf(name)).href,
          }),
        );
      })
      .catch(next);
  };
}

interface Entry {
  path: string;
  type: 'blob' | 'tree' | 'commit';
}

/** The folder's entries at the branch head, folders first; undefined when there is no such folder. */
async function listFolder(
  repositories: LocalGitRepositories,
  name: string,
  branch: string,
  folder: string,
): Promise<Entry[] | undefined> {
  if (!(await repositories.exists(name))) return undefined;
  const gitdir = repositories.pathOf(name);
  try {
    const head = await git.resolveRef({
      fs,
      gitdir,
      ref: `refs/heads/${branch}`,
    });
    const { tree } = await git.readTree({
      fs,
      gitdir,
      oid: head,
      filepath: folder || undefined,
    });
    return tree
      .map(entry => ({ path: entry.path, type: entry.type }))
      .sort(
        (a, b) =>
          Number(b.type === 'tree') - Number(a.type === 'tree') ||
          a.path.localeCompare(b.path),
      );
  } catch (error) {
    if (
      error instanceof git.Errors.NotFoundError ||
      error instanceof git.Errors.ObjectTypeError
    )
      return undefined;
    throw error;
  }
}

/** HTML's own serializer for text and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`);
}

function renderListing(page: {
  name: string;
  branch: string;
  folder: string;
  entries: Entry[];
  base: string;
  cloneUrl: string;
}) {
  const { name, branch, folder, entries, base, cloneUrl } = page;
  const prefix = folder ? `${folder}/` : '';
  const rows = entries.map(entry => {
    const fullPath = `${prefix}${entry.path}`;
    const href =
      entry.type === 'tree'
        ? `${base}${repositoryTreePath(name, branch, fullPath)}`
        : `${base}${PUBLIC_ROUTE_PREFIX}/${name}/blob/${branch}/${fullPath.split('/').map(encodeURIComponent).join('/')}`;
    const label = entry.type === 'tree' ? `${entry.path}/` : entry.path;
    return `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></li>`;
  });
  if (folder) {
    const parent = folder.split('/').slice(0, -1).join('/');
    rows.unshift(
      `<li><a href="${escapeHtml(`${base}${repositoryTreePath(name, branch, parent)}`)}">../</a></li>`,
    );
  }
  const title = `${name}${folder ? ` / ${folder}` : ''} (${branch})`;
  const clone = `git clone ${cloneUrl}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}li{list-style:none}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>A git repository published on the portal's host by <code>local:git:publish</code>.</p>
<h2>Files</h2>
<ul>${rows.join('')}</ul>
<h2>Clone</h2>
<p>On the portal's host (or wherever this folder is shared):</p>
<pre>${escapeHtml(clone)}</pre>
<h2 id="${EDIT_SECTION_ID}">How to change it</h2>
<p>There is no web editor for local repositories. Clone, commit and push; the portal serves the new head at once:</p>
<pre>${escapeHtml(`${clone}\ncd ${name}\n# edit, then\ngit commit -am "Describe the change"\ngit push origin ${branch}`)}</pre>
<p>To move it to a git host, add that host as a remote and push; then register the new catalog-info.yaml URL:</p>
<pre>${escapeHtml(`git remote add github git@github.com:<owner>/${name}.git\ngit push -u github ${branch}`)}</pre>
</body>
</html>
`;
}
