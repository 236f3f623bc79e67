import {
  compareQuantities,
  parseQuantity,
  parseQuantityParts,
  quantityMilliValue,
  quantityValue,
  scaledQuantity,
} from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['100m', 0.1],
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1.', 1],
    ['+1', 1],
    ['-1', -1],
    [' 2 ', 2],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['2E', 2e18],
    ['1n', 1e-9],
    ['1u', 1e-6],
    ['1Ki', 1024],
    ['512Mi', 512 * 1024 ** 2],
    ['2Gi', 2 * 1024 ** 3],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['1Ti', 1024 ** 4],
    ['1Pi', 1024 ** 5],
    ['1Ei', 1024 ** 6],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['1.5e+2', 150],
    [4, 4],
    [0.25, 0.25],
    ['abc', undefined],
    ['1Gb', undefined],
    ['1K', undefined],
    ['1e3Mi', undefined],
    ['1.2.3', undefined],
    ['Mi', undefined],
    ['.', undefined],
    ['', undefined],
    [true, undefined],
    [undefined, undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
  ])('%p -> %p', (input, expected) => {
    expect(parseQuantity(input)).toBe(expected);
  });

  it('keeps the digits exact', () => {
    expect(parseQuantityParts('0012.50Mi')).toEqual({
      negative: false,
      digits: '1250',
      exponent: -2,
      binaryExponent: 20,
    });
  });
});

describe('scaled values', () => {
  it.each([
    ['100m', 100],
    ['0.1', 100],
    ['1.1', 1100],
    ['2', 2000],
    ['250m', 250],
    ['0.0001', 1],
    ['1n', 1],
    ['1e-3', 1],
    [1.5, 1500],
    ['-0.0001', -1],
    ['1Ki', 1024000],
    ['x', undefined],
  ])('milli value of %p is %p', (input, expected) => {
    expect(quantityMilliValue(input)).toBe(expected);
  });

  it.each([
    ['512Mi', 512 * 2 ** 20],
    ['1G', 1e9],
    ['0.1Gi', 107374183],
    ['100m', 1],
    ['1.5', 2],
    ['110', 110],
    ['1e3', 1000],
    ['1Gb', undefined],
  ])('value of %p is %p', (input, expected) => {
    expect(quantityValue(input)).toBe(expected);
  });

  it('scales to any power of ten', () => {
    expect(scaledQuantity('1.5G', 6)).toBe(1500);
    expect(scaledQuantity('1', -9)).toBe(1e9);
  });
});

describe('compareQuantities', () => {
  it.each([
    ['1Gi', '1024Mi', 0],
    ['1100m', '1.1', 0],
    ['0.1', '100m', 0],
    ['1k', '1e3', 0],
    ['1Gi', '1G', 1],
    ['1Gi', '2Gi', -1],
    ['-1', '1m', -1],
    [3, '2', 1],
    ['1e400', '1e399', 1],
    ['abc', '1', undefined],
    ['1', undefined, undefined],
  ])('%p vs %p -> sign %p', (a, b, sign) => {
    const result = compareQuantities(a, b);
    expect(result === undefined ? undefined : Math.sign(result)).toBe(sign);
  });

  it('stays exact where floats are not', () => {
    expect(compareQuantities('9007199254740993', '9007199254740992')).toBe(1);
  });
});
