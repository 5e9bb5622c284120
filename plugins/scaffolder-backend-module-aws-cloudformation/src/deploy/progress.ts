import type { StackEvent } from '@aws-sdk/client-cloudformation';
import {
  isInProgress,
  isRollback,
} from '@golden-path/plugin-cloudformation-common';
import { isStackEvent } from '@golden-path/plugin-cloudformation-node';

type ResourceState = { status: string; type: string; since: number };

/** Follows resource statuses during an operation for the progress and heartbeat lines. */
export class ProgressTracker {
  private readonly states = new Map<string, ResourceState>();
  private stackStatus: string | undefined;
  private reported = 0;

  /** @param resources - logical ids the change set touches (the "M" of "N of M"). */
  constructor(private readonly resources: string[]) {}

  record(event: StackEvent): void {
    if (isStackEvent(event)) {
      this.stackStatus = event.ResourceStatus;
      return;
    }
    if (!event.LogicalResourceId || !event.ResourceStatus) {
      return;
    }
    const previous = this.states.get(event.LogicalResourceId);
    this.states.set(event.LogicalResourceId, {
      status: event.ResourceStatus,
      type: event.ResourceType ?? 'unknown',
      // Keep when the resource started working, not when it last reported.
      since:
        previous && isInProgress(previous.status)
          ? previous.since
          : (event.Timestamp?.getTime() ?? Date.now()),
    });
  }

  /** Number of the change set's resources that finished their change. */
  completed(): number {
    return this.resources.filter(id => {
      const status = this.states.get(id)?.status ?? '';
      return (
        (status.endsWith('_COMPLETE') || status === 'DELETE_SKIPPED') &&
        !isRollback(status)
      );
    }).length;
  }

  /** "N of M resources complete" when N grew since the last call; nothing while rolling back. */
  progressLine(): string | undefined {
    const done = this.completed();
    if (done <= this.reported || isRollback(this.stackStatus ?? '')) {
      return undefined;
    }
    this.reported = done;
    return `Progress: ${done} of ${this.resources.length} resources complete`;
  }

  /** Resources still working, longest-running first, e.g. `Database (AWS::RDS::DBInstance) for 4m 10s`. */
  inProgress(now: number): string[] {
    return [...this.states]
      .filter(([, state]) => isInProgress(state.status))
      .sort((a, b) => a[1].since - b[1].since)
      .map(
        ([id, state]) =>
          `${id} (${state.type}) for ${formatDuration(now - state.since)}`,
      );
  }
}

/** `45s`, `4m 10s`, `1h 2m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m ${seconds % 60}s`;
  }
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
