import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { KubernetesObject } from '@internal/kube-model';
import { readClustersFromConfig } from '../config';
import { KubernetesHttpClient } from '../KubernetesHttpClient';
import type { ClusterDetails } from '../types';
import { judgeFreshness, worstFreshness } from './freshness';
import {
  KindReflector,
  objectKey,
  type ReflectorSink,
  type ReflectorTiming,
} from './KindReflector';
import type {
  CachedResource,
  ClusterCacheService,
  ClusterFreshness,
  ResourceEvent,
  ResourceKind,
} from './types';

/**
 * Options of {@link ClusterCache}; the `kubernetesCache.*` config keys (seconds there) set the
 * timings.
 *
 * @public
 */
export interface ClusterCacheOptions {
  clusters: ClusterDetails[];
  logger: LoggerService;
  /** Fallback polling interval and unit of staleness (2 intervals = outdated). Default 10 s. */
  pollIntervalSeconds?: number;
  /** The server ends a watch after 1–2 × this; default 300 s (a new watch every 5–10 min). */
  watchTimeoutSeconds?: number;
  /** A watch silent (no event, no bookmark) for longer is reopened; default 120 s. */
  idleTimeoutSeconds?: number;
  /** Items per page of the initial list and relists; default 500. */
  pageSize?: number;
  /** First retry delay after an error (doubling, with jitter); default 1 s. */
  initialBackoffSeconds?: number;
  /** The longest retry delay; default 30 s. */
  maxBackoffSeconds?: number;
  /** How often a kind the cluster does not serve is looked up again; default the watch timeout. */
  discoveryRecheckSeconds?: number;
  /** One client per (cluster, kind), so requests and bytes are counted per kind. */
  clientFactory?: (cluster: ClusterDetails) => KubernetesHttpClient;
}

/** Requests and bytes one (cluster, kind) has cost since it was registered. @public */
export interface ClusterCacheUsage {
  cluster: string;
  /** `group/version plural`, e.g. `v1 pods`. */
  kind: string;
  requests: number;
  bytes: number;
}

const DEFAULTS = {
  pollIntervalSeconds: 10,
  watchTimeoutSeconds: 300,
  idleTimeoutSeconds: 120,
  pageSize: 500,
  initialBackoffSeconds: 1,
  maxBackoffSeconds: 30,
};

/** The cache's options from the `kubernetesCache` config block. @public */
export function readClusterCacheConfig(
  config: Config,
): Omit<ClusterCacheOptions, 'clusters' | 'logger' | 'clientFactory'> {
  const block = config.getOptionalConfig('kubernetesCache');
  const seconds = (key: string) => {
    const value = block?.getOptionalNumber(key);
    if (value !== undefined && !(value > 0)) {
      throw new Error(
        `kubernetesCache.${key} must be a positive number of seconds, got ${value}`,
      );
    }
    return value;
  };
  const pageSize = block?.getOptionalNumber('pageSize');
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize > 0)) {
    throw new Error(
      `kubernetesCache.pageSize must be a positive whole number, got ${pageSize}`,
    );
  }
  return {
    pollIntervalSeconds: seconds('pollIntervalSeconds'),
    watchTimeoutSeconds: seconds('watchTimeoutSeconds'),
    idleTimeoutSeconds: seconds('idleTimeoutSeconds'),
    pageSize,
  };
}

type Listener = (event: ResourceEvent<any>) => void;

/** One cluster's copy of one kind. */
interface ClusterCopy {
  objects: Map<string, KubernetesObject>;
  synced: boolean;
  /** The array `list()` hands out, rebuilt lazily after a change. */
  snapshot?: ReadonlyArray<KubernetesObject>;
  /** What the freshness looked like at the last version bump (mode, synced, stale, ...). */
  freshnessSignature?: string;
  outdatedTimer?: ReturnType<typeof setTimeout>;
}

/** The objects of one registered kind in every cluster, with its reflectors and subscribers. */
class CachedKind implements CachedResource<KubernetesObject>, ReflectorSink {
  private readonly copies = new Map<string, ClusterCopy>();
  readonly reflectors = new Map<string, KindReflector>();
  private readonly listeners = new Set<Listener>();
  private changes = 0;
  private loggedListenerError = false;

  constructor(
    readonly kind: ResourceKind,
    private readonly intervalMs: number,
    private readonly logger: LoggerService,
    private readonly onVersion: () => void,
  ) {}

