/**
 * Reads the clusters the Backstage Kubernetes plugin is configured with and keeps one shared,
 * watch-based, staleness-aware cache of the resource kinds plugins register.
 *
 * @packageDocumentation
 */
export type {
  ClusterDetails,
  ListOptions,
  ListRequest,
  ListResponse,
  WatchEvent,
  WatchRequest,
} from './types';
export { readClustersFromConfig } from './config';
export { ClusterUnreachableError, ClusterRequestError } from './errors';
export {
  KubernetesHttpClient,
  isGone,
  type KubernetesHttpClientOptions,
} from './KubernetesHttpClient';
export type {
  CacheMode,
  CachedResource,
  ClusterCacheService,
  ClusterFreshness,
  ResourceEvent,
  ResourceKind,
} from './cache/types';
export {
  isOutdated,
  STALE_AFTER_INTERVALS,
  worstFreshness,
} from './cache/freshness';
export {
  ClusterCache,
  readClusterCacheConfig,
  type ClusterCacheOptions,
  type ClusterCacheUsage,
} from './cache/ClusterCache';
export {
  clusterCacheServiceRef,
  clusterCacheServiceFactory,
} from './cache/service';
