import {
  formatPublishRecord,
  parsePublishRecord,
  PublishRecord,
  unfinishedRunRefusal,
} from './unfinishedRun';

const record: PublishRecord = {
  key: 'task-1/publish-local',
  taskId: 'task-1',
  entityRef: 'component:default/orders',
};
const alice = 'user:default/alice';

describe('unfinishedRunRefusal', () => {
  it.each([
    [
      'continues a failed run of the same entity by the same user',
      record,
      { status: 'failed', createdBy: alice },
      { entityRef: 'component:default/orders', createdBy: alice },
      undefined,
    ],
    [
      'continues a cancelled run, the entity ref compared case-insensitively',
      record,
      { status: 'cancelled', createdBy: alice },
      { entityRef: 'Component:default/Orders', createdBy: alice },
      undefined,
    ],
    [
      'continues a failed run started with a service token by a service token',
      record,
      { status: 'failed' },
      { entityRef: 'component:default/orders', createdBy: '' },
      undefined,
    ],
    [
      'refuses a finished service',
      record,
      { status: 'completed', createdBy: alice },
      { entityRef: 'component:default/orders', createdBy: alice },
      'it belongs to a finished service (task task-1 completed)',
    ],
    [
      'refuses while the earlier task still runs',
      record,
      { status: 'processing', createdBy: alice },
      { entityRef: 'component:default/orders', createdBy: alice },
      'task task-1 is still creating it (processing); wait for that task to end',
    ],
    [
      "refuses another user's unfinished run",
      record,
      { status: 'failed', createdBy: 'user:default/bob' },
      { entityRef: 'component:default/orders', createdBy: alice },
      'the earlier unfinished run was started by user:default/bob, not by user:default/alice',
    ],
    [
      'refuses a repository published for another entity',
      { ...record, entityRef: 'component:default/billing' },
      { status: 'failed', createdBy: alice },
      { entityRef: 'component:default/orders', createdBy: alice },
      'it was published for component:default/billing',
    ],
    [
      'refuses a repository that records no entity',
      { key: 'task-1/publish-local', taskId: 'task-1' },
      { status: 'failed', createdBy: alice },
      { entityRef: 'component:default/orders', createdBy: alice },
      'it records no catalog entity, so it is not known to be an earlier run of this service',
    ],
    [
      'refuses when the scaffolder does not know the task',
      record,
      undefined,
      { entityRef: 'component:default/orders', createdBy: alice },
      'the task that published it (task-1) is not known to the scaffolder, so it cannot be told apart from a finished service',
    ],
  ])('%s', (_case, stored, earlier, current, refusal) => {
    expect(unfinishedRunRefusal(stored, earlier, current)).toBe(refusal);
  });
});

describe('publish records', () => {
  it('reads what it writes', () => {
    expect(parsePublishRecord(formatPublishRecord(record))).toEqual(record);
  });

  it('reads the key-only file of repositories published before, without an entity', () => {
    expect(parsePublishRecord('task-9/publish-local\n')).toEqual({
      key: 'task-9/publish-local',
      taskId: 'task-9',
    });
  });

  it.each([[''], ['{"key": 1}'], ['{not json']])(
    'reads %j as no record',
    text => {
      expect(parsePublishRecord(text)).toBeUndefined();
    },
  );
});
