import fs from 'node:fs';
import { Readable } from 'node:stream';
import git from 'isomorphic-git';
import type {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReadUrlResponseFactory,
  type ReadTreeResponseFactory,
  type ReaderFactory,
} from '@backstage/backend-defaults/urlReader';
import type { Config } from '@backstage/config';
import { InputError, NotFoundError, NotModifiedError } from '@backstage/errors';
import {
  LOCAL_GIT_PLUGIN_ID,
  LocalGitRepositories,
  PUBLIC_ROUTE_PREFIX,
  branchNameProblem,
  repositoryNameProblem,
} from '@golden-path/plugin-local-git-node';

/** A repository URL taken apart: `<base>/repos/<name>/<blob|tree>/<branch>/<path>`. */
interface LocalGitUrl {
  name: string;
  kind: 'blob' | 'tree';
  branch: string;
  /** Path inside the repository, without leading or trailing slash; '' for the root. */
  path: string;
}

/**
 * Reads the repositories that `local:git:publish` creates straight from their bare git repositories,
 * for the URLs the `local-git` plugin serves them at. The generic fetch reader covers single files
 * over HTTP but has no `readTree`, which TechDocs needs to build a repository's `docs/` (an entity's
 * `backstage.io/techdocs-ref: dir:.`). Files keep the ETag the HTTP route gives them (the blob's
 * object id), so what the catalog read before this reader took over stays valid.
 *
 * @public
 */
export class LocalGitUrlReader implements UrlReaderService {
  /** For `urlReaderFactoriesServiceRef`: one reader for the URLs under the backend's own `local-git` routes. */
  static factory: ReaderFactory = ({ config, treeResponseFactory }) => {
    const reader = LocalGitUrlReader.fromConfig(config, treeResponseFactory);
    return [{ reader, predicate: url => reader.owns(url) }];
  };

  static fromConfig(
    config: Config,
    treeResponseFactory: ReadTreeResponseFactory,
  ): LocalGitUrlReader {
    // The address publish and locate hand out: discovery's default external URL of the plugin.
    const baseUrl = `${config.getString('backend.baseUrl').replace(/\/+$/, '')}/api/${LOCAL_GIT_PLUGIN_ID}`;
    return new LocalGitUrlReader(
      LocalGitRepositories.fromConfig(config),
      new URL(baseUrl),
      treeResponseFactory,
    );
  }

  private readonly routePrefix: string;

  constructor(
    private readonly repositories: LocalGitRepositories,
    private readonly pluginBaseUrl: URL,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {
    this.routePrefix = `${pluginBaseUrl.pathname.replace(/\/+$/, '')}${PUBLIC_ROUTE_PREFIX}/`;
  }

  /** Whether `url` points into the repositories this reader serves. */
  owns(url: URL): boolean {
    return (
      url.origin === this.pluginBaseUrl.origin &&
      url.pathname.startsWith(this.routePrefix)
    );
  }

  async read(url: string): Promise<Buffer> {
    return (await this.readUrl(url)).buffer();
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const location = this.parse(url);
    if (location.kind !== 'blob' || !location.path) {
      throw new InputError(
        `${url} names a folder; readUrl reads a file (…/blob/<branch>/<file>)`,
      );
    }
    const file = await this.repositories.readFile(
      location.name,
      location.branch,
      location.path,
    );
    if (!file) {
      throw new NotFoundError(
        `No file ${location.path} on branch ${location.branch} of repository ${location.name}`,
      );
    }
    // The same validator the HTTP route sends as its ETag header.
    const etag = `"${file.oid}"`;
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    return ReadUrlResponseFactory.fromReadable(
      Readable.from(Buffer.from(file.content)),
      { etag },
    );
  }

  /**
   * Every file below the URL's folder (`…/tree/<branch>/<folder>/`, or `…/blob/…` as other readers
   * accept), paths relative to that folder. The ETag is the folder's tree object id: it changes
   * exactly when something below the folder does.
   */
  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const { name, branch, path: folder } = this.parse(url);
    const gitdir = this.repositories.pathOf(name);
    const treeOid = await folderTreeOid(gitdir, branch, folder).catch(error => {
      if (isGitNotFound(error)) {
        throw new NotFoundError(
          `No folder ${folder || '/'} on branch ${branch} of repository ${name}`,
        );
      }
      throw error;
    });
    const etag = treeOid;
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    const files: Array<{ data: Readable; path: string }> = [];
    for (const blob of await listBlobs(gitdir, treeOid)) {
      const { blob: content } = await git.readBlob({
        fs,
        gitdir,
        oid: blob.oid,
      });
      if (
        options?.filter &&
        !options.filter(blob.path, { size: content.length })
      )
        continue;
      files.push({
        path: blob.path,
        data: Readable.from(Buffer.from(content)),
      });
    }
    const response = await this.treeResponseFactory.fromReadableArray(files);
    // fromReadableArray leaves the ETag empty; callers cache on it.
    return {
      etag,
      files: () => response.files(),
      archive: () => response.archive(),
      dir: dirOptions => response.dir(dirOptions),
    };
  }

