/**
 * A piece of the secrets answer AWS would not give: the kind of missing access, and what to add
 * (an IAM action, an app-config key), never AWS's own error text.
 */
export interface CloudFormationPartUnavailable {
  status: 'unavailable';
  reason: 'access-denied' | 'not-found' | 'throttled';
  message: string;
}

/** The KMS key that encrypts a secret. */
export interface CloudFormationSecretKey {
  /** `aws-managed` is `aws/secretsmanager`, used when the secret names no key. */
  kind: 'aws-managed' | 'customer';
  /** Key id, key ARN or alias as Secrets Manager reports it; absent for the AWS-managed key. */
  keyId?: string;
  /** The key in the KMS console (commercial partition only). */
  consoleUrl?: string;
}

/** The latest rotation attempt CloudTrail recorded for the secret. */
export interface CloudFormationRotationResult {
  outcome: 'succeeded' | 'failed';
  /** ISO 8601 */
  at: string;
}

/** Rotation settings and history of one secret (`DescribeSecret` and CloudTrail). */
export interface CloudFormationSecretRotation {
  enabled: boolean;
  /** `RotationRules.AutomaticallyAfterDays`, when rotation is scheduled that way. */
  intervalDays?: number;
  /** `RotationRules.ScheduleExpression` (e.g. `rate(30 days)`, `cron(...)`). */
  scheduleExpression?: string;
  /** ISO 8601 */
  lastRotatedAt?: string;
  /** ISO 8601 */
  nextRotationAt?: string;
  /** The rotation Lambda function, for secrets rotated by a function. */
  functionArn?: string;
  /** The service that rotates the secret itself (`rds` for RDS-managed master secrets). */
  managedBy?: string;
  /**
   * A version holds `AWSPENDING` but not `AWSCURRENT`: a rotation is running or did not finish
   * (Secrets Manager's own sign of a failed rotation).
   */
  pendingVersion: boolean;
  /** The latest rotation event in CloudTrail within the window; absent when none was recorded. */
  lastResult?: CloudFormationRotationResult;
}

/**
 * Whether the ECS service's running tasks started after the secret's last rotation: ECS reads a
 * secret only at task start, so older tasks still hold the previous credentials.
 */
export type CloudFormationTaskFreshness =
  | {
      status: 'available';
      /** `current`: every running task started after the last rotation (or it never rotated). */
      state: 'current' | 'stale' | 'no-tasks';
      serviceName: string;
      /** ISO 8601: the primary deployment's creation. */
      primaryDeploymentAt?: string;
      runningTasks: number;
      /** Running tasks that started before the last rotation. */
      staleTasks: number;
      /** ISO 8601 */
      oldestTaskStartedAt?: string;
    }
  | CloudFormationPartUnavailable
  | { status: 'no-service'; message: string };

/** Who a reader of the secret is, as far as the stack tells. */
export type CloudFormationReaderKind =
  'execution-role' | 'task-role' | 'rotation' | 'other';

/** One principal that called `GetSecretValue` on the secret within the window. */
export interface CloudFormationSecretReader {
  /** The IAM role or user ARN (for assumed roles, the role, not the session). */
  principal: string;
  kind: CloudFormationReaderKind;
  /** `other` readers are what a security reviewer looks at. */
  unexpected: boolean;
  reads: number;
  /** Reads AWS refused (e.g. `AccessDenied`). */
  deniedReads: number;
  /** ISO 8601 */
  lastReadAt: string;
  /** Distinct source addresses, at most a few. */
  sourceAddresses: string[];
}

/** The readers of one secret over the window. */
export type CloudFormationSecretReaders =
  | {
      status: 'available';
      readers: CloudFormationSecretReader[];
      /** CloudTrail held more events than the backend reads in one go: counts are a lower bound. */
      truncated: boolean;
    }
  | CloudFormationPartUnavailable;

/** One Secrets Manager secret of the stack. Never carries a secret value. */
export interface CloudFormationSecret {
  arn: string;
  /** Where the stack names it: a resource's logical id or an output key. */
  source: { kind: 'resource' | 'output'; name: string };
  details:
    | {
        status: 'available';
        name: string;
        description?: string;
        key: CloudFormationSecretKey;
        rotation: CloudFormationSecretRotation;
      }
    | CloudFormationPartUnavailable;
  tasks: CloudFormationTaskFreshness;
  readers: CloudFormationSecretReaders;
}

/**
 * Body of `GET /api/cloudformation/secrets/by-entity/:kind/:namespace/:name?windowDays=N`
 * with status 200.
 */
export type CloudFormationSecretsAnswer =
  | {
      status: 'available';
      /** ISO 8601; answers are cached for a minute. */
      retrievedAt: string;
      /** The CloudTrail window in days (1–90). */
      windowDays: number;
      secrets: CloudFormationSecret[];
    }
  | {
      status: 'unavailable';
      reason: 'not-configured' | 'not-allowed' | 'access-denied';
      message: string;
    };
