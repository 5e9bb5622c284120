/**
 * Where the stack's latest operation stands, derived from its status so clients need not parse
 * CloudFormation's status names: `failed` covers rollbacks and `*_FAILED` states.
 */
export type CloudFormationStackPhase = 'complete' | 'in-progress' | 'failed';

/** One stack output. */
export interface CloudFormationStackOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

/** One resource of the stack, with the human description from its template `Metadata`. */
export interface CloudFormationStackResource {
  logicalId: string;
  physicalId?: string;
  type: string;
  status: string;
  reason?: string;
  /** The template's `Metadata['backstage:description']` of this resource, when present. */
  description?: string;
  /** ISO 8601 */
  updatedAt?: string;
}

/** One stack event; lists are newest first. */
export interface CloudFormationStackEvent {
  id: string;
  /** ISO 8601 */
  timestamp: string;
  logicalId: string;
  resourceType?: string;
  status: string;
  reason?: string;
}

/** Why the latest operation failed: the resource that caused it and one human sentence. */
export interface CloudFormationStackFailure {
  logicalResourceId: string;
  resourceType?: string;
  status: string;
  reason: string;
  summary: string;
}

/** A stack as the entity card shows it. */
export interface CloudFormationStack {
  stackName: string;
  stackId: string;
  region: string;
  accountId?: string;
  description?: string;
  status: string;
  statusReason?: string;
  phase: CloudFormationStackPhase;
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601; the creation time when the stack was never updated. */
  lastUpdatedAt: string;
  outputs: CloudFormationStackOutput[];
  resources: CloudFormationStackResource[];
  /** The latest events, newest first (bounded). */
  events: CloudFormationStackEvent[];
  /** Present when the latest operation failed or is rolling back and a cause could be found. */
  failure?: CloudFormationStackFailure;
  /** The stack in the AWS console (commercial partition only). */
  consoleUrl?: string;
  /**
   * Parts of the view that could not be read, each with one sentence saying why and what to check.
   * Status and outputs come with the stack itself; each other part is read, and fails, on its own.
   */
  unreadable?: Partial<Record<CloudFormationStackPart, string>>;
}

/** The parts of the stack view read with calls of their own (ListStackResources, DescribeStackEvents). */
export type CloudFormationStackPart = 'resources' | 'events';

/**
 * Why the stack cannot be read although the entity names one — all of them are fixed by a
 * platform engineer, not by the entity's owner.
 * - `not-configured`: no AWS credentials or region for the stack's account
 * - `not-allowed`: the account or region is outside `aws.cloudformation.allowedAccountIds`/`allowedRegions`
 * - `access-denied`: AWS rejected the credentials or the IAM policy lacks a read permission
 */
export type CloudFormationUnavailableReason =
  'not-configured' | 'not-allowed' | 'access-denied';

/**
 * Body of `GET /api/cloudformation/stacks/by-entity/:kind/:namespace/:name` with status 200.
 * Missing entities, entities without the stack annotation and missing stacks answer 404 instead.
 */
export type CloudFormationStackAnswer =
  | {
      status: 'available';
      /** ISO 8601; answers are cached for a few seconds. */
      retrievedAt: string;
      stack: CloudFormationStack;
    }
  | {
      status: 'unavailable';
      reason: CloudFormationUnavailableReason;
      /** What a platform engineer should configure; never contains credentials. */
      message: string;
    };

/** An AWS account stacks may be deployed to (`aws.cloudformation.allowedAccountIds`). */
export interface CloudFormationDeployAccount {
  /** 12 digits. */
  accountId: string;
  /** Friendly name from `aws.cloudformation.accountLabels`, when the platform team gave one. */
  label?: string;
}

/**
 * Body of `GET /api/cloudformation/deploy-targets`: where `aws:cloudformation:deploy` may deploy,
 * for forms that let developers choose instead of typing. Empty lists mean deploys are refused.
 */
export interface CloudFormationDeployTargets {
  accounts: CloudFormationDeployAccount[];
  /** `aws.cloudformation.allowedRegions`, or only `defaultRegion` when that list is empty. */
  regions: string[];
  /** `aws.cloudformation.defaultRegion`, present only when it is one of `regions`. */
  defaultRegion?: string;
}
