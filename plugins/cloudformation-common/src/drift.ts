/** One property that differs between the template and the resource in AWS. */
export interface CloudFormationPropertyDifference {
  path: string;
  type: 'ADD' | 'REMOVE' | 'NOT_EQUAL' | string;
  /** JSON text; `****` when the property may hold a secret. */
  expected?: string;
  actual?: string;
}

/** One resource's result of the latest drift detection. */
export interface CloudFormationResourceDrift {
  logicalId: string;
  physicalId?: string;
  type: string;
  status:
    'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED' | 'UNKNOWN' | string;
  /** ISO 8601 */
  checkedAt?: string;
  differences: CloudFormationPropertyDifference[];
}

/** The stack's drift as CloudFormation last detected it. */
export interface CloudFormationStackDrift {
  stackName: string;
  /** `NOT_CHECKED` until someone ran a detection. */
  status: 'IN_SYNC' | 'DRIFTED' | 'NOT_CHECKED' | 'UNKNOWN' | string;
  /** ISO 8601 */
  checkedAt?: string;
  resources: CloudFormationResourceDrift[];
  /** Set by a detection this request ran. */
  detection?: {
    id: string;
    status:
      | 'DETECTION_COMPLETE'
      | 'DETECTION_FAILED'
      | 'DETECTION_IN_PROGRESS'
      | string;
    /** Why detection failed or checked only part of the stack, in CloudFormation's words. */
    reason?: string;
    driftedResources?: number;
  };
}

/**
 * Body of `GET /api/cloudformation/drift/by-entity/:kind/:namespace/:name` and of
 * `POST …/detect` with status 200.
 */
export type CloudFormationDriftAnswer =
  | {
      status: 'available';
      /** ISO 8601 */
      retrievedAt: string;
      drift: CloudFormationStackDrift;
      /** Whether the caller may start a detection (`cloudformation.stack.drift.detect`). */
      canDetect: boolean;
    }
  | {
      status: 'unavailable';
      reason: 'not-configured' | 'not-allowed' | 'access-denied';
      message: string;
    };
