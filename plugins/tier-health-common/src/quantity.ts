const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
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
 * Parses a Kubernetes quantity (`500m`, `2`, `1Gi`, `1e3`) into its plain number; `undefined`
 * for a malformed value so callers can treat it as absent.
 *
 * @public
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match =
    /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)$/.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const factor = BINARY[match[2]] ?? DECIMAL[match[2]];
  return Number(match[1]) * factor;
}

/** CPU quantity in millicores (rounded up, as the scheduler counts). @public */
export function cpuMillis(value: unknown): number {
  const cores = parseQuantity(value);
  return cores === undefined ? 0 : Math.ceil(cores * 1000 - 1e-9);
}

/** Memory quantity in bytes. @public */
export function memoryBytes(value: unknown): number {
  return Math.ceil(parseQuantity(value) ?? 0);
}
