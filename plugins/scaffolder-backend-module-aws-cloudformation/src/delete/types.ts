/** What happens to one resource when its stack is deleted. */
export type ResourceFate = 'delete' | 'retain' | 'snapshot';

/** One live resource of the stack and its fate, read from the template's `DeletionPolicy`. */
export type DeletionPlanRow = {
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  fate: ResourceFate;
  /** Why: e.g. `DeletionPolicy: Retain`, `retainResources input`, `RDS default (Snapshot)`. */
  because: string;
};

/** One deletion of one stack. */
export type DeleteRequest = {
  stackName: string;
  /** The catalog entity retiring it: the stack must carry this `backstage:entity-ref` tag. */
  entityRef: string;
  /** Refuse a stack whose ARN shows another account (credentials pointing elsewhere). */
  expectedAccountId?: string;
  /**
   * Logical ids CloudFormation should leave in place. Only accepted for a stack in `DELETE_FAILED`
   * (as CloudFormation does), to get past a resource that cannot be deleted.
   */
  retainResources: string[];
  /** CloudFormation service role used for the deletion. */
  roleArn?: string;
  timeoutMinutes: number;
  /** Stable for one attempt and across its restarts; names the delete's client request token. */
  idempotencyKey: string;
};

/** What a deletion would do, read without changing anything. */
export type DeletionPlan = {
  /** `undefined` when there is no such stack (nothing to delete). */
  stackId?: string;
  stackStatus?: string;
  rows: DeletionPlanRow[];
};

/** How a deletion ended. */
export type DeleteResult = {
  stackId?: string;
  stackName: string;
  /** `DELETE_COMPLETE`, or `NOT_FOUND` when there was no stack to delete. */
  stackStatus: string;
  /** Whether this run deleted the stack (false when it was already gone). */
  deleted: boolean;
  plan: DeletionPlanRow[];
};
