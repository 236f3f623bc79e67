import type { KubernetesObject } from '@internal/kube-model';
import { stableStringify } from '../cluster/hashing';
import type { ClusterStore } from '../store/ClusterStore';
import type { ObjectRef } from '../store/types';
import { objectKey, refOf } from './tracking';

/** Whether every field of `desired` has the same value in `live` (live may have more). */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) &&
      desired.length === live.length &&
      desired.every((d, i) => isSubset(d, live[i]))
    );
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live))
      return false;
    return Object.entries(desired as Record<string, unknown>).every(
      ([k, v]) =>
        v === undefined || isSubset(v, (live as Record<string, unknown>)[k]),
    );
  }
  return desired === live;
}

/** Status the API server's controllers give objects the simulator has no controller for. */
function initialStatus(obj: KubernetesObject): unknown {
  switch (obj.kind) {
    case 'Namespace':
      return { phase: 'Active' };
    case 'PersistentVolumeClaim': {
      const spec = (obj.spec ?? {}) as {
        accessModes?: string[];
        resources?: { requests?: { storage?: string } };
      };
      return {
        phase: 'Bound',
        accessModes: spec.accessModes ?? ['ReadWriteOnce'],
        capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
      };
    }
    default:
      return undefined;
  }
}

/**
 * `kubectl apply` for the reconciler: writes an object only when its manifest changed since the
 * last apply or the live object drifted from it, keeping server-owned fields (status, a Pod's
 * binding) so steady passes leave the store untouched.
 */
export class ObjectApplier {
  private readonly lastApplied = new Map<string, string>();

  constructor(private readonly store: ClusterStore) {}

  /** The live object, if any. */
  live(obj: KubernetesObject): KubernetesObject | undefined {
    return this.store.get(refOf(obj));
  }

  /** Whether applying `desired` over `live` would change anything. */
  needsApply(
    desired: KubernetesObject,
    live: KubernetesObject | undefined,
  ): boolean {
    if (!live) return true;
    return (
      this.lastApplied.get(objectKey(desired)) !== stableStringify(desired) ||
      !isSubset(desired, live)
    );
  }

  /** Writes `desired` (status and a Pod's scheduling kept from `live`); returns the stored object. */
  apply(
    desired: KubernetesObject,
    live: KubernetesObject | undefined,
  ): KubernetesObject {
    let next: KubernetesObject = desired;
    if (live?.kind === 'Pod') {
      // a bound pod keeps its node: the scheduler's binding is not part of the manifest
      next = {
        ...desired,
        spec: { ...(live.spec as object), ...(desired.spec as object) },
      };
    }
    const stored = this.store.apply(next);
    this.lastApplied.set(objectKey(desired), stableStringify(desired));
    if (!live && stored.status === undefined) {
      const status = initialStatus(stored);
      if (status !== undefined)
        return this.store.updateStatus(refOf(stored), status) ?? stored;
    }
    return stored;
  }

  /** Deletes an object; true when it existed. */
  delete(ref: ObjectRef & { apiVersion: string }): boolean {
    this.lastApplied.delete(
      objectKey({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
      }),
    );
    return this.store.delete(ref);
  }
}

/**
 * What the reconciler has applied, per owner (an Application name, or the bootstrap), so it
 * can prune exactly its own objects.
 */
export class ManagedObjects {
  private readonly byOwner = new Map<string, Map<string, ObjectRef>>();

  /** Owners with managed objects. */
  owners(): string[] {
    return [...this.byOwner.keys()];
  }

  /** The objects managed for `owner`, by object key. */
  of(owner: string): Map<string, ObjectRef> {
    return this.byOwner.get(owner) ?? new Map();
  }

  /** Replaces the set of objects managed for `owner`. */
  set(owner: string, objects: Map<string, ObjectRef>): void {
    if (objects.size === 0) this.byOwner.delete(owner);
    else this.byOwner.set(owner, objects);
  }

  /** Forgets an owner. */
  drop(owner: string): void {
    this.byOwner.delete(owner);
  }
}
