/**
 * What the local publish actions and the `local-git` backend plugin share: the store of bare git
 * repositories under `scaffolder.localPublish.rootDirectory`, and the URLs the plugin serves them at.
 *
 * @packageDocumentation
 */
export {
  LocalGitRepositories,
  branchNameProblem,
  repositoryNameProblem,
} from './repositories';
export type { CommittedFile, CreateRepositoryOptions } from './repositories';
export {
  EDIT_SECTION_ID,
  LOCAL_GIT_PLUGIN_ID,
  PUBLIC_ROUTE_PREFIX,
  repositoryContentsPath,
  repositoryTreePath,
} from './routes';
