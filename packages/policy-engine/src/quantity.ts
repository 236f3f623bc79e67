/**
 * Scalar parsing for Kyverno's numeric pattern operators (`>`, `<=`, ranges, ...).
 *
 * Kyverno compares Kubernetes quantities (`2Gi`, `100m`) and Go durations (`1h30m`)
 * as well as plain numbers, so a single comparison helper decides which of the
 * three interpretations applies to a (value, operand) pair.
 */

import { compareQuantities, parseQuantity } from '@internal/kube-model';

const DURATION_UNITS_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const DURATION_RE =
  /^([+-]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;
const DURATION_PART_RE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Parses a Go duration string (`"1h30m"`, `"300ms"`, `"0"`) into nanoseconds.
 * Like Go, a unit is mandatory except for `"0"`. Returns `undefined` otherwise.
 *
 * @public
 */
export function parseDuration(input: unknown): number | undefined {
  if (typeof input !== 'string') {
    return undefined;
  }
  const s = input.trim();
  if (s === '0' || s === '+0' || s === '-0') {
    return 0;
  }
  const m = DURATION_RE.exec(s);
  if (!m) {
    return undefined;
  }
  let total = 0;
  for (const part of m[2].matchAll(DURATION_PART_RE)) {
    total += Number(part[1]) * DURATION_UNITS_NS[part[2]];
  }
  return m[1] === '-' ? -total : total;
}

/** Whether a string/number can take part in a numeric comparison at all. */
export function isComparable(input: unknown): boolean {
  return (
    parseDuration(input) !== undefined || parseQuantity(input) !== undefined
  );
}

/**
 * Compares a resource value with a pattern operand. Durations are used when both
 * sides are durations (so `"90m" > "1h"` works), otherwise quantities/numbers
 * (so `"1Gi" < "2000Mi"` works). Returns a negative, zero or positive number,
 * or `undefined` when the two sides cannot be compared.
 *
 * @public
 */
export function compareScalars(
  value: unknown,
  operand: unknown,
): number | undefined {
  const dv = parseDuration(value);
  const dp = parseDuration(operand);
  if (dv !== undefined && dp !== undefined) {
    return difference(dv, dp);
  }
  // Exact: "1Gi" equals "1024Mi" and "1100m" equals "1.1" without float noise.
  return compareQuantities(value, operand);
}

// Fractional durations ("1.1s" vs "1100ms") are not exact in binary floating
// point and would otherwise differ in the last bit.
function difference(a: number, b: number): number {
  const d = a - b;
  return Math.abs(d) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) ? 0 : d;
}
