import { parseQuantity as kubeParseQuantity } from '@internal/kube-model';
import { parseQuantity } from './index';
import { compareScalars, parseDuration } from './quantity';

// Quantity parsing is table-tested in @internal/kube-model.
describe('parseQuantity', () => {
  it('is the shared Kubernetes quantity parser', () => {
    expect(parseQuantity).toBe(kubeParseQuantity);
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
    ['0.1', '100m', 0],
    ['1.1s', '1100ms', 0],
    ['90m', '1h', 1],
    ['1Gi', '2Gi', -1],
    [3, '2', 1],
    ['abc', '1', undefined],
  ])('%p vs %p -> sign %p', (a, b, sign) => {
    const r = compareScalars(a, b);
    expect(r === undefined ? undefined : Math.sign(r)).toBe(sign);
  });
});
