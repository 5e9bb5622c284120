export interface Config {
  scaffolder?: {
    taskRecovery?: {
      sharedDirectory?: {
        /**
         * Directory where the `sharedDirectory` workspace provider keeps each running task's workspace
         * (one tar archive per task) so that a recovered task resumes with its files on any replica.
         * Every replica must mount the same directory (EFS, NFS). Relative paths resolve against the
         * backend's working directory.
         * @default ./data/workspaces
         */
        path?: string;
      };
    };
  };
}
