import { randomUUID } from 'node:crypto';
import { parseFieldSelector } from './fieldSelector';
import { compileLabelSelector } from '@internal/kube-model';
import { groupOf, type KubeObject, type ObjectRef } from './types';

export type { KubeObject, ObjectRef } from './types';

/** What {@link ClusterStore.list} selects on. */
export interface ListFilter {
  /** The Kind, e.g. `Pod`. */
  kind: string;
  /** Optional; only its group is compared (`apps/v1` and `apps/v1beta2` select the same objects). */
  apiVersion?: string;
  /** `undefined` lists all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

type ByName = Map<string, KubeObject>;
type ByNamespace = Map<string, ByName>;

const CLUSTER_SCOPE = '';

/**
 * The sandbox's etcd: an in-memory object store indexed by type (group + kind) and namespace, so a
 * namespaced list of 30,000 pods touches only that namespace. Everything returned is a deep copy.
 */
export class ClusterStore {
  private readonly byType = new Map<string, ByNamespace>();
  /** kind → the type keys (one per group) that hold objects of that kind. */
  private readonly typesByKind = new Map<string, Set<string>>();
  private revision = 0;

  /** The store-global resourceVersion: bumped by every write. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /**
   * Creates or replaces the object identified by (group of apiVersion, kind, namespace, name).
   * Keeps uid and creationTimestamp of an existing object and assigns them on create; sets a new
   * resourceVersion; generation starts at 1 and goes up by one when `spec` changes. An object
   * applied without `status` keeps the stored status (status is written by controllers through
   * {@link ClusterStore.updateStatus}). Returns the stored copy.
   */
  apply(obj: KubeObject): KubeObject {
    if (!obj?.kind || !obj.apiVersion || !obj.metadata?.name) {
      throw new TypeError('apply needs apiVersion, kind and metadata.name');
    }
    const next = deepCopy(obj);
    const existing = this.find(refOf(obj));
    const meta = next.metadata;
    if (existing) {
      meta.uid = existing.metadata.uid;
      meta.creationTimestamp = existing.metadata.creationTimestamp;
      const specChanged =
        JSON.stringify(existing.spec) !== JSON.stringify(next.spec);
      meta.generation =
        (existing.metadata.generation ?? 1) + (specChanged ? 1 : 0);
      if (!('status' in next) && 'status' in existing) {
        next.status = existing.status;
      }
    } else {
      meta.uid = meta.uid ?? randomUUID();
      meta.creationTimestamp =
        meta.creationTimestamp ??
        new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      meta.generation = 1;
    }
    meta.resourceVersion = this.nextRevision();
    this.put(next);
    return deepCopy(next);
  }

  /** Replaces only `.status` (no generation bump); `undefined` when the object does not exist. */
  updateStatus(ref: ObjectRef, status: unknown): KubeObject | undefined {
    const existing = this.find(ref);
    if (!existing) return undefined;
    existing.status = deepCopy(status);
    existing.metadata.resourceVersion = this.nextRevision();
    return deepCopy(existing);
  }

  /** Removes the object; `false` when it did not exist. */
  delete(ref: ObjectRef): boolean {
    const byNamespace = this.byType.get(typeKey(ref));
    const byName = byNamespace?.get(ref.namespace ?? CLUSTER_SCOPE);
    if (!byName?.delete(ref.name)) return false;
    if (byName.size === 0) byNamespace!.delete(ref.namespace ?? CLUSTER_SCOPE);
    this.nextRevision();
    return true;
  }

  /** A copy of the object, or `undefined`. */
  get(ref: ObjectRef): KubeObject | undefined {
    const found = this.find(ref);
    return found && deepCopy(found);
  }

  /**
   * Copies of the objects of a kind, sorted by namespace then name (as the API server returns
   * them).
   *
   * @throws LabelSelectorError or FieldSelectorError for malformed selectors.
   */
  list(filter: ListFilter): KubeObject[] {
    return this.listShared(filter).map(o => deepCopy(o));
  }

  /**
   * Like {@link ClusterStore.list} but returns the stored objects themselves, for serializing
   * large lists without copying them. Callers must not mutate the result.
   */
  listShared(filter: ListFilter): ReadonlyArray<KubeObject> {
    const matchLabels = compileLabelSelector(filter.labelSelector ?? '');
    const matchFields = parseFieldSelector(
      filter.fieldSelector ?? '',
      filter.kind,
    );
    const wantedGroup =
      filter.apiVersion === undefined ? undefined : groupOf(filter.apiVersion);
    const result: KubeObject[] = [];
    for (const key of this.typesByKind.get(filter.kind) ?? []) {
      if (wantedGroup !== undefined && key !== `${wantedGroup}/${filter.kind}`)
        continue;
      const byNamespace = this.byType.get(key)!;
      const namespaces =
        filter.namespace === undefined
          ? [...byNamespace.keys()].sort()
          : [filter.namespace];
      for (const ns of namespaces) {
        const byName = byNamespace.get(ns);
        if (!byName) continue;
        for (const name of [...byName.keys()].sort()) {
          const obj = byName.get(name)!;
          if (matchLabels(obj.metadata.labels) && matchFields(obj))
            result.push(obj);
        }
      }
    }
    return result;
  }

  /** Copies of every stored object. */
  all(): KubeObject[] {
    const result: KubeObject[] = [];
    for (const byNamespace of this.byType.values()) {
      for (const byName of byNamespace.values()) {
        for (const obj of byName.values()) result.push(deepCopy(obj));
      }
    }
    return result;
  }

  /** Every stored object itself, without copying; callers must not mutate the result. */
  allShared(): KubeObject[] {
    const result: KubeObject[] = [];
    for (const byNamespace of this.byType.values()) {
      for (const byName of byNamespace.values())
        result.push(...byName.values());
    }
    return result;
  }

  /** Removes everything; the resourceVersion keeps counting up so watchers never see it go back. */
  clear(): void {
    this.byType.clear();
    this.typesByKind.clear();
    this.nextRevision();
  }

  private nextRevision(): string {
    this.revision += 1;
    return String(this.revision);
  }

  private find(ref: ObjectRef): KubeObject | undefined {
    return this.byType
      .get(typeKey(ref))
      ?.get(ref.namespace ?? CLUSTER_SCOPE)
      ?.get(ref.name);
  }

  private put(obj: KubeObject): void {
    const key = typeKey(obj);
    let byNamespace = this.byType.get(key);
    if (!byNamespace) {
      byNamespace = new Map();
      this.byType.set(key, byNamespace);
      const kinds = this.typesByKind.get(obj.kind) ?? new Set<string>();
      kinds.add(key);
      this.typesByKind.set(obj.kind, kinds);
    }
    const ns = obj.metadata.namespace ?? CLUSTER_SCOPE;
    let byName = byNamespace.get(ns);
    if (!byName) {
      byName = new Map();
      byNamespace.set(ns, byName);
    }
    byName.set(obj.metadata.name, obj);
  }
}

// Objects are JSON data (they come from YAML and go out as JSON); a JSON round trip copies them
// several times faster than structuredClone.
function deepCopy<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

function typeKey(ref: { apiVersion: string; kind: string }): string {
  return `${groupOf(ref.apiVersion)}/${ref.kind}`;
}

function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
  };
}

export { parseFieldSelector, FieldSelectorError } from './fieldSelector';
