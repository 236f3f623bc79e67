import type { Taint } from './nodes';
import type { Toleration } from './podSpec';

/**
 * Whether one toleration tolerates one taint: same effect (or any effect), and either the
 * same key with `Exists` / an equal value, or an empty key with `Exists` (tolerate everything).
 *
 * @param toleration - from the pod spec
 * @param taint - from the node spec
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  const operator = toleration.operator ?? 'Equal';
  if (!toleration.key) return operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  if (operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/**
 * The first taint with one of `effects` that no toleration tolerates, if any.
 *
 * @param taints - the node's taints
 * @param tolerations - the pod's tolerations
 * @param effects - which taint effects matter (NoSchedule/NoExecute for scheduling)
 */
export function firstUntoleratedTaint(
  taints: Taint[],
  tolerations: Toleration[] | undefined,
  effects: readonly string[],
): Taint | undefined {
  return taints.find(
    taint =>
      effects.includes(taint.effect) &&
      !(tolerations ?? []).some(toleration =>
        toleratesTaint(toleration, taint),
      ),
  );
}

/**
 * Whether the pod stays bound to a node carrying this NoExecute taint: only a matching
 * toleration without `tolerationSeconds` keeps it there forever. The simulator has no clock for
 * the grace period, so a bounded toleration counts as already expired.
 *
 * @param taint - a NoExecute taint
 * @param tolerations - the pod's tolerations
 */
export function toleratesIndefinitely(
  taint: Taint,
  tolerations: Toleration[] | undefined,
): boolean {
  return (tolerations ?? []).some(
    t =>
      toleratesTaint(t, taint) &&
      (t.tolerationSeconds === undefined || t.tolerationSeconds === null),
  );
}

/** Renders a taint as the scheduler does in its messages: `{key: value}`. */
export function describeTaint(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}
