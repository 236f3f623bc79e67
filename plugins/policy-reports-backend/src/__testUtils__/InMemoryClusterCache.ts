import type {
  CachedResource,
  ClusterCacheService,
  ClusterFreshness,
  ResourceEvent,
  ResourceKind,
} from '@internal/cluster-client';
import type { KubernetesObject } from '@internal/kube-model';

const kindId = (kind: ResourceKind) =>
  `${kind.group}/${kind.version}/${kind.plural}`;
const nameKey = (object: KubernetesObject) =>
  `${object.metadata.namespace ?? ''}/${object.metadata.name}`;

/**
 * An in-memory `CachedResource` for unit tests: the test drives it with the events a watch would
 * deliver (`sync`, `add`, `modify`, `delete`), and it keeps `list`, `version` and subscribers in
 * step as the real cache does.
 */
export class InMemoryCachedResource<
  T extends KubernetesObject = KubernetesObject,
> implements CachedResource<T>
{
  private readonly objects = new Map<string, Map<string, T>>();
  private readonly listeners = new Set<(event: ResourceEvent<T>) => void>();
  private currentVersion = 0;

  constructor(
    readonly kind: ResourceKind,
    private readonly onChange: () => void = () => {},
  ) {}

  list(cluster: string): ReadonlyArray<T> | undefined {
    const objects = this.objects.get(cluster);
    return objects && [...objects.values()];
  }

  version(): number {
    return this.currentVersion;
  }

  subscribe(listener: (event: ResourceEvent<T>) => void): () => void {
    for (const [cluster, objects] of this.objects) {
      listener({ type: 'SYNCED', cluster, objects: [...objects.values()] });
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  freshness(cluster: string): ClusterFreshness {
    const synced = this.objects.has(cluster);
    return {
      cluster,
      mode: synced ? 'watch' : 'starting',
      synced,
      stale: false,
      outdated: false,
    };
  }

  /** A (re)list of `cluster`: replaces everything held of it. */
  sync(cluster: string, objects: T[]): void {
    this.objects.set(
      cluster,
      new Map(objects.map(object => [nameKey(object), object])),
    );
    this.emit({ type: 'SYNCED', cluster, objects });
  }

  add(cluster: string, object: T): void {
    this.held(cluster).set(nameKey(object), object);
    this.emit({ type: 'ADDED', cluster, object });
  }

  modify(cluster: string, object: T): void {
    this.held(cluster).set(nameKey(object), object);
    this.emit({ type: 'MODIFIED', cluster, object });
  }

  delete(cluster: string, object: T): void {
    this.held(cluster).delete(nameKey(object));
    this.emit({ type: 'DELETED', cluster, object });
  }

  private held(cluster: string): Map<string, T> {
    const objects = this.objects.get(cluster);
    if (!objects) throw new Error(`cluster ${cluster} was never synced`);
    return objects;
  }

  private emit(event: ResourceEvent<T>): void {
    this.currentVersion += 1;
    this.onChange();
    for (const listener of this.listeners) listener(event);
  }
}

/**
 * An in-memory `ClusterCacheService` of fixed clusters: `register` hands out one
 * {@link InMemoryCachedResource} per kind, which tests reach with `resource(kind)` to drive events.
 * Freshness is what the test sets with `setFreshness`, healthy by default.
 */
export class InMemoryClusterCache implements ClusterCacheService {
  private readonly resources = new Map<string, InMemoryCachedResource<any>>();
  private readonly freshnessByCluster = new Map<
    string,
    Partial<ClusterFreshness>
  >();
  private currentVersion = 0;

  constructor(private readonly clusters: string[]) {}

  clusterNames(): string[] {
    return [...this.clusters];
  }

  register<T = KubernetesObject>(kind: ResourceKind): CachedResource<T> {
    const id = kindId(kind);
    let resource = this.resources.get(id);
    if (!resource) {
      resource = new InMemoryCachedResource(kind, () => {
        this.currentVersion += 1;
      });
      this.resources.set(id, resource);
    }
    return resource as unknown as CachedResource<T>;
  }

  /** The resource of a registered kind, found by plural (`pods`, `policyreports`). */
  resource<T extends KubernetesObject = KubernetesObject>(
    plural: string,
  ): InMemoryCachedResource<T> {
    const resource = [...this.resources.values()].find(
      candidate => candidate.kind.plural === plural,
    );
    if (!resource) throw new Error(`nothing registered ${plural}`);
    return resource;
  }

  /** Syncs every registered kind of `cluster` with the given objects (by kind), the rest empty. */
  syncAll(cluster: string, objects: KubernetesObject[]): void {
    for (const resource of this.resources.values()) {
      resource.sync(
        cluster,
        objects.filter(object => object.kind === resource.kind.kind),
      );
    }
  }

  setFreshness(cluster: string, freshness: Partial<ClusterFreshness>): void {
    this.freshnessByCluster.set(cluster, freshness);
    this.currentVersion += 1;
  }

  freshness(): ClusterFreshness[] {
    return this.clusters.map(cluster => ({
      cluster,
      mode: 'watch',
      synced: true,
      stale: false,
      outdated: false,
      ...this.freshnessByCluster.get(cluster),
    }));
  }

  version(): number {
    return this.currentVersion;
  }
}
