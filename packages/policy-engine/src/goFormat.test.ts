import {
  formatGoDuration,
  formatQuantity,
  formatRfc3339,
  parseGoLayout,
  parseRfc3339,
} from './goFormat';
import { semverSatisfies } from './semver';

// The formats Kyverno's functions print come from Go: time.Duration.String(),
// time.RFC3339 and resource.Quantity.String().
describe('Go formats used by Kyverno functions', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [1, '1ns'],
    [1500, '1.5µs'],
    [2_500_000, '2.5ms'],
    [1e9, '1s'],
    [90e9, '1m30s'],
    [3600e9, '1h0m0s'],
    [5400e9 + 5e8, '1h30m0.5s'],
    [-60e9, '-1m0s'],
  ])('Duration.String(%p) = %p', (ns, expected) => {
    expect(formatGoDuration(ns)).toBe(expected);
  });

  it.each<[number, boolean, string]>([
    [1536 * 2 ** 20, true, '1536Mi'],
    [2 ** 30, true, '1Gi'],
    [1.5, false, '1500m'],
    [2000, false, '2k'],
    [0, true, '0'],
    [100, true, '100'],
    [0.25, true, '250m'],
  ])('Quantity.String(%p, binary %p) = %p', (value, binary, expected) => {
    expect(formatQuantity(value, binary)).toBe(expected);
  });

  it('RFC 3339 keeps the zone offset and reads fractions', () => {
    const t = parseRfc3339('2021-01-02T15:04:05.5+03:00');
    expect(t.fractionNs).toBe(5e8);
    expect(formatRfc3339(t)).toBe('2021-01-02T15:04:05+03:00');
    expect(() => parseRfc3339('2021-01-02 15:04:05')).toThrow();
  });

  it.each<[string, string, string]>([
    ['2006-01-02', '2023-07-04', '2023-07-04T00:00:00Z'],
    ['02 Jan 06 15:04 MST', '04 Jul 23 10:30 UTC', '2023-07-04T10:30:00Z'],
    [
      '2006-01-02T15:04:05.000Z07:00',
      '2023-07-04T10:30:00.123+02:00',
      '2023-07-04T10:30:00+02:00',
    ],
    ['Jan _2 3:04PM', 'Jul  4 1:05PM', '0001-07-04T13:05:00Z'],
  ])('time.Parse(%p, %p)', (layout, value, expected) => {
    expect(formatRfc3339(parseGoLayout(layout, value))).toBe(expected);
  });
});

describe('semver ranges (blang/semver, as semver_compare reads them)', () => {
  it.each<[string, string, boolean]>([
    ['1.2.3', '1.2.3', true],
    ['1.2.3', '=1.2.3', true],
    ['1.2.3', '!1.2.3', false],
    ['1.2.4', '>1.2.3', true],
    ['1.2.3', '>=1.2.3 <1.3.0', true],
    ['1.3.0', '>=1.2.3 <1.3.0', false],
    ['2.0.0', '<1.0.0 || >=2.0.0', true],
    ['1.2.9', '1.2.x', true],
    ['1.3.0', '1.2.x', false],
    ['1.0.0-alpha', '<1.0.0', true],
    ['1.0.0-alpha.2', '>1.0.0-alpha.1', true],
  ])('%s satisfies %p: %p', (version, range, expected) => {
    expect(semverSatisfies(version, range)).toBe(expected);
  });

  it('rejects non-semver input', () => {
    expect(() => semverSatisfies('1.2', '>1.0.0')).toThrow();
    expect(() => semverSatisfies('1.2.3', '>banana')).toThrow();
  });
});
