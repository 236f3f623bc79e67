import type { KubernetesObject } from '@internal/kube-model';

/**
 * One resource kind a plugin reads, as the API server serves it. Two registrations with the same
 * group, version and plural share one list-then-watch per cluster.
 *
 * @public
 */
export interface ResourceKind {
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. `pods`. */
  plural: string;
  /** The Kind of its objects, e.g. `Pod` (lists of custom resources may omit it on items). */
  kind: string;
  /**
   * The kind is optional in a cluster (a CRD such as `openreports.io` reports): when the cluster
   * does not serve it, it is empty and synced instead of an error.
   */
  optional?: boolean;
}

/** How the cache currently keeps one (cluster, kind) current. @public */
export type CacheMode = 'starting' | 'watch' | 'poll' | 'not-served';

/**
 * How current the cache's copy of one cluster is: the one freshness type of every read view
 * (it replaces the policy reports' `ClusterStatus` and tier health's `SnapshotFreshness`).
 * For a cluster it is the worst of its registered kinds.
 *
 * @public
 */
export interface ClusterFreshness {
  cluster: string;
  /** `watch` while a watch stream is open; `poll` when the server refused watch (405/403). */
  mode: CacheMode;
  /** The initial list has completed at least once; before that there is no data. */
  synced: boolean;
  /**
   * When the data was last known to match the cluster: now while a watch is open and answering
   * (events or bookmarks), else the last successful list or poll.
   */
  lastSuccess?: Date;
  /** Seconds since `lastSuccess`, when there was one. */
  ageSeconds?: number;
  /** The latest attempt failed, or the data is outdated. */
  stale: boolean;
  /** The data is too old to say what the cluster is now: views show Unknown. */
  outdated: boolean;
  /** Why the latest list/watch/poll failed, in one sentence naming the cluster. */
  error?: { message: string; at: Date };
  /** Explains a non-watch mode to users, e.g. "watch refused (403): polling every 10 s". */
  note?: string;
}

/**
 * One change of one cluster's objects of a kind. `SYNCED` carries the full set after an initial
 * list or a relist (after `410 Gone`, a dropped connection that cannot resume, or a poll): a
 * subscriber replaces what it holds of that cluster.
 *
 * @public
 */
export type ResourceEvent<T = KubernetesObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; cluster: string; object: T }
  | { type: 'SYNCED'; cluster: string; objects: ReadonlyArray<T> };

/**
 * The cached objects of one kind across every configured cluster.
 *
 * @public
 */
export interface CachedResource<T = KubernetesObject> {
  readonly kind: ResourceKind;
  /** The current objects of a cluster; `undefined` until its first list completed. */
  list(cluster: string): ReadonlyArray<T> | undefined;
  /**
   * Goes up by at least one whenever any cluster's objects of this kind change (or a cluster's
   * freshness changes), so readers can memoise on it and answer "has anything changed".
   */
  version(): number;
  /**
   * Calls `listener` for every change from now on, synchronously in arrival order. A new
   * subscriber first receives a `SYNCED` per already synced cluster. Returns the unsubscribe.
   */
  subscribe(listener: (event: ResourceEvent<T>) => void): () => void;
  /** Freshness of this kind in one cluster, judged at `now`. */
  freshness(cluster: string, now?: Date): ClusterFreshness;
}

/**
 * The shared, watch-based cache of the configured clusters (a root-scoped Backstage service):
 * plugins register the kinds they read in `plugin.ts`; every (cluster, kind) is listed once
 * (paginated) and then watched from its resourceVersion, whatever the number of readers.
 *
 * @public
 */
export interface ClusterCacheService {
  /** The configured cluster names, in config order. */
  clusterNames(): string[];
  /** Starts (or joins) the list-then-watch of a kind in every cluster. */
  register<T = KubernetesObject>(kind: ResourceKind): CachedResource<T>;
  /** Freshness per cluster across every registered kind (the worst wins), in config order. */
  freshness(now?: Date): ClusterFreshness[];
  /** Goes up whenever any registered kind's version does. */
  version(): number;
}
