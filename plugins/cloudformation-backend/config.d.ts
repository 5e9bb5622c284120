export interface Config {
  aws?: {
    cloudformation?: {
      /**
       * Friendly names for accounts of `aws.cloudformation.allowedAccountIds`, shown next to the
       * id where developers choose a deploy target (the `AwsDeployTargetPicker` form field), e.g.
       * `[{ accountId: '111122223333', label: 'Payments production' }]`. Entries for accounts
       * outside the allowlist are ignored.
       */
      accountLabels?: Array<{
        /** The account id (12 digits). */
        accountId: string;
        /** The name shown for it. */
        label: string;
      }>;
    };
  };
  /** The CloudFormation card's backend (plugin id `cloudformation`). */
  cloudformation?: {
    /**
     * How long answers read from AWS are kept in the plugin cache, shared by every caller allowed
     * to read the entity. Each value is in seconds, above 0; a key left out takes its default.
     */
    cache?: {
      /**
       * A settled stack (status, outputs, resources, events), in seconds. Default 30: it changes
       * only when someone deploys, and 30 s keeps a busy entity page cheap.
       */
      stackSeconds?: number;
      /**
       * A stack in progress, or one a part of which could not be read, in seconds. Default 5: the
       * card polls it and should show progress, or a fixed endpoint, within seconds.
       */
      stackInProgressSeconds?: number;
      /**
       * A stack's secrets (KMS key, rotation, task freshness, readers from CloudTrail), in seconds.
       * Default 60: they change slowly, CloudTrail delivers events minutes late, and a minute keeps
       * LookupEvents (2 requests per second per account and region) far from its limit.
       */
      secretsSeconds?: number;
      /** Secrets of which a part was throttled, in seconds. Default 5: retried sooner. */
      secretsDegradedSeconds?: number;
      /**
       * A stack's drift, in seconds. Default 30: drift changes only when someone runs a detection,
       * which refreshes the cache itself.
       */
      driftSeconds?: number;
    };
  };
}
