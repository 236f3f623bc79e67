/**
 * Kubernetes resource quantities (`250m`, `2`, `512Mi`, `1G`, `1e3`) as plain numbers:
 * CPU in millicores, everything else in base units (bytes for memory).
 */

const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};
const DECIMAL_SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * Parses a quantity into its value in base units; unparseable or missing values count as 0 so
 * one odd manifest cannot break scheduling for everyone.
 *
 * @param value - a quantity string or number
 */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
  if (typeof value !== 'string') return 0;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(
    value.trim(),
  );
  if (!match) return 0;
  const number = Number(match[1]);
  const suffix = match[2];
  const factor = BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix];
  if (!Number.isFinite(number) || factor === undefined) return 0;
  return number * factor;
}

/**
 * Parses a CPU quantity into whole millicores (`250m` → 250, `2` → 2000).
 *
 * @param value - a quantity string or number
 */
export function parseCpuMillis(value: unknown): number {
  return Math.round(parseQuantity(value) * 1000);
}

/**
 * Parses a memory quantity into bytes (`512Mi` → 536870912).
 *
 * @param value - a quantity string or number
 */
export function parseMemoryBytes(value: unknown): number {
  return Math.round(parseQuantity(value));
}
