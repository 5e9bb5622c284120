import {
  hasOperationFailed,
  isFailed,
  isInProgress,
  isRollback,
  OPERATION_START_STATUSES,
  OPERATION_SUCCEEDED_STATUSES,
  stackPhaseOf,
  toneOfStatus,
} from './stackStatus';

// Every stack status CloudFormation has, and the resource-only ones, with what each one means.
describe.each`
  status                                            | inProgress | failed   | rollback | operationFailed | phase            | tone
  ${'CREATE_IN_PROGRESS'}                           | ${true}    | ${false} | ${false} | ${false}        | ${'in-progress'} | ${'running'}
  ${'CREATE_FAILED'}                                | ${false}   | ${true}  | ${false} | ${true}         | ${'failed'}      | ${'error'}
  ${'CREATE_COMPLETE'}                              | ${false}   | ${false} | ${false} | ${false}        | ${'complete'}    | ${'ok'}
  ${'ROLLBACK_IN_PROGRESS'}                         | ${true}    | ${false} | ${true}  | ${true}         | ${'in-progress'} | ${'running'}
  ${'ROLLBACK_FAILED'}                              | ${false}   | ${true}  | ${true}  | ${true}         | ${'failed'}      | ${'error'}
  ${'ROLLBACK_COMPLETE'}                            | ${false}   | ${false} | ${true}  | ${true}         | ${'failed'}      | ${'error'}
  ${'DELETE_IN_PROGRESS'}                           | ${true}    | ${false} | ${false} | ${false}        | ${'in-progress'} | ${'running'}
  ${'DELETE_FAILED'}                                | ${false}   | ${true}  | ${false} | ${true}         | ${'failed'}      | ${'error'}
  ${'DELETE_COMPLETE'}                              | ${false}   | ${false} | ${false} | ${false}        | ${'complete'}    | ${'gone'}
  ${'DELETE_SKIPPED'}                               | ${false}   | ${false} | ${false} | ${false}        | ${'complete'}    | ${'gone'}
  ${'UPDATE_IN_PROGRESS'}                           | ${true}    | ${false} | ${false} | ${false}        | ${'in-progress'} | ${'running'}
  ${'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'}          | ${true}    | ${false} | ${false} | ${false}        | ${'in-progress'} | ${'running'}
  ${'UPDATE_COMPLETE'}                              | ${false}   | ${false} | ${false} | ${false}        | ${'complete'}    | ${'ok'}
  ${'UPDATE_FAILED'}                                | ${false}   | ${true}  | ${false} | ${true}         | ${'failed'}      | ${'error'}
  ${'UPDATE_ROLLBACK_IN_PROGRESS'}                  | ${true}    | ${false} | ${true}  | ${true}         | ${'in-progress'} | ${'running'}
  ${'UPDATE_ROLLBACK_FAILED'}                       | ${false}   | ${true}  | ${true}  | ${true}         | ${'failed'}      | ${'error'}
  ${'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'} | ${true}    | ${false} | ${true}  | ${true}         | ${'in-progress'} | ${'running'}
  ${'UPDATE_ROLLBACK_COMPLETE'}                     | ${false}   | ${false} | ${true}  | ${true}         | ${'failed'}      | ${'warning'}
  ${'REVIEW_IN_PROGRESS'}                           | ${true}    | ${false} | ${false} | ${false}        | ${'in-progress'} | ${'running'}
  ${'IMPORT_IN_PROGRESS'}                           | ${true}    | ${false} | ${false} | ${false}        | ${'in-progress'} | ${'running'}
  ${'IMPORT_COMPLETE'}                              | ${false}   | ${false} | ${false} | ${false}        | ${'complete'}    | ${'ok'}
  ${'IMPORT_ROLLBACK_IN_PROGRESS'}                  | ${true}    | ${false} | ${true}  | ${true}         | ${'in-progress'} | ${'running'}
  ${'IMPORT_ROLLBACK_FAILED'}                       | ${false}   | ${true}  | ${true}  | ${true}         | ${'failed'}      | ${'error'}
  ${'IMPORT_ROLLBACK_COMPLETE'}                     | ${false}   | ${false} | ${true}  | ${true}         | ${'failed'}      | ${'error'}
`(
  '$status',
  ({ status, inProgress, failed, rollback, operationFailed, phase, tone }) => {
    it('is classified', () => {
      expect({
        inProgress: isInProgress(status),
        failed: isFailed(status),
        rollback: isRollback(status),
        operationFailed: hasOperationFailed(status),
        phase: stackPhaseOf(status),
        tone: toneOfStatus(status),
      }).toEqual({
        inProgress,
        failed,
        rollback,
        operationFailed,
        phase,
        tone,
      });
    });
  },
);

describe('operation boundaries', () => {
  it('opens an operation only on a status that starts work', () => {
    for (const status of OPERATION_START_STATUSES) {
      expect(isInProgress(status)).toBe(true);
      expect(isRollback(status)).toBe(false);
    }
    expect(OPERATION_START_STATUSES.has('DELETE_IN_PROGRESS')).toBe(false);
  });

  it('counts only completions that leave the stack in use as success', () => {
    expect([...OPERATION_SUCCEEDED_STATUSES].map(toneOfStatus)).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
  });
});
