import {
  worstFreshness,
  type CachedResource,
  type ClusterCacheService,
  type ClusterFreshness,
  type ResourceKind,
} from '@internal/cluster-client';
import {
  InventoryIndex,
  type InventoryKind,
  type KubernetesObject,
} from '@internal/plugin-tier-health-common';

/** The kinds the tier model reads, as the cluster cache registers them. */
export const INVENTORY_KINDS: Record<InventoryKind, ResourceKind> = {
  nodes: { group: '', version: 'v1', plural: 'nodes', kind: 'Node' },
  pods: { group: '', version: 'v1', plural: 'pods', kind: 'Pod' },
  deployments: {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
  },
  replicaSets: {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    kind: 'ReplicaSet',
  },
  statefulSets: {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    kind: 'StatefulSet',
  },
  daemonSets: {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    kind: 'DaemonSet',
  },
  priorityClasses: {
    group: 'scheduling.k8s.io',
    version: 'v1',
    plural: 'priorityclasses',
    kind: 'PriorityClass',
  },
};

/**
 * Each configured cluster's tier inventory, kept current from the shared cluster cache: the
 * seven kinds are registered once and every event updates the cluster's {@link InventoryIndex}
 * in place, so no request and no timer ever relists a cluster.
 */
export class ClusterInventories {
  private readonly indexes = new Map<string, InventoryIndex>();
  private readonly resources: CachedResource<KubernetesObject>[] = [];
  private readonly unsubscribes: Array<() => void> = [];

  constructor(private readonly cache: ClusterCacheService) {
    for (const cluster of cache.clusterNames())
      this.indexes.set(cluster, new InventoryIndex());
    for (const [name, kind] of Object.entries(INVENTORY_KINDS)) {
      const resource = cache.register<KubernetesObject>(kind);
      this.resources.push(resource);
      this.unsubscribes.push(
        resource.subscribe(event =>
          this.indexes.get(event.cluster)?.apply(name as InventoryKind, event),
        ),
      );
    }
  }

  /** The configured clusters, in config order. */
  clusters(): string[] {
    return this.cache.clusterNames();
  }

  /** The cluster's inventory; `undefined` for a cluster that is not configured. */
  index(cluster: string): InventoryIndex | undefined {
    return this.indexes.get(cluster);
  }

  /** How current the cluster's inventory is, judged at `now`. */
  freshness(cluster: string, now = new Date()): ClusterFreshness {
    return worstFreshness(
      cluster,
      this.resources.map(r => r.freshness(cluster, now)),
    );
  }

  /** Stops following the cache (at shutdown). */
  close(): void {
    this.unsubscribes.splice(0).forEach(unsubscribe => unsubscribe());
  }
}
