/**
 * Where the `local-git` backend plugin serves a repository: the actions that publish repositories
 * output these URLs, and the plugin answers them.
 */

/** The backend plugin serving the repositories: its routes live under `/api/local-git`. */
export const LOCAL_GIT_PLUGIN_ID = 'local-git';

/** Route prefix readable without credentials (the catalog's URL reader sends none). */
export const PUBLIC_ROUTE_PREFIX = '/repos';

/**
 * Plugin-relative path of a branch's tree: append `/<file path>` to read a file.
 * Names are validated to URL-safe characters, so no encoding is needed.
 */
export function repositoryContentsPath(name: string, branch: string): string {
  return `${PUBLIC_ROUTE_PREFIX}/${name}/blob/${branch}`;
}

/** Plugin-relative path of a folder's listing on a branch; the repository root without `folder`. */
export function repositoryTreePath(
  name: string,
  branch: string,
  folder = '',
): string {
  const segments = folder.split('/').filter(Boolean).map(encodeURIComponent);
  return `${PUBLIC_ROUTE_PREFIX}/${name}/tree/${branch}/${segments.map(segment => `${segment}/`).join('')}`;
}

/** The anchor of the listing page's "How to change it" section, for the catalog's edit link. */
export const EDIT_SECTION_ID = 'edit';
