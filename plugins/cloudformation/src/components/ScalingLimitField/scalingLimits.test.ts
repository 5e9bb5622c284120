import { scalingLimitProblems, validateScalingLimit } from './scalingLimits';

describe('scalingLimitProblems', () => {
  it.each([
    [4, 2, 2, []],
    [4, 1, 4, []],
    [
      3,
      6,
      2,
      [
        'The most tasks (3) is below the fewest tasks (6): raise the most or lower the fewest.',
      ],
    ],
    [
      8,
      6,
      2,
      [
        'The tasks at start (2) must lie between the fewest (6) and the most (8) tasks.',
      ],
    ],
    [
      8,
      2,
      9,
      [
        'The tasks at start (9) must lie between the fewest (2) and the most (8) tasks.',
      ],
    ],
    // Not all typed yet: nothing to compare.
    [undefined, 6, 2, []],
    [4, undefined, 9, []],
  ])('most %p, fewest %p, at start %p', (max, min, desired, expected) => {
    expect(scalingLimitProblems(max, min, desired)).toEqual(expected);
  });

  it('validates against the fields its ui:options name', () => {
    const addError = jest.fn();
    validateScalingLimit(
      3,
      { addError },
      {
        formData: { fewest: 5, atStart: 5 },
        uiSchema: {
          'ui:options': { minField: 'fewest', desiredField: 'atStart' },
        },
      },
    );
    expect(addError).toHaveBeenCalledWith(
      'The most tasks (3) is below the fewest tasks (5): raise the most or lower the fewest.',
    );
  });
});
