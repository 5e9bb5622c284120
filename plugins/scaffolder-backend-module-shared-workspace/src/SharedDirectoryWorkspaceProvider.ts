import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@backstage/config';
import {
  restoreWorkspace,
  serializeWorkspace,
  type WorkspaceProvider,
} from '@backstage/plugin-scaffolder-node/alpha';

/** The name `scaffolder.taskRecovery.workspaceProvider` selects this provider by. */
export const SHARED_DIRECTORY_WORKSPACE_PROVIDER = 'sharedDirectory';

/** Where workspaces are kept when `scaffolder.taskRecovery.sharedDirectory.path` is not set. */
export const DEFAULT_WORKSPACE_DIRECTORY = './data/workspaces';

// Task ids are UUIDs; anything else must not become a file name.
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

/**
 * Keeps each running task's workspace as one tar archive per task in a directory: the scaffolder
 * stores it after every step and checkpoint and restores it before a recovered task resumes, on
 * whichever backend claims the task. With several replicas the directory must be shared storage
 * (EFS, NFS) mounted by all of them. Unlike Backstage's database provider, it has no size cap and
 * keeps archives out of the task database.
 *
 * Each archive is written to a temporary file and renamed into place, so a reader (or a backend
 * killed mid-write) only ever sees a complete archive.
 */
export class SharedDirectoryWorkspaceProvider implements WorkspaceProvider {
  static fromConfig(config: Config): SharedDirectoryWorkspaceProvider {
    const configured =
      config.getOptionalString(
        'scaffolder.taskRecovery.sharedDirectory.path',
      ) ?? DEFAULT_WORKSPACE_DIRECTORY;
    return new SharedDirectoryWorkspaceProvider(path.resolve(configured));
  }

  constructor(readonly directory: string) {}

  async serializeWorkspace(options: {
    path: string;
    taskId: string;
  }): Promise<void> {
    const archive = this.archiveOf(options.taskId);
    const { contents } = await serializeWorkspace({ path: options.path });
    await mkdir(this.directory, { recursive: true });
    const partial = `${archive}.${randomUUID()}.partial`;
    try {
      await writeFile(partial, contents, { flush: true });
      await rename(partial, archive);
    } finally {
      await rm(partial, { force: true });
    }
  }

  async rehydrateWorkspace(options: {
    taskId: string;
    targetPath: string;
  }): Promise<void> {
    let buffer: Buffer;
    try {
      buffer = await readFile(this.archiveOf(options.taskId));
    } catch (error) {
      // A task that never reached a step's end has nothing stored: it starts from an empty workspace.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return;
      }
      throw error;
    }
    // The stored state replaces whatever a crashed run left half-written on this host.
    await rm(options.targetPath, { recursive: true, force: true });
    await mkdir(options.targetPath, { recursive: true });
    await restoreWorkspace({ path: options.targetPath, buffer });
  }

  async cleanWorkspace(options: { taskId: string }): Promise<void> {
    await rm(this.archiveOf(options.taskId), { force: true });
  }

  private archiveOf(taskId: string): string {
    if (!TASK_ID.test(taskId)) {
      throw new TypeError(
        `Invalid task id "${taskId}": expected letters, digits and hyphens`,
      );
    }
    return path.join(this.directory, `${taskId}.tar`);
  }
}
