import { wayForward } from './status';

describe('wayForward', () => {
  it.each([
    [
      'ROLLBACK_COMPLETE',
      /^The first create rolled back .*run the template again with the same values/,
    ],
    ['REVIEW_IN_PROGRESS', /^A change set was made but never executed/],
    ['CREATE_COMPLETE', undefined],
    ['UPDATE_ROLLBACK_COMPLETE', undefined],
    ['CREATE_FAILED', undefined],
  ])('for %s', (status, advice) => {
    if (advice) expect(wayForward(status)).toMatch(advice);
    else expect(wayForward(status)).toBeUndefined();
  });
});
