/**
 * Reads the clusters the Backstage Kubernetes plugin is configured with and keeps periodically
 * refreshed, shared, staleness-aware snapshots of their resources over the Kubernetes HTTP API.
 *
 * @packageDocumentation
 */
export type { ClusterDetails, ListRequest, ListResponse } from './types';
export { readClustersFromConfig } from './config';
export { ClusterUnreachableError, ClusterRequestError } from './errors';
export {
  KubernetesHttpClient,
  type KubernetesHttpClientOptions,
} from './KubernetesHttpClient';
export {
  ClusterSnapshots,
  isOutdated,
  STALE_AFTER_INTERVALS,
  type ClusterSnapshotsOptions,
  type SnapshotState,
} from './ClusterSnapshots';
export type {
  CacheMode,
  CachedResource,
  ClusterCacheService,
  ClusterFreshness,
  ResourceEvent,
  ResourceKind,
} from './cache/types';
