import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@internal/kube-model';
import { ClusterRequestError } from '../errors';
import { isGone, type KubernetesHttpClient } from '../KubernetesHttpClient';
import type { ListRequest } from '../types';
import type { ReflectorState } from './freshness';
import type { ResourceKind } from './types';

/** The timing of every reflector of a cache. */
export interface ReflectorTiming {
  /** Items per page of a list. */
  pageSize: number;
  /** Fallback polling interval, the unit of staleness, and the discovery re-check of `not-served`. */
  pollIntervalMs: number;
  /** The server ends a watch after this many seconds, plus up to as many again (jitter). */
  watchTimeoutSeconds: number;
  /** A watch that sends nothing (no event, no bookmark) for this long is dead and reopened. */
  idleTimeoutMs: number;
  /** First retry delay after a failure; doubles per failure up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** How often a kind the cluster does not serve is looked up again in discovery. */
  discoveryRecheckMs: number;
}

/** Where a reflector delivers what it learns. */
export interface ReflectorSink {
  /** The full set after a list, relist or changed poll. */
  replace(cluster: string, objects: KubernetesObject[]): void;
  /** One change seen on the watch. */
  change(
    cluster: string,
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    object: KubernetesObject,
  ): void;
  /** The state (mode, error, watching, ...) changed. */
  stateChanged(cluster: string): void;
  /** The current objects, to tell whether a poll changed anything. */
  current(cluster: string): ReadonlyArray<KubernetesObject> | undefined;
}

/** A watch that ends sooner than this after opening does not reset the backoff. */
const MIN_HEALTHY_WATCH_MS = 1_000;