  addCluster(cluster: string, reflector: KindReflector): void {
    this.copies.set(cluster, { objects: new Map(), synced: false });
    this.reflectors.set(cluster, reflector);
  }

  list(cluster: string): ReadonlyArray<KubernetesObject> | undefined {
    const copy = this.copies.get(cluster);
    if (!copy?.synced) return undefined;
    copy.snapshot ??= [...copy.objects.values()];
    return copy.snapshot;
  }

  current(cluster: string): ReadonlyArray<KubernetesObject> | undefined {
    return this.list(cluster);
  }

  version(): number {
    return this.changes;
  }

  subscribe(
    listener: (event: ResourceEvent<KubernetesObject>) => void,
  ): () => void {
    for (const [cluster, copy] of this.copies) {
      if (copy.synced) {
        this.deliver(listener, {
          type: 'SYNCED',
          cluster,
          objects: this.list(cluster)!,
        });
      }
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  freshness(cluster: string, now: Date = new Date()): ClusterFreshness {
    const reflector = this.reflectors.get(cluster);
    if (!reflector) {
      throw new Error(
        `no cluster named ${cluster} is configured (kubernetes.clusterLocatorMethods)`,
      );
    }
    return judgeFreshness(cluster, reflector.state, now, this.intervalMs);
  }

  replace(cluster: string, objects: KubernetesObject[]): void {
    const copy = this.copies.get(cluster)!;
    copy.objects = new Map(objects.map(object => [objectKey(object), object]));
    copy.synced = true;
    copy.snapshot = undefined;
    this.bump();
    this.emit({ type: 'SYNCED', cluster, objects: this.list(cluster)! });
    this.stateChanged(cluster);
  }

  change(
    cluster: string,
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    object: KubernetesObject,
  ): void {
    const copy = this.copies.get(cluster)!;
    const key = objectKey(object);
    if (type === 'DELETED') copy.objects.delete(key);
    else copy.objects.set(key, object);
    copy.snapshot = undefined;
    this.bump();
    this.emit({ type, cluster, object });
  }

  /**
   * Bumps the version when the freshness a view would show changed (mode, synced, stale,
   * outdated, error), and arms a timer for the moment the copy turns outdated by age alone, so
   * "has anything changed" also answers yes when a cluster goes Unknown.
   */
  stateChanged(cluster: string): void {
    const copy = this.copies.get(cluster);
    if (!copy) return;
    const now = new Date();
    const freshness = this.freshness(cluster, now);
    const signature = [
      freshness.mode,
      freshness.synced,
      freshness.stale,
      freshness.outdated,
      freshness.error?.message,
      freshness.note,
    ].join('|');
    if (signature !== copy.freshnessSignature) {
      copy.freshnessSignature = signature;
      this.bump();
    }
    if (copy.outdatedTimer) clearTimeout(copy.outdatedTimer);
    copy.outdatedTimer = undefined;
    const reflector = this.reflectors.get(cluster)!;
    if (!freshness.outdated && !reflector.state.watching) {
      const since = freshness.lastSuccess ?? reflector.state.startedAt;
      const due = since.getTime() + 2 * this.intervalMs - now.getTime() + 1;
      copy.outdatedTimer = setTimeout(
        () => this.stateChanged(cluster),
        Math.max(1, due),
      );
      copy.outdatedTimer.unref?.();
    }
  }

  stopTimers(): void {
    for (const copy of this.copies.values()) {
      if (copy.outdatedTimer) clearTimeout(copy.outdatedTimer);
      copy.outdatedTimer = undefined;
    }
  }

  private bump(): void {
    this.changes += 1;
    this.onVersion();
  }

  private emit(event: ResourceEvent<KubernetesObject>): void {
    for (const listener of this.listeners) this.deliver(listener, event);
  }

  /** A failing subscriber must not stop the others, nor the watch. */
  private deliver(listener: Listener, event: ResourceEvent<KubernetesObject>) {
    try {
      listener(event);
    } catch (error) {
      if (!this.loggedListenerError) {
        this.logger.error(
          `a subscriber of ${this.kind.group || 'core'}/${this.kind.version} ${
            this.kind.plural
          } failed on ${event.type} of cluster ${event.cluster}: ${
            (error as Error)?.stack ?? error
          }`,
        );
        this.loggedListenerError = true;
      }
    }
  }
}

/**
 * The shared, watch-based cache of the configured clusters: one list-then-watch per
 * (cluster, kind) however many plugins register that kind. See {@link ClusterCacheService}.
 *
 * @public
 */
export class ClusterCache implements ClusterCacheService {
  private readonly kinds = new Map<string, CachedKind>();
  private readonly timing: ReflectorTiming;
  private readonly clientFactory: (
    cluster: ClusterDetails,
  ) => KubernetesHttpClient;
  private changes = 0;
  private stopped = false;

  /** A cache of the clusters in `kubernetes.clusterLocatorMethods`, timed by `kubernetesCache`. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): ClusterCache {
    return new ClusterCache({
      clusters: readClustersFromConfig(config),
      logger: options.logger,
      ...readClusterCacheConfig(config),
    });
  }

  constructor(private readonly options: ClusterCacheOptions) {
    const seconds = (value: number | undefined, fallback: number) =>
      (value ?? fallback) * 1000;
    const watchTimeoutSeconds =
      options.watchTimeoutSeconds ?? DEFAULTS.watchTimeoutSeconds;
    this.timing = {
      pageSize: options.pageSize ?? DEFAULTS.pageSize,
      pollIntervalMs: seconds(
        options.pollIntervalSeconds,
        DEFAULTS.pollIntervalSeconds,
      ),
      watchTimeoutSeconds,
      idleTimeoutMs: seconds(
        options.idleTimeoutSeconds,
        DEFAULTS.idleTimeoutSeconds,
      ),
      initialBackoffMs: seconds(
        options.initialBackoffSeconds,
        DEFAULTS.initialBackoffSeconds,
      ),
      maxBackoffMs: seconds(
        options.maxBackoffSeconds,
        DEFAULTS.maxBackoffSeconds,
      ),
      discoveryRecheckMs: seconds(
        options.discoveryRecheckSeconds,
        watchTimeoutSeconds,
      ),
    };
    this.clientFactory =
      options.clientFactory ?? (cluster => new KubernetesHttpClient(cluster));
  }

  clusterNames(): string[] {
    return this.options.clusters.map(cluster => cluster.name);
  }

  register<T = KubernetesObject>(kind: ResourceKind): CachedResource<T> {
    const key = `${kind.group}/${kind.version}/${kind.plural}`;
    let cached = this.kinds.get(key);
    if (cached) {
      // a kind some reader needs is not optional for anyone: its absence is then an error
      if (cached.kind.optional && !kind.optional) {
        (cached.kind as { optional?: boolean }).optional = false;
      }
      return cached as unknown as CachedResource<T>;
    }
    if (this.stopped) {
      throw new Error(
        'the cluster cache has stopped: the backend is shutting down',
      );
    }
    cached = new CachedKind(
      { ...kind },
      this.timing.pollIntervalMs,
      this.options.logger,
      () => {
        this.changes += 1;
      },
    );
    this.kinds.set(key, cached);
    for (const cluster of this.options.clusters) {
      const reflector = new KindReflector(
        cluster.name,
        cached.kind,
        this.clientFactory(cluster),
        this.timing,
        cached,
        this.options.logger,
      );
      cached.addCluster(cluster.name, reflector);
    }
    for (const [cluster, reflector] of cached.reflectors) {
      reflector.start();
      cached.stateChanged(cluster);
    }
    return cached as unknown as CachedResource<T>;
  }

  freshness(now: Date = new Date()): ClusterFreshness[] {
    return this.clusterNames().map(cluster =>
      worstFreshness(
        cluster,
        [...this.kinds.values()].map(kind => kind.freshness(cluster, now)),
      ),
    );
  }

  version(): number {
    return this.changes;
  }

  /** Requests and bytes per (cluster, kind) so far, for benchmarks and diagnostics. */
  usage(): ClusterCacheUsage[] {
    const result: ClusterCacheUsage[] = [];
    for (const cached of this.kinds.values()) {
      for (const [cluster, reflector] of cached.reflectors) {
        result.push({
          cluster,
          kind: reflector.description,
          ...reflector.usage,
        });
      }
    }
    return result;
  }

  /** Ends every watch and poll (closing their connections); the copies stay readable. */
  async stop(): Promise<void> {
    this.stopped = true;
    const kinds = [...this.kinds.values()];
    await Promise.all(
      kinds.flatMap(kind =>
        [...kind.reflectors.values()].map(reflector => reflector.stop()),
      ),
    );
    for (const kind of kinds) kind.stopTimers();
  }
}
