/**
 * Kubernetes resource quantities (`250m`, `2`, `1.5Gi`, `1G`, `1e3`), following
 * `k8s.io/apimachinery/pkg/api/resource`: binary suffixes `Ki`…`Ei` are powers of 1024, decimal
 * suffixes `n u m k M G T P E` powers of 1000, `e`/`E` followed by digits a decimal exponent
 * (so `2E` is two exa, `2E3` is 2000). Anything else (`1Gb`, `1e3Mi`, `1K`) is not a quantity.
 *
 * Values are kept exact as decimal digits until converted, so `0.1` is exactly 100 millicores.
 */

/** A parsed quantity: `sign × digits × 10^exponent × 2^binaryExponent`. @public */
export interface Quantity {
  negative: boolean;
  /** The decimal digits without the point, e.g. `15` for `1.5`. */
  digits: string;
  /** Power of ten applied to `digits`. */
  exponent: number;
  /** Power of two from a binary suffix (`Ki` is 10, `Mi` 20, ...). */
  binaryExponent: number;
}

const BINARY: Record<string, number> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

// A decimal exponent (`1e3`) is tried before the `E` (exa) suffix.
const QUANTITY_RE =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/**
 * Parses a quantity string (surrounding whitespace ignored) or a finite number into its parts;
 * `undefined` for anything else.
 *
 * @public
 */
export function parseQuantityParts(input: unknown): Quantity | undefined {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return undefined;
  }
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const [whole, fraction = ''] = m[2].split('.');
  let exponent = -fraction.length;
  let binaryExponent = 0;
  if (m[3] !== undefined) exponent += Number(m[3]);
  else if (m[4] !== undefined && m[4] in BINARY) binaryExponent = BINARY[m[4]];
  else exponent += DECIMAL[m[4] ?? ''];
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  return { negative: m[1] === '-', digits, exponent, binaryExponent };
}

function numberAtScale(q: Quantity, scale: number): number {
  const magnitude =
    Number(`${q.digits}e${q.exponent - scale}`) * 2 ** q.binaryExponent;
  return q.negative ? -magnitude : magnitude;
}

/**
 * Parses a quantity into its plain number (`500m` → 0.5, `1Gi` → 1073741824); `undefined` for
 * anything that is not a quantity.
 *
 * @public
 */
export function parseQuantity(input: unknown): number | undefined {
  const q = parseQuantityParts(input);
  return q && numberAtScale(q, 0);
}

/**
 * The quantity in units of `10^scale`, rounded away from zero to a whole number, like Go's
 * `Quantity.ScaledValue`; `undefined` for anything that is not a quantity.
 *
 * @public
 */
export function scaledQuantity(
  input: unknown,
  scale: number,
): number | undefined {
  const q = parseQuantityParts(input);
  if (!q) return undefined;
  const value = numberAtScale(q, scale);
  // `digits × 10^k` is exact, only the binary factor can add a fraction; no float noise to absorb.
  const rounded = Math.ceil(Math.abs(value));
  return value < 0 ? -rounded : rounded;
}

/** The quantity in thousandths (CPU in millicores), rounded up like `MilliValue()`. @public */
export function quantityMilliValue(input: unknown): number | undefined {
  return scaledQuantity(input, -3);
}

/** The quantity as a whole number (memory in bytes), rounded up like `Value()`. @public */
export function quantityValue(input: unknown): number | undefined {
  return scaledQuantity(input, 0);
}

const TEN = BigInt(10);
const TWO = BigInt(2);
// Beyond this the exact comparison would build huge integers; floats decide such extremes.
const MAX_EXACT_EXPONENT = 1000;

/**
 * Compares two quantities exactly (`1Gi` equals `1024Mi`, `1100m` equals `1.1`): negative, zero
 * or positive, or `undefined` when either side is not a quantity.
 *
 * @public
 */
export function compareQuantities(a: unknown, b: unknown): number | undefined {
  const qa = parseQuantityParts(a);
  const qb = parseQuantityParts(b);
  if (!qa || !qb) return undefined;
  const minExponent = Math.min(qa.exponent, qb.exponent);
  const minBinary = Math.min(qa.binaryExponent, qb.binaryExponent);
  if (Math.max(qa.exponent, qb.exponent) - minExponent > MAX_EXACT_EXPONENT) {
    return Math.sign(numberAtScale(qa, 0) - numberAtScale(qb, 0));
  }
  const integer = (q: Quantity) => {
    const n =
      BigInt(q.digits) *
      TEN ** BigInt(q.exponent - minExponent) *
      TWO ** BigInt(q.binaryExponent - minBinary);
    return q.negative ? -n : n;
  };
  const ia = integer(qa);
  const ib = integer(qb);
  if (ia === ib) return 0;
  return ia < ib ? -1 : 1;
}
