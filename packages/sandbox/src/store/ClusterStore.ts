import { randomUUID } from 'node:crypto';
import {
  compileLabelSelector,
  groupOfApiVersion,
  type KubernetesObject,
} from '@internal/kube-model';
import { parseFieldSelector } from './fieldSelector';
import { ChangeHistory, type ChangeEvent } from './ChangeHistory';
import type { ObjectRef } from './types';

export type { ObjectRef } from './types';
export type { ChangeEvent, ChangeType } from './ChangeHistory';

/** Called synchronously after every change of the store. */
export type ChangeListener = (event: ChangeEvent) => void;

/** Options of {@link ClusterStore}. */
export interface ClusterStoreOptions {
  /**
   * How many changes are kept for watches to resume from (the compaction window); a watch or a
   * continue token from before the window gets 410 Gone. Defaults to 10,000.
   */
  historyLimit?: number;
  /**
   * The resourceVersion of the empty store (defaults to 0). A sandbox that restarts with a higher
   * one makes clients that remember the previous run's resourceVersions relist instead of
   * resuming from versions that mean something else now.
   */
  initialResourceVersion?: number;
  /** Where errors thrown by change listeners go (they never undo or interrupt a write). */
  onListenerError?: (error: unknown) => void;
}

/** Where a page of {@link ClusterStore.listShared} starts and how long it is. */
export interface ListPage {
  /** Start after this position (namespace `''` for cluster-scoped objects). */
  after?: { namespace: string; name: string };
  /** At most this many objects. */
  limit?: number;
}

export const DEFAULT_HISTORY_LIMIT = 10_000;

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

