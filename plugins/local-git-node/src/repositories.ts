import fs from 'node:fs';
import {
  lstat,
  mkdtemp,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import type { Config } from '@backstage/config';
import { ConflictError } from '@backstage/errors';

/** Where repositories live when `scaffolder.localPublish.rootDirectory` is not set. */
export const DEFAULT_ROOT_DIRECTORY = './data/repositories';

/**
 * Repository and branch names: one URL- and path-safe segment. A leading letter or digit rules out
 * `.`/`..`, hidden directories (the store's own temporary directories start with a dot) and options.
 */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Why `name` cannot name a repository, or undefined when it can. */
export function repositoryNameProblem(name: string): string | undefined {
  if (!SAFE_NAME.test(name)) {
    return 'must be 1-100 characters of letters, digits, ".", "_" and "-", starting with a letter or digit';
  }
  return undefined;
}

/** Why `branch` cannot name the default branch, or undefined when it can. */
export function branchNameProblem(branch: string): string | undefined {
  // Slashes are excluded so that `/blob/<branch>/<path>` URLs stay unambiguous.
  if (!SAFE_NAME.test(branch)) {
    return 'must be 1-100 characters of letters, digits, ".", "_" and "-", starting with a letter or digit (no "/")';
  }
  // The rest of git's check-ref-format rules that the pattern above lets through.
  if (
    branch.includes('..') ||
    branch.endsWith('.') ||
    branch.endsWith('.lock')
  ) {
    return 'must not contain "..", end with "." or end with ".lock" (git refuses such branch names)';
  }
  return undefined;
}

/** A file read from a branch head. */
export interface CommittedFile {
  /** The blob's object id: a strong validator for HTTP caching. */
  oid: string;
  content: Uint8Array;
}

/** Options for {@link LocalGitRepositories.create}. */
export interface CreateRepositoryOptions {
  name: string;
  /** Directory whose files (minus `.git` and whatever its `.gitignore` excludes) become the first commit. */
  sourceDirectory: string;
  defaultBranch: string;
  description?: string;
  commitMessage: string;
  author: { name: string; email: string };
  /**
   * Identifies the publish (e.g. task and step id). Stored in the repository, so that the same publish
   * repeated after a crash gets the repository it made instead of a conflict.
   */
  publishKey?: string;
}

/** File in the bare repository recording which publish created it. */
const PUBLISH_KEY_FILE = 'backstage-publish-key';

/**
 * Bare git repositories under one root directory: `<root>/<name>`, cloneable with `git clone file://…`.
 * Bare because they act as remotes (pushing to them works) and are read from the object store,
 * never from a work tree someone could have edited.
 */
export class LocalGitRepositories {
  static fromConfig(config: Config): LocalGitRepositories {
    const configured =
      config.getOptionalString('scaffolder.localPublish.rootDirectory') ??
      DEFAULT_ROOT_DIRECTORY;
    return new LocalGitRepositories(path.resolve(configured));
  }

  constructor(readonly rootDirectory: string) {}

  /** The repository's directory; `name` must be valid (see {@link repositoryNameProblem}). */
  pathOf(name: string): string {
    const problem = repositoryNameProblem(name);
    if (problem) {
      throw new TypeError(`Invalid repository name "${name}": ${problem}`);
    }
    return path.join(this.rootDirectory, name);
  }

  async exists(name: string): Promise<boolean> {
    return pathExists(this.pathOf(name));
  }

  /**
   * Creates `<root>/<name>` holding one commit of `sourceDirectory` on `defaultBranch`.
   * The repository is built in a temporary directory and renamed into place, so a reader never
   * sees a half-written repository and a failure leaves nothing behind.
   *
   * When the repository exists and was made by the same `publishKey`, it is returned as it is
   * (`existed: true`): a publish repeated after a crash does not fail on its own earlier work.
   *
   * @throws ConflictError when the name is taken by anything else (checked before anything is written).
   */
  async create(
    options: CreateRepositoryOptions,
  ): Promise<{ commitHash: string; path: string; existed: boolean }> {
    const target = this.pathOf(options.name);
    const taken = async () => {
      const earlier = await this.publishedBy(options, target);
      if (earlier) {
        return { commitHash: earlier, path: target, existed: true };
      }
      throw new ConflictError(
        `Repository "${options.name}" already exists at ${target}`,
      );
    };
    if (await pathExists(target)) {
      return taken();
    }

    await fs.promises.mkdir(this.rootDirectory, { recursive: true });
    // Same parent as the target so that the final rename is atomic.
    const building = await mkdtemp(
      path.join(this.rootDirectory, `.publishing-${options.name}-`),
    );
    try {
      const commitHash = await commitDirectory(building, options);
      if (options.publishKey) {
        await writeFile(
          path.join(building, PUBLISH_KEY_FILE),
          `${options.publishKey}\n`,
        );
      }
      try {
        await rename(building, target);
      } catch (error) {
        // Another publish of the same name won the race between the check above and now.
        if (
          isErrnoException(error) &&
          (error.code === 'ENOTEMPTY' || error.code === 'EEXIST')
        ) {
          // Awaited here: the `finally` below must not leave the rejection unhandled while it runs.
          return await taken();
        }
        throw error;
      }
      return { commitHash, path: target, existed: false };
    } finally {
      await rm(building, { recursive: true, force: true });
    }
  }

  // The head commit of the repository at `target` when `options.publishKey` created it.
  private async publishedBy(
    options: CreateRepositoryOptions,
    target: string,
  ): Promise<string | undefined> {
    if (!options.publishKey) {
      return undefined;
    }
    const recorded = await readFile(
      path.join(target, PUBLISH_KEY_FILE),
      'utf8',
    ).catch(() => undefined);
    if (recorded?.trim() !== options.publishKey) {
      return undefined;
    }
    return git.resolveRef({
      fs,
      gitdir: target,
      ref: `refs/heads/${options.defaultBranch}`,
    });
  }

  /**
   * Reads `filePath` as committed at the head of `branch`; undefined when the repository, branch or
   * file does not exist or the path names a directory. Never touches anything outside the object store.
   */
  async readFile(
    name: string,
    branch: string,
    filePath: string,
  ): Promise<CommittedFile | undefined> {
    if (repositoryNameProblem(name) || branchNameProblem(branch)) {
      return undefined;
    }
    const gitdir = this.pathOf(name);
    try {
      const head = await git.resolveRef({
        fs,
        gitdir,
        ref: `refs/heads/${branch}`,
      });
      const { oid, blob } = await git.readBlob({
        fs,
        gitdir,
        oid: head,
        filepath: filePath,
      });
      return { oid, content: blob };
    } catch (error) {
      if (
        error instanceof git.Errors.NotFoundError ||
        error instanceof git.Errors.ObjectTypeError ||
        error instanceof git.Errors.InvalidFilepathError
      ) {
        return undefined;
      }
      throw error;
    }
  }
}

async function commitDirectory(
  gitdir: string,
  options: CreateRepositoryOptions,
): Promise<string> {
  const dir = options.sourceDirectory;
  await git.init({
    fs,
    gitdir,
    bare: true,
    defaultBranch: options.defaultBranch,
  });
  // `dir` + `gitdir` stages the workspace straight into the bare repository; `.gitignore` is honoured.
  await git.add({ fs, dir, gitdir, filepath: '.' });
  const commitHash = await git.commit({
    fs,
    dir,
    gitdir,
    message: options.commitMessage,
    author: options.author,
    committer: options.author,
  });
  // Staging left an index behind; a bare repository has none.
  await rm(path.join(gitdir, 'index'), { force: true });
  if (options.description) {
    // git's own convention for a repository's one-line description (shown by gitweb, cgit).
    await writeFile(
      path.join(gitdir, 'description'),
      `${options.description.replace(/\s+/g, ' ').trim()}\n`,
    );
  }
  return commitHash;
}

async function pathExists(target: string): Promise<boolean> {
  try {
    // lstat: a dangling symlink still occupies the name.
    await lstat(target);
    return true;
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') {
      return false;
    }
    throw error;
  }
}

// Duck-typed: errors from node's fs may come from another realm (e.g. under jest), failing instanceof.
function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && 'code' in error;
}
