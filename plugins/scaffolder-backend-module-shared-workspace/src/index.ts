/**
 * The `sharedDirectory` scaffolder workspace provider, for task recovery: a recovered task finds its
 * workspace in a directory every replica mounts.
 *
 * @packageDocumentation
 */
export { sharedDirectoryWorkspaceModule as default } from './module';
