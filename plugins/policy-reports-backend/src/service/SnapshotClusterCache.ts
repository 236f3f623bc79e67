import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  ClusterSnapshots,
  type CachedResource,
  type ClusterCacheService,
  type ClusterDetails,
  type ClusterFreshness,
  type KubernetesHttpClient,
  type ResourceEvent,
  type ResourceKind,
} from '@internal/cluster-client';
import type { KubernetesObject } from '@internal/kube-model';

type Listener = (event: ResourceEvent<KubernetesObject>) => void;

function kindIdOf(kind: ResourceKind): string {
  return `${kind.group}/${kind.version}/${kind.plural}`;
}

class SnapshotCachedResource implements CachedResource<KubernetesObject> {
  private readonly listeners = new Set<Listener>();
  private currentVersion = 0;

  constructor(
    readonly kind: ResourceKind,
    private readonly cache: SnapshotClusterCache,
  ) {}

  list(cluster: string): ReadonlyArray<KubernetesObject> | undefined {
    return this.cache.objectsOf(this.kind, cluster);
  }

  version(): number {
    return this.currentVersion;
  }

  subscribe(listener: Listener): () => void {
    for (const cluster of this.cache.clusterNames()) {
      const objects = this.list(cluster);
      if (objects) listener({ type: 'SYNCED', cluster, objects });
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  freshness(cluster: string, now?: Date): ClusterFreshness {
    return this.cache.freshness(now).find(entry => entry.cluster === cluster)!;
  }

  emit(event: ResourceEvent<KubernetesObject>): void {
    this.currentVersion += 1;
    for (const listener of this.listeners) listener(event);
  }
}

/**
 * A `ClusterCacheService` that lists every registered kind of every cluster on an interval (the
 * cache's poll mode) through `ClusterSnapshots`, and tells subscribers with one `SYNCED` per
 * (cluster, kind) after each successful list. It lets the policy reports follow the shared cache's
 * contract before the watch-based cache (`clusterCacheServiceRef`) is wired in; the index does not
 * know which one it reads.
 */
export class SnapshotClusterCache implements ClusterCacheService {
  private readonly resources = new Map<string, SnapshotCachedResource>();
  private readonly snapshots: ClusterSnapshots<Map<string, KubernetesObject[]>>;
  private currentVersion = 0;

  constructor(
    private readonly options: {
      clusters: ClusterDetails[];
      refreshIntervalMs: number;
      logger: LoggerService;
      taskId: string;
    },
  ) {
    this.snapshots = new ClusterSnapshots({
      ...options,
      load: (client, cluster) => this.load(client, cluster),
    });
  }

  start(scheduler: SchedulerService): void {
    this.snapshots.start(scheduler);
  }

  stop(): void {
    this.snapshots.stop();
  }

  clusterNames(): string[] {
    return this.options.clusters.map(cluster => cluster.name);
  }

  register<T = KubernetesObject>(kind: ResourceKind): CachedResource<T> {
    const id = `${kind.group}/${kind.version}/${kind.plural}`;
    let resource = this.resources.get(id);
    if (!resource) {
      resource = new SnapshotCachedResource(kind, this);
      this.resources.set(id, resource);
    }
    return resource as unknown as CachedResource<T>;
  }

  freshness(now: Date = new Date()): ClusterFreshness[] {
    return this.snapshots.states(now).map(state => ({
      cluster: state.cluster,
      mode: state.data ? 'poll' : 'starting',
      synced: !!state.data,
      ...(state.lastSuccess ? { lastSuccess: state.lastSuccess } : {}),
      ...(state.ageSeconds !== undefined
        ? { ageSeconds: state.ageSeconds }
        : {}),
      stale: state.stale,
      outdated: !!state.outdated,
      ...(state.error ? { error: state.error } : {}),
    }));
  }

  version(): number {
    return this.currentVersion;
  }

  /** The objects of one kind in one cluster from the latest successful list. */
  objectsOf(
    kind: ResourceKind,
    cluster: string,
  ): KubernetesObject[] | undefined {
    return this.snapshots
      .states()
      .find(state => state.cluster === cluster)
      ?.data?.get(kindIdOf(kind));
  }

  private async load(
    client: KubernetesHttpClient,
    cluster: ClusterDetails,
  ): Promise<Map<string, KubernetesObject[]>> {
    const resources = [...this.resources.values()];
    const lists = await Promise.all(
      resources.map(async ({ kind }) => {
        if (
          kind.optional &&
          !(await client.serves(kind.group, kind.version, kind.plural))
        ) {
          return [];
        }
        const list = await client.list<KubernetesObject>({
          group: kind.group || undefined,
          version: kind.version,
          plural: kind.plural,
        });
        return list.items;
      }),
    );
    // Subscribers hear of a list only once every kind of the cluster was read.
    const data = new Map<string, KubernetesObject[]>();
    resources.forEach((resource, i) =>
      data.set(kindIdOf(resource.kind), lists[i]),
    );
    this.currentVersion += 1;
    resources.forEach((resource, i) =>
      resource.emit({
        type: 'SYNCED',
        cluster: cluster.name,
        objects: lists[i],
      }),
    );
    return data;
  }
}