type ByName = Map<string, KubernetesObject>;
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
  private revision: number;
  private readonly history: ChangeHistory;
  private readonly listeners = new Set<ChangeListener>();
  private readonly onListenerError?: (error: unknown) => void;

  constructor(options: ClusterStoreOptions = {}) {
    this.revision = options.initialResourceVersion ?? 0;
    if (!Number.isSafeInteger(this.revision) || this.revision < 0) {
      throw new RangeError(
        `initialResourceVersion must be a non-negative integer, got ${options.initialResourceVersion}`,
      );
    }
    this.history = new ChangeHistory(
      options.historyLimit ?? DEFAULT_HISTORY_LIMIT,
      this.revision,
    );
    this.onListenerError = options.onListenerError;
  }

  /** The store-global resourceVersion: bumped by every write. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** How many changes are kept for resuming watches. */
  get historyLimit(): number {
    return this.history.limit;
  }

  /**
   * The oldest resourceVersion a watch can resume from (every change after it is kept); older
   * ones are expired (410 Gone).
   */
  get oldestResourceVersion(): string {
    return String(this.history.oldestResumableRevision);
  }

  /**
   * The changes after `resourceVersion`, oldest first; `undefined` when it is older than the kept
   * history (or not a resourceVersion of this store), and the caller must relist. A
   * resourceVersion ahead of the store gives `undefined` too: it belongs to another run.
   */
  changesSince(resourceVersion: string): ChangeEvent[] | undefined {
    if (!/^\d+$/.test(resourceVersion)) return undefined;
    const revision = Number(resourceVersion);
    if (revision > this.revision) return undefined;
    return this.history.since(revision);
  }

  /**
   * Calls `listener` synchronously after every change (apply, updateStatus, delete, and one
   * DELETED per object on clear). Returns the unsubscribe function.
   */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Creates or replaces the object identified by (group of apiVersion, kind, namespace, name).
   * Keeps uid and creationTimestamp of an existing object and assigns them on create; sets a new
   * resourceVersion; generation starts at 1 and goes up by one when `spec` changes. An object
   * applied without `status` keeps the stored status (status is written by controllers through
   * {@link ClusterStore.updateStatus}). Returns the stored copy.
   */
  apply(obj: KubernetesObject): KubernetesObject {
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
    this.record(existing ? 'MODIFIED' : 'ADDED', next, existing);
    return deepCopy(next);
  }

  /** Replaces only `.status` (no generation bump); `undefined` when the object does not exist. */
  updateStatus(ref: ObjectRef, status: unknown): KubernetesObject | undefined {
    const existing = this.find(ref);
    if (!existing) return undefined;
    // Stored objects are never mutated (watch history shares them): store a new one.
    const next: KubernetesObject = {
      ...existing,
      metadata: { ...existing.metadata, resourceVersion: this.nextRevision() },
      status: deepCopy(status),
    };
    this.put(next);
    this.record('MODIFIED', next, existing);
    return deepCopy(next);
  }

  /**
   * Removes the object; `false` when it did not exist. The deletion gets its own resourceVersion,
   * which the DELETED change's object carries.
   */
  delete(ref: ObjectRef): boolean {
    const byNamespace = this.byType.get(typeKey(ref));
    const byName = byNamespace?.get(ref.namespace ?? CLUSTER_SCOPE);
    const existing = byName?.get(ref.name);
    if (!existing) return false;
    byName!.delete(ref.name);
    if (byName!.size === 0) byNamespace!.delete(ref.namespace ?? CLUSTER_SCOPE);
    this.recordDeletion(existing);
    return true;
  }

  /** A copy of the object, or `undefined`. */
  get(ref: ObjectRef): KubernetesObject | undefined {
    const found = this.find(ref);
    return found && deepCopy(found);
  }

  /**
   * Copies of the objects of a kind, sorted by namespace then name (as the API server returns
   * them).
   *
   * @throws LabelSelectorError or FieldSelectorError for malformed selectors.
   */
  list(filter: ListFilter): KubernetesObject[] {
    return this.listShared(filter).map(o => deepCopy(o));
  }

  /**
   * Like {@link ClusterStore.list} but returns the stored objects themselves, for serializing
   * large lists without copying them. Callers must not mutate the result. With `page`, only the
   * objects after `page.after` in list order, at most `page.limit` of them (namespaces before the
   * start are skipped without sorting their names).
   */
  listShared(
    filter: ListFilter,
    page: ListPage = {},
  ): ReadonlyArray<KubernetesObject> {
    const matchLabels = compileLabelSelector(filter.labelSelector ?? '');
    const matchFields = parseFieldSelector(
      filter.fieldSelector ?? '',
      filter.kind,
    );
    const wantedGroup =
      filter.apiVersion === undefined
        ? undefined
        : groupOfApiVersion(filter.apiVersion);
    const { after, limit } = page;
    const result: KubernetesObject[] = [];
    for (const key of this.typesByKind.get(filter.kind) ?? []) {
      if (wantedGroup !== undefined && key !== `${wantedGroup}/${filter.kind}`)
        continue;
      const byNamespace = this.byType.get(key)!;
      const namespaces =
        filter.namespace === undefined
          ? [...byNamespace.keys()].sort()
          : [filter.namespace];
      for (const ns of namespaces) {
        if (after && ns < after.namespace) continue;
        const byName = byNamespace.get(ns);
        if (!byName) continue;
        const names = [...byName.keys()].sort();
        let start = 0;
        if (after && ns === after.namespace) {
          while (start < names.length && names[start] <= after.name) start++;
        }
        for (let i = start; i < names.length; i++) {
          const obj = byName.get(names[i])!;
          if (matchLabels(obj.metadata.labels) && matchFields(obj)) {
            result.push(obj);
            if (result.length === limit) return result;
          }
        }
      }
    }
    return result;
  }

  /** Copies of every stored object. */
  all(): KubernetesObject[] {
    const result: KubernetesObject[] = [];
    for (const byNamespace of this.byType.values()) {
      for (const byName of byNamespace.values()) {
        for (const obj of byName.values()) result.push(deepCopy(obj));
      }
    }
    return result;
  }

  /** Every stored object itself, without copying; callers must not mutate the result. */
  allShared(): KubernetesObject[] {
    const result: KubernetesObject[] = [];
    for (const byNamespace of this.byType.values()) {
      for (const byName of byNamespace.values())
        result.push(...byName.values());
    }
    return result;
  }

  /**
   * Removes everything: one DELETED change (with its own resourceVersion) per object, so watchers
   * see each object go; the resourceVersion keeps counting up.
   */
  clear(): void {
    const removed = this.allShared();
    this.byType.clear();
    this.typesByKind.clear();
    for (const obj of removed) this.recordDeletion(obj);
  }

  private nextRevision(): string {
    this.revision += 1;
    return String(this.revision);
  }

  private recordDeletion(existing: KubernetesObject): void {
    const gone: KubernetesObject = {
      ...existing,
      metadata: { ...existing.metadata, resourceVersion: this.nextRevision() },
    };
    this.record('DELETED', gone, existing);
  }

  /** Keeps the change for resuming watches and tells the listeners; called once per revision. */
  private record(
    type: ChangeEvent['type'],
    object: KubernetesObject,
    previous: KubernetesObject | undefined,
  ): void {
    const event: ChangeEvent = {
      type,
      object,
      previous,
      revision: this.revision,
    };
    this.history.push(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError?.(error);
      }
    }
  }

  private find(ref: ObjectRef): KubernetesObject | undefined {
    return this.byType
      .get(typeKey(ref))
      ?.get(ref.namespace ?? CLUSTER_SCOPE)
      ?.get(ref.name);
  }

  private put(obj: KubernetesObject): void {
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
  return `${groupOfApiVersion(ref.apiVersion)}/${ref.kind}`;
}

function refOf(obj: KubernetesObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
  };
}

export { parseFieldSelector, FieldSelectorError } from './fieldSelector';
