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
import {
  formatPublishRecord,
  parsePublishRecord,
  PUBLISH_RECORD_FILE,
  type PublishRecord,
} from '@golden-path/plugin-cloudformation-common';

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
   * Identifies the publish (its key: task and step id) and what it is for. Stored in the repository, so
   * that the same publish repeated after a crash gets the repository it made instead of a conflict.
   */
  record?: PublishRecord;
  /**
   * Asked when the name is taken by another publish's repository (its record, if any): true when this
   * publish continues that unfinished work. The repository then gets a commit of `sourceDirectory` on
   * top (none when nothing changed) and this publish's record.
   */
  continues?(earlier: PublishRecord | undefined): Promise<boolean>;
}

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

  /** The record of the publish that made repository `name`, if it holds one. */
  async recordOf(name: string): Promise<PublishRecord | undefined> {
    return readRecord(this.pathOf(name));
  }

  /**
   * Creates `<root>/<name>` holding one commit of `sourceDirectory` on `defaultBranch`.
   * The repository is built in a temporary directory and renamed into place, so a reader never
   * sees a half-written repository and a failure leaves nothing behind.
   *
   * When the repository exists and was made by the same publish (record key), it is returned as it is
   * (`existed: true`): a publish repeated after a crash does not fail on its own earlier work. When
   * `continues` accepts another publish's repository, that one is continued (`continued: true`).
   *
   * @throws ConflictError when the name is taken by anything else (checked before anything is written).
   */
  async create(options: CreateRepositoryOptions): Promise<{
    commitHash: string;
    path: string;
    existed: boolean;
    continued?: boolean;
  }> {
    const target = this.pathOf(options.name);
    const taken = async () => {
      const earlier = await readRecord(target);
      if (options.record && earlier?.key === options.record.key) {
        const head = await git.resolveRef({
          fs,
          gitdir: target,
          ref: `refs/heads/${options.defaultBranch}`,
        });
        return { commitHash: head, path: target, existed: true };
      }
      if (await options.continues?.(earlier)) {
        const commitHash = await continueRepository(target, options);
        return { commitHash, path: target, existed: true, continued: true };
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
      if (options.record) {
        await writeFile(
          path.join(building, PUBLISH_RECORD_FILE),
          formatPublishRecord(options.record),
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

async function readRecord(gitdir: string): Promise<PublishRecord | undefined> {
  const text = await readFile(
    path.join(gitdir, PUBLISH_RECORD_FILE),
    'utf8',
  ).catch(() => undefined);
  return text === undefined ? undefined : parsePublishRecord(text);
}

/**
 * Commits `sourceDirectory` on top of the existing repository's branch (nothing when its tree is
 * unchanged), then stores the new record: the repository now belongs to this publish.
 */
async function continueRepository(
  gitdir: string,
  options: CreateRepositoryOptions,
): Promise<string> {
  const ref = `refs/heads/${options.defaultBranch}`;
  const head = await git.resolveRef({ fs, gitdir, ref });
  const dir = options.sourceDirectory;
  // A fresh index of the workspace alone, so the commit's tree is exactly the workspace.
  await rm(path.join(gitdir, 'index'), { force: true });
  try {
    // Rows [file, head, workdir, stage]: 1/1 is a file unchanged since the head commit.
    const matrix = await git.statusMatrix({ fs, dir, gitdir, ref });
    let commitHash = head;
    if (
      matrix.some(([, inHead, inWorkdir]) => inHead !== 1 || inWorkdir !== 1)
    ) {
      await git.add({ fs, dir, gitdir, filepath: '.' });
      commitHash = await git.commit({
        fs,
        dir,
        gitdir,
        ref,
        message: options.commitMessage,
        author: options.author,
        committer: options.author,
      });
    }
    if (options.record) {
      await writeFile(
        path.join(gitdir, PUBLISH_RECORD_FILE),
        formatPublishRecord(options.record),
      );
    }
    return commitHash;
  } finally {
    await rm(path.join(gitdir, 'index'), { force: true });
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
