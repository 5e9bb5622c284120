import { addButtonLabel } from './LabelledListField';

describe('addButtonLabel', () => {
  it.each([
    [
      { addLabel: 'Add a public subnet' },
      'Public subnet id',
      'Add a public subnet',
    ],
    [{}, 'Public subnet id', 'Add public subnet id'],
    [undefined, undefined, 'Add an item'],
  ])('with options %j and item title %j says %j', (options, title, label) => {
    expect(addButtonLabel(options, title)).toBe(label);
  });
});
