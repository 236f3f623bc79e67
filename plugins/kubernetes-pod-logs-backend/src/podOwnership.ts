import type { Entity } from '@backstage/catalog-model';

/** Annotations the Backstage Kubernetes plugin finds an entity's objects by. */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/** What decides which entity a pod belongs to. */
export interface PodIdentity {
  namespace: string;
  labels: Record<string, string>;
}

/**
 * Parses the equality-based label selectors (`a=b,c==d,e!=f`) entity annotations use.
 * Undefined for anything else (set-based clauses): such an entity matches no pod here, which
 * errs on the side of not showing logs.
 */
export function parseEqualitySelector(
  selector: string,
): Array<{ key: string; value: string; equal: boolean }> | undefined {
  const clauses = selector
    .split(',')
    .map(c => c.trim())
    .filter(Boolean);
  if (clauses.length === 0) return undefined;
  const parsed = [];
  for (const clause of clauses) {
    const match = /^([A-Za-z0-9._/-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(
      clause,
    );
    if (!match) return undefined;
    parsed.push({ key: match[1], value: match[3], equal: match[2] !== '!=' });
  }
  return parsed;
}

/**
 * Whether the Kubernetes plugin would show this pod on the entity's Kubernetes tab: its
 * namespace matches `backstage.io/kubernetes-namespace` (when set) and its labels match
 * `backstage.io/kubernetes-label-selector`, or else carry `backstage.io/kubernetes-id=<id>`.
 */
export function podBelongsToEntity(pod: PodIdentity, entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[ANNOTATION_KUBERNETES_NAMESPACE];
  if (namespace && namespace !== pod.namespace) return false;
  const selector = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR];
  if (selector) {
    const clauses = parseEqualitySelector(selector);
    return (
      !!clauses &&
      clauses.every(c => (pod.labels[c.key] === c.value) === c.equal)
    );
  }
  const id = annotations[ANNOTATION_KUBERNETES_ID];
  return !!id && pod.labels[ANNOTATION_KUBERNETES_ID] === id;
}
