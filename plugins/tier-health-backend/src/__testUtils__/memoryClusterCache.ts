import type {
  CachedResource,
  ClusterCacheService,
  ClusterFreshness,
  ResourceEvent,
  ResourceKind,
} from '@internal/cluster-client';
import type { KubernetesObject } from '@internal/plugin-tier-health-common';

const keyOf = (o: KubernetesObject) =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** One kind of an in-memory cluster cache: what a unit test puts in is what readers see. */
class MemoryResource implements CachedResource<KubernetesObject> {
  private readonly objects = new Map<string, Map<string, KubernetesObject>>();
  private readonly listeners = new Set<
    (event: ResourceEvent<KubernetesObject>) => void
  >();
  private currentVersion = 0;

  constructor(
    readonly kind: ResourceKind,
    private readonly cache: MemoryClusterCache,
  ) {}

  list(cluster: string) {
    const objects = this.objects.get(cluster);
    return objects ? [...objects.values()] : undefined;
  }

  version() {
    return this.currentVersion;
  }

  subscribe(listener: (event: ResourceEvent<KubernetesObject>) => void) {
    for (const [cluster, objects] of this.objects)
      listener({ type: 'SYNCED', cluster, objects: [...objects.values()] });
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  freshness(cluster: string, now = new Date()): ClusterFreshness {
    return this.cache.freshnessOf(cluster, this.objects.has(cluster), now);
  }

  emit(event: ResourceEvent<KubernetesObject>) {
    if (event.type === 'SYNCED') {
      this.objects.set(
        event.cluster,
        new Map(event.objects.map(o => [keyOf(o), o])),
      );
    } else {
      const objects = this.objects.get(event.cluster) ?? new Map();
      this.objects.set(event.cluster, objects);
      if (event.type === 'DELETED') objects.delete(keyOf(event.object));
      else objects.set(keyOf(event.object), event.object);
    }
    this.currentVersion += 1;
    for (const listener of this.listeners) listener(event);
  }
}

/**
 * An in-memory `ClusterCacheService` for unit tests of one layer: tests sync lists, emit events
 * and set a cluster's freshness; there is no cluster and no watch behind it.
 */
export class MemoryClusterCache implements ClusterCacheService {
  readonly resources = new Map<string, MemoryResource>();
  private readonly problems = new Map<
    string,
    { lastSuccess?: Date; error?: string; outdated?: boolean }
  >();
  /** Every register() call, to check what a plugin asks the cache for. */
  readonly registered: ResourceKind[] = [];

  constructor(private readonly clusters: string[]) {}

  clusterNames() {
    return [...this.clusters];
  }

  register<T = KubernetesObject>(kind: ResourceKind): CachedResource<T> {
    this.registered.push(kind);
    const key = `${kind.group}/${kind.version}/${kind.plural}`;
    let resource = this.resources.get(key);
    if (!resource) {
      resource = new MemoryResource(kind, this);
      this.resources.set(key, resource);
    }
    return resource as unknown as CachedResource<T>;
  }

  freshness(now = new Date()) {
    return this.clusters.map(cluster => this.freshnessOf(cluster, true, now));
  }

  version() {
    return [...this.resources.values()].reduce((n, r) => n + r.version(), 0);
  }

  /** Replaces a cluster's objects of a kind (by plural), as an initial list does. */
  sync(cluster: string, plural: string, objects: KubernetesObject[]) {
    this.resource(plural).emit({ type: 'SYNCED', cluster, objects });
  }

  /** One watch event. */
  emit(
    cluster: string,
    plural: string,
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    object: KubernetesObject,
  ) {
    this.resource(plural).emit({ type, cluster, object });
  }

  /** Makes a cluster fail (with its last success) or recover (`undefined`). */
  setProblem(
    cluster: string,
    problem?: { lastSuccess?: Date; error?: string; outdated?: boolean },
  ) {
    if (problem) this.problems.set(cluster, problem);
    else this.problems.delete(cluster);
  }

  freshnessOf(cluster: string, synced: boolean, now: Date): ClusterFreshness {
    const problem = this.problems.get(cluster);
    let lastSuccess: Date | undefined = synced ? now : undefined;
    if (problem) lastSuccess = problem.lastSuccess;
    return {
      cluster,
      mode: synced ? 'watch' : 'starting',
      synced: synced && (!problem || problem.lastSuccess !== undefined),
      lastSuccess,
      ageSeconds: lastSuccess
        ? (now.getTime() - lastSuccess.getTime()) / 1000
        : undefined,
      stale: Boolean(problem),
      outdated: problem?.outdated ?? false,
      error: problem?.error ? { message: problem.error, at: now } : undefined,
    };
  }

  private resource(plural: string): MemoryResource {
    const resource = [...this.resources.values()].find(
      r => r.kind.plural === plural,
    );
    if (!resource) throw new Error(`nobody registered ${plural}`);
    return resource;
  }
}
