/**
 * A local publish target for portals without a git host: `local:git:publish` writes the workspace as
 * a git repository on the backend's disk, and the `local-git` backend plugin
 * (`@golden-path/plugin-local-git-backend`) serves it to the catalog.
 *
 * @packageDocumentation
 */
export { localPublishModule as default } from './module';
export { createLocalGitPublishAction } from './actions/publish';
export { createLocalGitArchiveAction } from './actions/archive';
export { createLocalGitLocateAction } from './actions/locate';
