import type { Capability } from '@aws-sdk/client-cloudformation';
import type { ResourceChangeRow } from './changeTable';

/** What CloudFormation does when creating or updating the stack fails. */
export type OnFailure = 'ROLLBACK' | 'DO_NOTHING' | 'DELETE';

/** Who owns a stack: written as tags on create, checked before any change. */
export type StackOwnership = {
  /** Catalog entity the stack belongs to (`backstage:entity-ref` tag). */
  entityRef: string;
  /** Scaffolder template that created it (`backstage:template` tag). */
  templateRef?: string;
};

/** One deploy of a template to a stack. */
export type DeployRequest = {
  stackName: string;
  templateBody: string;
  /** Parameter values; template parameters left out keep their previous value on update. */
  parameters: Record<string, string>;
  /** Stack tags (propagated to resources); the ownership tags are added. */
  tags: Record<string, string>;
  capabilities: Capability[];
  /** CloudFormation service role. */
  roleArn?: string;
  /** Set termination protection to this value after a successful deploy; unchanged when undefined. */
  terminationProtection?: boolean;
  onFailure: OnFailure;
  /** How long the stack operation may take before the deploy gives up (and cancels an update). */
  timeoutMinutes: number;
  /** `false` creates and describes the change set for review without executing it. */
  execute: boolean;
  failOnEmptyChangeSet: boolean;
  owner: StackOwnership;
  /** Refuse to touch a stack whose ARN shows another account (credentials pointing elsewhere). */
  expectedAccountId?: string;
  /**
   * Stable for one deploy attempt and across its restarts (the action derives it from the task
   * id); names the change set and the idempotency tokens so repeated calls do not repeat work.
   */
  idempotencyKey: string;
};

/** How a deploy ended. */
export type DeployResult = {
  stackId: string;
  stackName: string;
  stackStatus: string;
  changeSetId?: string;
  /** Whether the change set had changes (and, when executed, they were applied). */
  changed: boolean;
  /** Whether the change set was executed. */
  executed: boolean;
  /** Stack outputs, secret-looking values masked. */
  outputs: Record<string, string>;
  changes: ResourceChangeRow[];
};

/** The log the engine writes progress to (the scaffolder's `ctx.logger` fits). */
export interface DeployLogger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Runs `fn` once per `key` even across restarts: a recovered task gets the value stored by
 * the first run instead of running `fn` again (the scaffolder's `ctx.checkpoint` fits).
 * Values are plain JSON.
 */
export type Checkpoint = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/** Polling knobs (`aws.cloudformation.timings` in the app config); the defaults suit CloudFormation, tests shrink them. */
export type DeployTimings = {
  /** First delay between polls of a change set or stack. */
  initialPollMs: number;
  /** The delay grows by `pollBackoff` per poll up to this. */
  maxPollMs: number;
  pollBackoff: number;
  /** Longest delay when CloudFormation throttles. */
  maxThrottledDelayMs: number;
  /** Longest silence in the log while waiting. */
  heartbeatMs: number;
  /** Attempts per call when the connection fails (on top of the SDK's own retries). */
  maxTransientAttempts: number;
};

export const DEFAULT_TIMINGS: DeployTimings = {
  initialPollMs: 2_000,
  maxPollMs: 4_000,
  pollBackoff: 1.5,
  maxThrottledDelayMs: 20_000,
  heartbeatMs: 30_000,
  maxTransientAttempts: 6,
};
