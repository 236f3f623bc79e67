import type { Entity } from '@backstage/catalog-model';
import { entityClaimsObject } from '@internal/kube-model';

/** What decides which entity a pod belongs to. */
export interface PodIdentity {
  namespace: string;
  labels: Record<string, string>;
}

/**
 * Whether the Kubernetes plugin would show this pod on the entity's Kubernetes tab: its
 * namespace matches `backstage.io/kubernetes-namespace` (when set) and its labels match
 * `backstage.io/kubernetes-label-selector` (any selector the API server accepts), or else carry
 * `backstage.io/kubernetes-id=<id>`. A malformed selector matches no pod, which errs on the side
 * of not showing logs.
 */
export function podBelongsToEntity(pod: PodIdentity, entity: Entity): boolean {
  return entityClaimsObject(entity.metadata.annotations, pod);
}
