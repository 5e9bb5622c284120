export interface Config {
  aws?: {
    /** The allowlist keys of this section are declared by `@golden-path/plugin-cloudformation-node`, which reads them. */
    cloudformation?: {
      /**
       * How `aws:cloudformation:deploy` and `aws:cloudformation:delete` wait for CloudFormation:
       * polling cadence, heartbeats and retries. Every key is optional; the defaults suit
       * CloudFormation's own pace and API rate limits.
       */
      timings?: {
        /**
         * First delay between two polls of a change set or a stack operation, in milliseconds.
         * Default 2000.
         */
        initialPollMs?: number;
        /**
         * Longest delay between two polls, in milliseconds; the delay grows from `initialPollMs`
         * by `pollBackoff` per poll up to this. Default 4000.
         */
        maxPollMs?: number;
        /** Factor the poll delay grows by after each poll (1 or more; 1 keeps it fixed). Default 1.5. */
        pollBackoff?: number;
        /**
         * Longest delay between calls while CloudFormation throttles, in milliseconds (the delay
         * doubles per throttled call and halves per successful one). Default 20000.
         */
        maxThrottledDelayMs?: number;
        /**
         * Longest silence in the task log while a stack operation runs, in milliseconds: after
         * it, a "Still working" line names the resources in progress. Default 30000.
         */
        heartbeatMs?: number;
        /**
         * Attempts per call when the connection fails or CloudFormation answers 5xx, on top of
         * the SDK's own retries (a whole number, 1 or more). Default 6.
         */
        maxTransientAttempts?: number;
      };
    };
  };
}
