import { isRecord } from './values';

describe('isRecord', () => {
  it.each([
    [{}, true],
    [{ Type: 'AWS::S3::Bucket' }, true],
    [[], false],
    [null, false],
    ['Resources', false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(isRecord(value)).toBe(expected);
  });
});
