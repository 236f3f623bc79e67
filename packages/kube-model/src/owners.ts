/**
 * Owner roll-up: from an object to the top-level workload that controls it (Pod → ReplicaSet →
 * Deployment, Pod → Job → CronJob, Pod → StatefulSet / DaemonSet), following
 * `metadata.ownerReferences`.
 */
import type { KubernetesObject, OwnerReference } from './object';

/**
 * Who an object is: enough to name it in a view and to look it up again.
 *
 * @public
 */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for cluster-scoped objects such as Namespaces. */
  namespace?: string;
  uid?: string;
}

/**
 * The ownership facts of one object that owner roll-up needs: who it is and who owns it.
 *
 * @public
 */
export interface OwnedObject extends ObjectReference {
  ownerReferences?: readonly OwnerReference[];
}

/**
 * The controllers objects roll up to. Other owners are not followed: a static Pod is "owned" by
 * its Node, and folding every static Pod of a node into one Node entry would hide which component
 * fails.
 *
 * @public
 */
export const WORKLOAD_OWNER_KINDS: ReadonlySet<string> = new Set([
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
]);

// A Pod → ReplicaSet → Deployment chain is two hops and CronJob → Job → Pod is two; the bound
// only protects against ownerReference cycles in bad data that the seen-set does not catch
// (references without UIDs or names).
const MAX_OWNER_HOPS = 8;

/**
 * The reference that controls an object: the one marked `controller`, else the first; `undefined`
 * for an object without owners.
 *
 * @public
 */
export function controllerReference(
  ownerReferences: readonly OwnerReference[] | undefined,
): OwnerReference | undefined {
  return ownerReferences?.find(r => r.controller) ?? ownerReferences?.[0];
}

/**
 * Identity of an object: its UID, or kind/namespace/name when the source carries no UID.
 *
 * @public
 */
export function objectKey(object: ObjectReference): string {
  return (
    object.uid ?? `${object.kind}/${object.namespace ?? ''}/${object.name}`
  );
}

/** The {@link OwnedObject} view of a listed object; `undefined` when it has no name. @public */
export function ownedObjectOf(object: {
  apiVersion?: string;
  kind?: string;
  metadata?: Partial<KubernetesObject['metadata']>;
}): OwnedObject | undefined {
  const metadata = object.metadata;
  if (!metadata?.name) return undefined;
  return {
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    name: metadata.name,
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    ...(metadata.uid ? { uid: metadata.uid } : {}),
    ...(metadata.ownerReferences
      ? { ownerReferences: metadata.ownerReferences }
      : {}),
  };
}

/**
 * Follows workload controller references from `object` to its top-level workload; see
 * {@link WORKLOAD_OWNER_KINDS}. `lookup` finds a listed object by reference (by UID, or by
 * kind/namespace/name: the caller knows which its data has). An owner the caller did not list is
 * still used, from the reference alone (in the namespace of the object it owns), so a Pod rolls up
 * to its ReplicaSet even when ReplicaSets were not listed; the walk ends there. Cycles end the walk
 * at the first object seen twice.
 *
 * @returns the workload, or `object` itself (as an {@link ObjectReference}) when nothing owns it.
 * @public
 */
export function rollUpToWorkload(
  object: ObjectReference,
  lookup: (reference: ObjectReference) => OwnedObject | undefined,
): ObjectReference {
  let current: ObjectReference = referenceOf(object);
  const seen = new Set<string>();
  for (let hop = 0; hop < MAX_OWNER_HOPS; hop++) {
    const key = objectKey(current);
    if (seen.has(key)) break;
    seen.add(key);
    const known = lookup(current);
    const references = (known?.ownerReferences ?? []).filter(reference =>
      WORKLOAD_OWNER_KINDS.has(reference.kind),
    );
    const controller = controllerReference(references);
    if (!controller) break;
    const ownerReference: ObjectReference = {
      apiVersion: controller.apiVersion,
      kind: controller.kind,
      name: controller.name,
      ...(current.namespace ? { namespace: current.namespace } : {}),
      ...(controller.uid ? { uid: controller.uid } : {}),
    };
    const owner = lookup(ownerReference);
    current = owner ? referenceOf(owner) : ownerReference;
  }
  return current;
}

function referenceOf(object: ObjectReference): ObjectReference {
  const { apiVersion, kind, name, namespace, uid } = object;
  return {
    apiVersion,
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    ...(uid ? { uid } : {}),
  };
}