class IdleWatchError extends Error {
  constructor(seconds: number) {
    super(`the watch sent nothing for ${seconds} s`);
    this.name = 'IdleWatchError';
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

const errorMessage = (error: unknown) =>
  (error as Error)?.message ?? String(error);

/**
 * Keeps one cluster's copy of one kind current, the way client-go's reflector does: list (in
 * pages), then watch from the list's resourceVersion; resume a dropped or timed-out watch from the
 * last resourceVersion seen (events and bookmarks); relist on 410 Gone; back off with jitter on
 * errors; poll when the server refuses watch (405/403); report a kind the cluster does not serve
 * as `not-served` when it is optional.
 */
export class KindReflector {
  readonly state: ReflectorState;
  private readonly request: ListRequest;
  private readonly apiVersion: string;
  private resourceVersion?: string;
  private failures = 0;
  private loggedError?: string;
  private readonly abort = new AbortController();
  private done?: Promise<void>;
  private watchOpenedAt = 0;

  constructor(
    private readonly cluster: string,
    private readonly kind: ResourceKind,
    private readonly client: KubernetesHttpClient,
    private readonly timing: ReflectorTiming,
    private readonly sink: ReflectorSink,
    private readonly logger: LoggerService,
  ) {
    this.request = {
      group: kind.group,
      version: kind.version,
      plural: kind.plural,
    };
    this.apiVersion = kind.group
      ? `${kind.group}/${kind.version}`
      : kind.version;
    this.state = {
      mode: 'starting',
      synced: false,
      watching: false,
      startedAt: new Date(),
    };
  }

  /** `group/version plural`, for messages. */
  get description(): string {
    return `${this.apiVersion} ${this.kind.plural}`;
  }

  /** Requests and bytes this (cluster, kind) has cost so far. */
  get usage(): { requests: number; bytes: number } {
    return { requests: this.client.requestCount, bytes: this.client.bytesRead };
  }

  start(): void {
    this.state.startedAt = new Date();
    this.done ??= this.run();
  }

  /** Ends the watch (closing its connection) and waits for the loop to finish. */
  async stop(): Promise<void> {
    this.abort.abort(new Error('the cluster cache is stopping'));
    await this.done;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let phase: 'discovery' | 'list' | 'watch' = 'list';
      try {
        // optional kinds are looked up before every (re)list: a CRD may come or go
        if (this.kind.optional && this.resourceVersion === undefined) {
          phase = 'discovery';
          const served = await this.client.serves(
            this.kind.group,
            this.kind.version,
            this.kind.plural,
            this.abort.signal,
          );
          if (!served) {
            this.notServed();
            await sleep(this.timing.discoveryRecheckMs, this.abort.signal);
            continue;
          }
        }
        if (this.state.mode === 'poll') {
          phase = 'list';
          await this.poll();
          await sleep(this.timing.pollIntervalMs, this.abort.signal);
          continue;
        }
        if (this.resourceVersion === undefined) {
          phase = 'list';
          await this.relist();
        }
        phase = 'watch';
        await this.watchOnce();
        // the server ended the watch (its timeoutSeconds): the next one opens at once, unless
        // watches keep ending right away (a proxy cutting them): then back off
        if (!this.lastWatchWasLong()) {
          this.failures += 1;
          await sleep(this.backoffMs(), this.abort.signal);
        }
      } catch (error) {
        if (this.stopped) break;
        const wasWatching = this.state.watching;
        this.setWatching(false);
        if (error instanceof IdleWatchError) {
          this.logger.warn(
            `cluster ${this.cluster}: ${this.description}: ${error.message}; watching again from resourceVersion ${this.resourceVersion}`,
          );
          continue;
        }
        if (phase === 'watch' && isGone(error)) {
          // too old a resourceVersion: only a new list can say what the cluster holds now
          this.resourceVersion = undefined;
          continue;
        }
        if (
          phase === 'watch' &&
          error instanceof ClusterRequestError &&
          (error.status === 405 || error.status === 403)
        ) {
          this.startPolling(error.status);
          continue;
        }
        if (
          this.kind.optional &&
          error instanceof ClusterRequestError &&
          error.status === 404
        ) {
          // gone from discovery since the last look? ask again before the next list
          this.resourceVersion = undefined;
        }
        this.fail(error, wasWatching);
        await sleep(this.backoffMs(), this.abort.signal);
      }
    }
    this.setWatching(false);
  }

  /** Lists every page and replaces the cluster's copy; the watch continues from its version. */
  private async relist(): Promise<void> {
    const list = await this.client.listAll<KubernetesObject>(this.request, {
      pageSize: this.timing.pageSize,
      signal: this.abort.signal,
    });
    if (this.stopped) return;
    const objects = list.items.map(item => this.typed(item));
    this.resourceVersion = list.resourceVersion ?? '0';
    this.succeeded('watch');
    this.sink.replace(this.cluster, objects);
  }

  /**
   * One watch from the current resourceVersion until the server ends it, it drops, or it stays
   * silent for longer than the idle timeout.
   */
  private async watchOnce(): Promise<void> {
    const idle = new AbortController();
    const signal = AbortSignal.any([this.abort.signal, idle.signal]);
    let lastHeard = Date.now();
    const idleCheck = setInterval(() => {
      if (Date.now() - lastHeard > this.timing.idleTimeoutMs) {
        idle.abort(
          new IdleWatchError(Math.round(this.timing.idleTimeoutMs / 1000)),
        );
      }
    }, Math.max(50, Math.min(5_000, this.timing.idleTimeoutMs / 4)));
    idleCheck.unref?.();
    // client-go's spread: watches of many kinds do not all end (and reopen) together
    const timeoutSeconds = Math.max(
      1,
      Math.round(this.timing.watchTimeoutSeconds * (1 + Math.random())),
    );
    try {
      await this.client.watch<KubernetesObject>(
        { ...this.request, timeoutSeconds, allowWatchBookmarks: true },
        this.resourceVersion ?? '0',
        event => {
          lastHeard = Date.now();
          const version = event.object?.metadata?.resourceVersion;
          if (version) this.resourceVersion = version;
          if (event.type !== 'BOOKMARK') {
            this.sink.change(
              this.cluster,
              event.type,
              this.typed(event.object),
            );
          }
        },
        signal,
        {
          onOpen: () => {
            lastHeard = Date.now();
            this.setWatching(true);
          },
        },
      );
      this.setWatching(false);
    } catch (error) {
      if (idle.signal.aborted && !this.stopped) throw idle.signal.reason;
      throw error;
    } finally {
      clearInterval(idleCheck);
    }
  }

  /** One list in poll mode; the cluster's copy is replaced only when something changed. */
  private async poll(): Promise<void> {
    const list = await this.client.listAll<KubernetesObject>(this.request, {
      pageSize: this.timing.pageSize,
      signal: this.abort.signal,
    });
    if (this.stopped) return;
    const objects = list.items.map(item => this.typed(item));
    const changed = !sameVersions(this.sink.current(this.cluster), objects);
    this.resourceVersion = list.resourceVersion ?? this.resourceVersion;
    this.succeeded('poll');
    if (changed) this.sink.replace(this.cluster, objects);
  }

  private startPolling(status: number): void {
    const seconds = Number((this.timing.pollIntervalMs / 1000).toFixed(1));
    this.state.mode = 'poll';
    this.state.note = `watch refused (${status}): polling every ${seconds} s`;
    this.logger.warn(
      `cluster ${this.cluster} refuses to watch ${this.description} (${status}): polling every ${seconds} s instead`,
    );
    this.sink.stateChanged(this.cluster);
  }

  private notServed(): void {
    const wasNotServed = this.state.mode === 'not-served' && !this.state.error;
    this.state.mode = 'not-served';
    this.state.synced = true;
    this.state.lastCurrent = new Date();
    this.state.error = undefined;
    this.state.note = `cluster ${this.cluster} does not serve ${this.description}`;
    this.resourceVersion = undefined;
    this.failures = 0;
    if (!wasNotServed) {
      this.sink.replace(this.cluster, []);
      this.sink.stateChanged(this.cluster);
    }
  }

  private succeeded(mode: 'watch' | 'poll'): void {
    this.failures = 0;
    this.state.lastCurrent = new Date();
    const changed =
      this.state.mode !== mode ||
      this.state.error !== undefined ||
      !this.state.synced;
    this.state.mode = mode;
    this.state.synced = true;
    if (mode === 'watch') this.state.note = undefined;
    this.state.error = undefined;
    if (this.loggedError) {
      this.logger.info(
        `cluster ${this.cluster}: ${this.description} is current again`,
      );
      this.loggedError = undefined;
    }
    if (changed) this.sink.stateChanged(this.cluster);
  }

  private setWatching(watching: boolean): void {
    if (this.state.watching === watching) return;
    this.state.watching = watching;
    if (watching) {
      this.watchOpenedAt = Date.now();
      this.state.error = undefined;
      if (this.loggedError) {
        this.logger.info(
          `cluster ${this.cluster}: watching ${this.description} again`,
        );
        this.loggedError = undefined;
      }
    }
    // open: current from now on; closed: the copy ages from this moment
    this.state.lastCurrent = new Date();
    this.sink.stateChanged(this.cluster);
  }

  private fail(error: unknown, wasWatching: boolean): void {
    const message = errorMessage(error);
    if (wasWatching && this.lastWatchWasLong()) {
      // a dropped stream is resumed at once from the last resourceVersion; an error is
      // reported only when that fails too
      this.failures = 0;
      return;
    }
    this.failures += 1;
    this.state.error = { message, at: new Date() };
    this.sink.stateChanged(this.cluster);
    if (this.loggedError !== message) {
      this.logger.error(
        `cluster ${this.cluster}: keeping ${this.description} current failed, keeping the last good copy: ${message}`,
      );
      this.loggedError = message;
    }
  }

  /** Whether the latest watch stayed open long enough to count as healthy. */
  private lastWatchWasLong(): boolean {
    const lasted = Date.now() - this.watchOpenedAt;
    if (lasted >= MIN_HEALTHY_WATCH_MS) this.failures = 0;
    return lasted >= MIN_HEALTHY_WATCH_MS;
  }

  /** Exponential from the first failure, capped, with jitter; 0 before any failure. */
  private backoffMs(): number {
    if (this.failures === 0) return 0;
    const exponential = Math.min(
      this.timing.maxBackoffMs,
      this.timing.initialBackoffMs * 2 ** (this.failures - 1),
    );
    return exponential * (0.5 + Math.random() / 2);
  }

  /**
   * Items of lists (custom resources especially) may omit apiVersion and kind: filled in.
   * `metadata.managedFields` (server-side apply bookkeeping, often the bulk of an object) is
   * dropped, as client-go informers commonly do: no reader needs it.
   */
  private typed(object: KubernetesObject): KubernetesObject {
    if (!object) return object;
    object.apiVersion ??= this.apiVersion;
    object.kind ??= this.kind.kind;
    if (object.metadata && 'managedFields' in object.metadata) {
      delete object.metadata.managedFields;
    }
    return object;
  }
}

/** Whether two lists hold the same objects at the same resourceVersions. */
function sameVersions(
  before: ReadonlyArray<KubernetesObject> | undefined,
  after: ReadonlyArray<KubernetesObject>,
): boolean {
  if (!before || before.length !== after.length) return false;
  const versions = new Map<string, string | undefined>();
  for (const object of before) {
    versions.set(objectKey(object), object.metadata?.resourceVersion);
  }
  return after.every(object => {
    const key = objectKey(object);
    return (
      versions.has(key) &&
      versions.get(key) === object.metadata?.resourceVersion
    );
  });
}

/** `namespace/name`: the identity of an object of one kind in one cluster. */
export function objectKey(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}
