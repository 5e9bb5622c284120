export interface Config {
  scaffolder?: {
    localPublish?: {
      /**
       * Directory holding the repositories that `local:git:publish` creates (one bare git repository
       * per name) and that the `local-git` backend plugin serves. Relative paths resolve against the
       * backend's working directory.
       * @default ./data/repositories
       */
      rootDirectory?: string;
    };
  };
}
