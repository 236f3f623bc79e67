/**
 * Resource quantities as the tier-health model counts them; parsing lives in
 * `@internal/kube-model`.
 */
import { quantityMilliValue, quantityValue } from '@internal/kube-model';

export { parseQuantity } from '@internal/kube-model';

/** CPU quantity in millicores (rounded up, as the scheduler counts); 0 when malformed. @public */
export function cpuMillis(value: unknown): number {
  return quantityMilliValue(value) ?? 0;
}

/** Memory quantity in bytes (rounded up); 0 when malformed. @public */
export function memoryBytes(value: unknown): number {
  return quantityValue(value) ?? 0;
}
