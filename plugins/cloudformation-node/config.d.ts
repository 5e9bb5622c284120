export interface Config {
  aws?: {
    /**
     * Where CloudFormation stacks may be deployed (`aws:cloudformation:deploy`, `aws:cloudformation:delete`) and read
     * (the CloudFormation entity card). Credentials come from `aws.mainAccount` /
     * `aws.accounts` as usual; these keys only say which targets are allowed.
     *
     * Nothing is allowed until an operator says so: with no `allowedAccountIds`, every
     * deploy is refused, and with neither `allowedRegions` nor `defaultRegion`, every
     * region is refused. Refusals happen before any AWS call.
     */
    cloudformation?: {
      /**
       * AWS account ids (12 digits) stacks may be deployed to. Missing or empty: every deploy
       * is refused. When exactly one account is listed, a deploy without an `accountId`
       * input goes to it; with several, the input must name one of them.
       */
      allowedAccountIds?: string[];
      /**
       * AWS regions stacks may be deployed to, e.g. `[eu-west-1, eu-central-1]`. Missing or
       * empty: only `defaultRegion` is allowed (and nothing if that is not set either).
       */
      allowedRegions?: string[];
      /** Region used when a deploy gives no `region` input, e.g. `eu-west-1`. */
      defaultRegion?: string;
    };
  };
}
