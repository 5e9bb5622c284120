/**
 * Serves the bare git repositories that `local:git:publish` creates, read-only, to the catalog and
 * to people browsing them: the `local-git` backend plugin.
 *
 * @packageDocumentation
 */
export { localGitPlugin as default } from './plugin';
