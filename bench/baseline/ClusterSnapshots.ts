/**
 * The portal's cluster reader before issue 15 (periodic full relists into per-plugin snapshots),
 * kept verbatim as the OLD side of bench/read-core.bench.ts. Production code uses the watch-based
 * cluster cache of packages/cluster-client.
 */
import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  KubernetesHttpClient,
  isOutdated,
  type ClusterDetails,
} from '@internal/cluster-client';

/**
 * The shared snapshot of one cluster: the last good data, when it was taken, and the error of
 * the latest refresh if it failed.
 *
 * @public
 */
export interface SnapshotState<T> {
  /** The last successfully loaded data; undefined until the first success. */
  data?: T;
  /** When the latest refresh finished, successful or not. */
  lastRefresh?: Date;
  /** When `data` was loaded. */
  lastSuccess?: Date;
  /** Why the latest refresh failed; undefined after a success. */
  error?: { message: string; at: Date };
  /**
   * True when the latest refresh failed, or when `data` is older than
   * {@link STALE_AFTER_INTERVALS} refresh intervals (a refresh that hangs fails nothing).
   */
  stale: boolean;
  /**
   * True when the last good data (or the start, before any) is older than
   * {@link STALE_AFTER_INTERVALS} refresh intervals: too old to say what the cluster is now.
   */
  outdated?: boolean;
  /** Seconds since `data` was loaded, when it was. */
  ageSeconds?: number;
}

/** Options of {@link ClusterSnapshots}. @public */
export interface ClusterSnapshotsOptions<T> {
  clusters: ClusterDetails[];
  /** Reads one cluster; should throw on failure (the previous data is then kept). */
  load: (client: KubernetesHttpClient, cluster: ClusterDetails) => Promise<T>;
  refreshIntervalMs: number;
  logger: LoggerService;
  clientFactory?: (cluster: ClusterDetails) => KubernetesHttpClient;
  /** Scheduler task id; unique within the plugin. Defaults to `cluster-snapshots`. */
  taskId?: string;
}

/**
 * One shared, periodically refreshed snapshot per cluster. Requests read the snapshot and never
 * fetch, so the API servers see one set of list calls per interval however many people look.
 * A failed refresh keeps the last good data, marked stale, and logs its error once per distinct
 * message (a cluster that stays down does not flood the log).
 *
 * @public
 */
export class ClusterSnapshots<T> {
  private readonly entries: Array<{
    cluster: ClusterDetails;
    client: KubernetesHttpClient;
    state: SnapshotState<T>;
    loggedError?: string;
  }>;
  private inFlight?: Promise<void>;
  private timer?: ReturnType<typeof setInterval>;
  private stopped = false;
  private startedAt?: Date;

  constructor(private readonly options: ClusterSnapshotsOptions<T>) {
    const factory =
      options.clientFactory ?? (cluster => new KubernetesHttpClient(cluster));
    this.entries = options.clusters.map(cluster => ({
      cluster,
      client: factory(cluster),
      state: { stale: false },
    }));
  }

  /**
   * Refreshes now and then every `refreshIntervalMs`: through the scheduler when given (scope
   * `local`: every backend instance holds its own in-memory snapshot), else a timer.
   */
  start(scheduler?: SchedulerService): void {
    this.stopped = false;
    this.startedAt = new Date();
    if (scheduler) {
      scheduler
        .scheduleTask({
          id: this.options.taskId ?? 'cluster-snapshots',
          scope: 'local',
          frequency: { milliseconds: this.options.refreshIntervalMs },
          timeout: {
            milliseconds: Math.max(this.options.refreshIntervalMs * 3, 30_000),
          },
          fn: async () => {
            if (!this.stopped) await this.refreshNow();
          },
        })
        .catch(error =>
          this.options.logger.error(
            `could not schedule cluster snapshot refresh: ${error}`,
          ),
        );
      return;
    }
    void this.refreshNow();
    this.timer = setInterval(
      () => void this.refreshNow(),
      this.options.refreshIntervalMs,
    );
    // A snapshot timer alone must not keep the process (or a test runner) alive.
    this.timer.unref?.();
  }

  /** Stops the periodic refresh; the snapshots stay readable. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Refreshes every cluster once; concurrent calls share the refresh in flight. Never rejects. */
  refreshNow(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = Promise.all(
        this.entries.map(entry => this.refreshOne(entry)),
      )
        .then(() => undefined)
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }

  /**
   * The current snapshot of every cluster, in config order, with staleness judged at `now` by
   * {@link isOutdated}: a cluster that stops answering turns stale within two intervals even
   * while its refresh still waits for an answer.
   */
  states(
    now: Date = new Date(),
  ): Array<{ cluster: string } & SnapshotState<T>> {
    const interval = this.options.refreshIntervalMs;
    return this.entries.map(entry => {
      const { state } = entry;
      const outdated = isOutdated(
        state.lastSuccess ?? (state.data ? undefined : this.startedAt),
        now,
        interval,
      );
      const error =
        state.error ??
        (outdated
          ? {
              message: `no answer from cluster ${
                entry.cluster.name
              } for ${Math.round(
                (now.getTime() -
                  (state.lastSuccess ?? this.startedAt ?? now).getTime()) /
                  1000,
              )} s (refresh interval ${Math.round(interval / 1000)} s)`,
              at: now,
            }
          : undefined);
      return {
        cluster: entry.cluster.name,
        ...state,
        error,
        stale: state.stale || outdated,
        outdated,
        ageSeconds: state.lastSuccess
          ? Math.max(
              0,
              Math.round((now.getTime() - state.lastSuccess.getTime()) / 1000),
            )
          : undefined,
      };
    });
  }

  private async refreshOne(
    entry: (typeof this.entries)[number],
  ): Promise<void> {
    try {
      const data = await this.options.load(entry.client, entry.cluster);
      const now = new Date();
      entry.state = { data, lastRefresh: now, lastSuccess: now, stale: false };
      if (entry.loggedError) {
        this.options.logger.info(
          `cluster ${entry.cluster.name} is reachable again`,
        );
        entry.loggedError = undefined;
      }
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      const now = new Date();
      entry.state = {
        ...entry.state,
        lastRefresh: now,
        error: { message, at: now },
        stale: true,
      };
      if (entry.loggedError !== message) {
        this.options.logger.error(
          `refreshing cluster ${entry.cluster.name} failed, keeping the last good snapshot: ${message}`,
        );
        entry.loggedError = message;
      }
    }
  }
}
