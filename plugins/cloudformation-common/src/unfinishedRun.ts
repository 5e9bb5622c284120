/**
 * The "no orphans" rule: a golden-path run that failed leaves its repository, its catalog entity and
 * its stack in place, and running the same values again continues them. This file decides what
 * counts as the same service's unfinished work, for the publish action and for the form's name check.
 */

/** File in a locally published (bare) repository recording which publish made it. */
export const PUBLISH_RECORD_FILE = 'backstage-publish-key';

/** What `local:git:publish` records in a repository it made. */
export interface PublishRecord {
  /** The publish: `<task id>/<step id>`; the same publish repeated after a crash keeps the repository. */
  key: string;
  /** The task that published it. */
  taskId: string;
  /** The catalog entity the repository was published for, when the template said so. */
  entityRef?: string;
}

/** The record as stored: one line of JSON. */
export function formatPublishRecord(record: PublishRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/**
 * Reads a stored record. Repositories published before the record held JSON hold the key alone
 * (`<task id>/<step id>`), which is read as a record without an entity.
 */
export function parsePublishRecord(text: string): PublishRecord | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (!trimmed.startsWith('{')) {
    return { key: trimmed, taskId: trimmed.split('/')[0] };
  }
  try {
    const parsed = JSON.parse(trimmed) as Partial<PublishRecord>;
    if (typeof parsed.key !== 'string' || typeof parsed.taskId !== 'string')
      return undefined;
    return {
      key: parsed.key,
      taskId: parsed.taskId,
      ...(typeof parsed.entityRef === 'string'
        ? { entityRef: parsed.entityRef }
        : {}),
    };
  } catch {
    return undefined;
  }
}

/** What the scaffolder says of the task that published the repository. */
export interface EarlierTask {
  /** The scaffolder's task status: open, processing, completed, failed, cancelled, skipped. */
  status: string;
  /** The user who started it (`user:default/…`); absent for tasks started with a service token. */
  createdBy?: string;
}

/** Task statuses of a run that ended without finishing: its work may be continued. */
const UNFINISHED_ENDS = ['failed', 'cancelled'];

/**
 * Whether a new run for `current.entityRef`, started by `current.createdBy`, may continue the work
 * recorded in `record`: undefined when it may, else why not, in a sentence. It may only when the
 * record names the same entity, the task that made it has ended as failed or cancelled, and the same
 * user (or the same service token) started both. A finished service, one still being created and
 * anyone else's work are never taken over.
 */
export function unfinishedRunRefusal(
  record: PublishRecord,
  earlier: EarlierTask | undefined,
  current: { entityRef: string; createdBy?: string },
): string | undefined {
  if (!record.entityRef) {
    return 'it records no catalog entity, so it is not known to be an earlier run of this service';
  }
  if (record.entityRef.toLowerCase() !== current.entityRef.toLowerCase()) {
    return `it was published for ${record.entityRef}`;
  }
  if (!earlier) {
    return `the task that published it (${record.taskId}) is not known to the scaffolder, so it cannot be told apart from a finished service`;
  }
  if (earlier.status === 'completed') {
    return `it belongs to a finished service (task ${record.taskId} completed)`;
  }
  if (!UNFINISHED_ENDS.includes(earlier.status)) {
    return `task ${record.taskId} is still creating it (${earlier.status}); wait for that task to end`;
  }
  if ((earlier.createdBy || undefined) !== (current.createdBy || undefined)) {
    return `the earlier unfinished run was started by ${earlier.createdBy || 'a service token'}, not by ${current.createdBy || 'this service token'}`;
  }
  return undefined;
}

/**
 * Stack states an earlier failed create leaves and the deploy action continues from when the stack's
 * `backstage:entity-ref` tag names the same entity: a change set waiting (or failed) on an empty stack,
 * and a first create rolled back (deleted and created again).
 */
export const CONTINUABLE_STACK_STATUSES = [
  'REVIEW_IN_PROGRESS',
  'ROLLBACK_COMPLETE',
];
