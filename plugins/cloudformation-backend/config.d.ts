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
}
