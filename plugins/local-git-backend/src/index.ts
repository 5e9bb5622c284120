/**
 * Serves the bare git repositories that `local:git:publish` creates, read-only: the `local-git`
 * backend plugin over HTTP (the catalog, people browsing them), and a URL reader factory so every
 * plugin's `UrlReader` reads them from disk, whole trees included (TechDocs' `dir:` builds).
 *
 * @packageDocumentation
 */
export { localGitPlugin as default } from './plugin';
export { localGitUrlReaderFactory } from './reader/module';
export { LocalGitUrlReader } from './reader/LocalGitUrlReader';
