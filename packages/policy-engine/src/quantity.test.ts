import { compareScalars, parseDuration, parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['100m', 0.1],
    ['2Gi', 2 * 1024 ** 3],
    ['512Mi', 512 * 1024 ** 2],
    ['1k', 1000],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['2E', 2e18],
    [4, 4],
    ['abc', undefined],
    ['1Gb', undefined],
    ['', undefined],
    [true, undefined],
  ])('%p -> %p', (input, expected) => {
    expect(parseQuantity(input)).toBe(expected);
  });
});

describe('parseDuration', () => {
  it.each([
    ['1h30m', 5400e9],
    ['300ms', 300e6],
    ['1.5h', 5400e9],
    ['0', 0],
    ['-2s', -2e9],
    ['5', undefined],
    ['1x', undefined],
  ])('%p -> %p', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });
});

describe('compareScalars', () => {
  it.each([
    ['1Gi', '1024Mi', 0],
    ['1100m', '1.1', 0],
    ['90m', '1h', 1],
    ['1Gi', '2Gi', -1],
    [3, '2', 1],
    ['abc', '1', undefined],
  ])('%p vs %p -> sign %p', (a, b, sign) => {
    const r = compareScalars(a, b);
    expect(r === undefined ? undefined : Math.sign(r)).toBe(sign);
  });
});
