/**
 * A local publish target for portals without a git host: `local:git:publish` writes the workspace as
 * a git repository on the backend's disk, and the `local-git` backend plugin serves it to the catalog.
 *
 * @packageDocumentation
 */
export { localPublishModule as default } from './module';
export { localGitPlugin } from './plugin';
export { createLocalGitPublishAction } from './actions/publish';
export {
  ARCHIVED_MARKER,
  createLocalGitArchiveAction,
} from './actions/archive';
export { createLocalGitLocateAction } from './actions/locate';
export { sharedDirectoryWorkspaceModule } from './workspace/module';
export { SharedDirectoryWorkspaceProvider } from './workspace/SharedDirectoryWorkspaceProvider';
export { localGitUrlReaderFactory } from './reader/module';
export { LocalGitUrlReader } from './reader/LocalGitUrlReader';
