import type { HttpRouterService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  PUBLIC_ROUTE_PREFIX,
  type LocalGitRepositories,
} from '@golden-path/plugin-local-git-node';

type RequestHandler = Parameters<HttpRouterService['use']>[0];

/**
 * Serves committed files read-only: `GET /repos/<name>/blob/<branch>/<path>` returns `<path>` as
 * committed at the head of `<branch>`, read from the git object store (never from a work tree).
 */
export function createRepositoryRouter(options: {
  repositories: LocalGitRepositories;
}): RequestHandler {
  const { repositories } = options;

  return (req, res, next) => {
    const route = matchBlobRoute(req.url);
    if (route === undefined) {
      next();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      res.status(405).end();
      return;
    }
    if (route instanceof Error) {
      next(route);
      return;
    }

    repositories
      .readFile(route.name, route.branch, route.filePath)
      .then(file => {
        if (!file) {
          throw new NotFoundError(
            `No file ${route.filePath} on branch ${route.branch} of repository ${route.name}`,
          );
        }
        const etag = `"${file.oid}"`;
        res.setHeader('ETag', etag);
        // The branch head moves when someone pushes: always revalidate (cheap, thanks to the ETag).
        res.setHeader('Cache-Control', 'no-cache');
        // Repository content is untrusted: never let a browser run it on the backend's origin.
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
        if (req.headers['if-none-match'] === etag) {
          res.status(304).end();
          return;
        }
        res.setHeader(
          'Content-Type',
          looksBinary(file.content)
            ? 'application/octet-stream'
            : 'text/plain; charset=utf-8',
        );
        res.status(200).send(Buffer.from(file.content));
      })
      .catch(next);
  };
}

type BlobRoute = { name: string; branch: string; filePath: string };

/** undefined: not this router's URL; an Error: this router's URL, malformed. */
function matchBlobRoute(url: string): BlobRoute | Error | undefined {
  const pathname = url.split('?', 1)[0];
  const [empty, prefix, name, blob, branch, ...fileSegments] =
    pathname.split('/');
  if (
    empty !== '' ||
    `/${prefix}` !== PUBLIC_ROUTE_PREFIX ||
    blob !== 'blob' ||
    !name ||
    !branch
  ) {
    return undefined;
  }
  let decoded: string[];
  try {
    decoded = [name, branch, ...fileSegments].map(segment =>
      decodeURIComponent(segment),
    );
  } catch {
    return new InputError('Malformed percent-encoding in the path');
  }
  const [decodedName, decodedBranch, ...decodedFile] = decoded;
  // Git tree paths never hold empty, "." or ".." segments; refusing them up front keeps traversal out
  // of the lookup altogether (and encoded slashes or backslashes cannot smuggle them in).
  if (
    decodedFile.length === 0 ||
    decoded.some(
      segment =>
        segment === '' ||
        segment === '.' ||
        segment === '..' ||
        /[\\/\0]/.test(segment),
    )
  ) {
    return new InputError(
      'The path must name a file inside the repository, without empty, "." or ".." segments',
    );
  }
  return {
    name: decodedName,
    branch: decodedBranch,
    filePath: decodedFile.join('/'),
  };
}

/** Git's own heuristic: a NUL byte in the first 8000 bytes means binary. */
function looksBinary(content: Uint8Array): boolean {
  return content.subarray(0, 8000).includes(0);
}
