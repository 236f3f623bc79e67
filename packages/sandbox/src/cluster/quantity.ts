/**
 * Kubernetes resource quantities as the scheduler counts them: CPU in millicores, everything
 * else in base units (bytes for memory). Parsing lives in `@internal/kube-model`; unparseable
 * or missing values count as 0 so one odd manifest cannot break scheduling for everyone.
 */
import {
  parseQuantity as parseKubeQuantity,
  quantityMilliValue,
  quantityValue,
} from '@internal/kube-model';

/**
 * Parses a quantity into its value in base units; 0 when unparseable.
 *
 * @param value - a quantity string or number
 */
export function parseQuantity(value: unknown): number {
  return parseKubeQuantity(value) ?? 0;
}

/**
 * Parses a CPU quantity into whole millicores, rounded up (`250m` → 250, `2` → 2000).
 *
 * @param value - a quantity string or number
 */
export function parseCpuMillis(value: unknown): number {
  return quantityMilliValue(value) ?? 0;
}

/**
 * Parses a memory quantity into whole bytes, rounded up (`512Mi` → 536870912).
 *
 * @param value - a quantity string or number
 */
export function parseMemoryBytes(value: unknown): number {
  return quantityValue(value) ?? 0;
}