  /** Like the fetch reader: one exact file URL (no patterns), no files when it does not exist. */
  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    if (/[*?]/.test(new URL(url).pathname)) {
      throw new InputError(
        `Search patterns are not supported for local git repositories: ${url}`,
      );
    }
    try {
      const file = await this.readUrl(url, options);
      return {
        files: [{ url, content: file.buffer }],
        etag: file.etag ?? '',
      };
    } catch (error) {
      if (error instanceof NotFoundError) {
        return { files: [], etag: '' };
      }
      throw error;
    }
  }

  toString() {
    return `local-git{root=${this.repositories.rootDirectory}}`;
  }

  /** Takes a URL of this reader apart, refusing names and paths the HTTP routes refuse too. */
  private parse(url: string): LocalGitUrl {
    const parsed = new URL(url);
    if (!this.owns(parsed)) {
      throw new InputError(
        `${url} is not under ${this.pluginBaseUrl.href}${PUBLIC_ROUTE_PREFIX}`,
      );
    }
    const segments = parsed.pathname
      .slice(this.routePrefix.length)
      .split('/')
      .map(segment => {
        try {
          return decodeURIComponent(segment);
        } catch {
          throw new InputError(`Malformed percent-encoding in ${url}`);
        }
      });
    const [name, kind, branch, ...rest] = segments;
    // A trailing slash (folders) leaves one empty segment at the end.
    const pathSegments = rest.at(-1) === '' ? rest.slice(0, -1) : rest;
    if (
      !name ||
      (kind !== 'blob' && kind !== 'tree') ||
      !branch ||
      repositoryNameProblem(name) ||
      branchNameProblem(branch) ||
      pathSegments.some(
        segment =>
          segment === '' ||
          segment === '.' ||
          segment === '..' ||
          /[\\/\0]/.test(segment),
      )
    ) {
      throw new InputError(
        `${url} does not name a repository path: expected …${PUBLIC_ROUTE_PREFIX}/<name>/tree/<branch>/<folder>/ or …/blob/<branch>/<file>, without empty, "." or ".." segments`,
      );
    }
    return { name, kind, branch, path: pathSegments.join('/') };
  }
}

/** The object id of the folder's tree at the branch head ('' is the root). */
async function folderTreeOid(
  gitdir: string,
  branch: string,
  folder: string,
): Promise<string> {
  const head = await git.resolveRef({
    fs,
    gitdir,
    ref: `refs/heads/${branch}`,
  });
  const { oid } = await git.readTree({
    fs,
    gitdir,
    oid: head,
    filepath: folder || undefined,
  });
  return oid;
}

/** Every blob below a tree, depth first; submodules (`commit` entries) have no content here. */
async function listBlobs(
  gitdir: string,
  treeOid: string,
  prefix = '',
): Promise<Array<{ path: string; oid: string }>> {
  const { tree } = await git.readTree({ fs, gitdir, oid: treeOid });
  const blobs: Array<{ path: string; oid: string }> = [];
  for (const entry of tree) {
    const entryPath = `${prefix}${entry.path}`;
    if (entry.type === 'tree') {
      blobs.push(...(await listBlobs(gitdir, entry.oid, `${entryPath}/`)));
    } else if (entry.type === 'blob') {
      blobs.push({ path: entryPath, oid: entry.oid });
    }
  }
  return blobs;
}

function isGitNotFound(error: unknown): boolean {
  return (
    error instanceof git.Errors.NotFoundError ||
    error instanceof git.Errors.ObjectTypeError
  );
}
