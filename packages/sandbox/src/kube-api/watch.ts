import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  compileLabelSelector,
  groupOfApiVersion,
  type KubernetesObject,
} from '@internal/kube-model';
import {
  parseFieldSelector,
  type ChangeEvent,
  type ClusterStore,
} from '../store';
import { readObjects, servedForm } from './readResources';
import { groupVersionOf, type ResourceType } from './resources';
import { statusBody } from './status';
import { toTable } from './table';

/** The query of a watch request, validated. */
export interface WatchQuery {
  resource: ResourceType;
  /** Undefined for cluster-scoped types and all-namespaces watches. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this resourceVersion; undefined (or `0`) sends the current objects as ADDED first. */
  resourceVersion?: string;
  /** `sendInitialEvents=true`: initial ADDED events end with a bookmark annotated `k8s.io/initial-events-end`. */
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  /** Events carry one-row `meta.k8s.io/v1` Tables (what `kubectl get --watch` asks for). */
  asTable: boolean;
}

/** A watch query parameter that the API server would reject. */
export class WatchQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchQueryError';
  }
}

/**
 * Reads the watch parameters of a request.
 *
 * @throws WatchQueryError for unparsable values.
 */
export function parseWatchQuery(
  params: URLSearchParams,
  target: Pick<WatchQuery, 'resource' | 'namespace' | 'asTable'>,
): WatchQuery {
  const resourceVersion = params.get('resourceVersion') || undefined;
  if (resourceVersion !== undefined && !/^\d+$/.test(resourceVersion)) {
    throw new WatchQueryError(
      `invalid resource version: ${JSON.stringify(resourceVersion)}`,
    );
  }
  const timeout = params.get('timeoutSeconds');
  let timeoutSeconds: number | undefined;
  if (timeout !== null && timeout !== '') {
    timeoutSeconds = Number(timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0) {
      throw new WatchQueryError(`invalid timeoutSeconds: ${timeout}`);
    }
    if (timeoutSeconds === 0) timeoutSeconds = undefined;
  }
  const sendInitial = params.get('sendInitialEvents');
  return {
    ...target,
    labelSelector: params.get('labelSelector') ?? undefined,
    fieldSelector: params.get('fieldSelector') ?? undefined,
    resourceVersion,
    sendInitialEvents: sendInitial === null ? undefined : isTrue(sendInitial),
    timeoutSeconds,
    allowWatchBookmarks: isTrue(params.get('allowWatchBookmarks')),
  };
}

/** `true`/`1` (how Go's strconv.ParseBool reads query flags; other true spellings are rare). */
export function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1' || value === 'True' || value === 't';
}

/** Options of {@link WatchStream}. */
export interface WatchStreamOptions {
  store: ClusterStore;
  query: WatchQuery;
  /** How often a watch that allows bookmarks gets one. */
  bookmarkIntervalMs: number;
  /** Called with the byte size of every chunk written. */
  onBytes(bytes: number): void;
  /** Called once when the stream has ended (either side). */
  onClose(): void;
}

// A client this far behind is dropped (like the API server's full watch channel); it resumes from
// the last resourceVersion it saw.
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/**
 * One watch response: newline-delimited `{"type","object"}` JSON events over a chunked 200
 * response, as the API server streams them. Starts with ADDED for the current objects (no
 * resourceVersion or `0`) or with the kept changes after the given resourceVersion; a
 * resourceVersion outside the kept history gets an ERROR event with a 410 `Expired` Status and the
 * stream ends. Changes are matched against namespace, label and field selectors the way the watch
 * cache does it: an object that starts matching is ADDED, one that stops matching is DELETED.
 */
export class WatchStream {
  private unsubscribe?: () => void;
  private readonly timers: NodeJS.Timeout[] = [];
  private ended = false;
  private readonly matches: (obj: KubernetesObject) => boolean;
  private readonly served: (obj: KubernetesObject) => KubernetesObject;
  private readonly finished: Promise<void>;

  /**
   * @throws LabelSelectorError or FieldSelectorError for malformed selectors (before anything is
   * written).
   */
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly options: WatchStreamOptions,
  ) {
    const { query } = options;
    const matchLabels = compileLabelSelector(query.labelSelector ?? '');
    const matchFields = parseFieldSelector(
      query.fieldSelector ?? '',
      query.resource.kind,
    );
    const { resource, namespace } = query;
    this.served = servedForm(resource);
    this.matches = obj =>
      obj.kind === resource.kind &&
      groupOfApiVersion(obj.apiVersion) === resource.group &&
      (namespace === undefined ||
        !resource.namespaced ||
        obj.metadata.namespace === namespace) &&
      matchLabels(obj.metadata.labels) &&
      matchFields(obj);
    this.finished = new Promise(resolve => {
      res.once('close', resolve);
      res.once('finish', resolve);
    });
    res.once('close', () => this.end());
  }

  /** Writes the response head and the first events, then follows the store. */
  start(): void {
    const { store, query } = this.options;
    this.res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    // Clients wait for the head before they make the changes they expect to see.
    this.res.flushHeaders();
    this.req.socket.setNoDelay(true);
    const initial = this.initialEvents();
    if ('expired' in initial) {
      this.write({
        type: 'ERROR',
        object: statusBody(410, 'Expired', initial.expired),
      });
      this.end();
      return;
    }
    this.writeAll(initial);
    if (query.sendInitialEvents && query.allowWatchBookmarks) {
      this.write(this.bookmark({ 'k8s.io/initial-events-end': 'true' }));
    }
    // Same tick as the initial events: no change can fall between them and the subscription.
    this.unsubscribe = store.subscribe(event => this.onChange(event));
    if (query.allowWatchBookmarks) {
      const timer = setInterval(
        () => this.write(this.bookmark()),
        this.options.bookmarkIntervalMs,
      );
      timer.unref();
      this.timers.push(timer);
    }
    if (query.timeoutSeconds !== undefined) {
      const timer = setTimeout(() => this.end(), query.timeoutSeconds * 1000);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Ends the stream cleanly (the client sees the response end and watches again). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    if (!this.res.writableEnded && !this.res.destroyed) this.res.end();
    this.options.onClose();
  }

  /** Resolves when the response is fully sent or its connection is gone. */
  get done(): Promise<void> {
    return this.finished;
  }

  private initialEvents(): WatchEventLine[] | { expired: string } {
    const { store, query } = this.options;
    const fromScratch =
      query.resourceVersion === undefined || query.resourceVersion === '0';
    if (fromScratch || query.sendInitialEvents) {
      if (query.sendInitialEvents === false) return [];
      return readObjects(store, {
        resource: query.resource,
        namespace: query.resource.namespaced ? query.namespace : undefined,
        labelSelector: query.labelSelector,
        fieldSelector: query.fieldSelector,
      }).map(obj => this.event('ADDED', obj));
    }
    const changes = store.changesSince(query.resourceVersion!);
    if (!changes) {
      return {
        expired:
          Number(query.resourceVersion) > Number(store.resourceVersion)
            ? `resource version ${query.resourceVersion} is newer than the sandbox's ${store.resourceVersion}: it comes from an earlier run of the sandbox, list again`
            : `too old resource version: ${query.resourceVersion} (${store.oldestResourceVersion})`,
      };
    }
    const lines: WatchEventLine[] = [];
    for (const change of changes) {
      const line = this.translate(change);
      if (line) lines.push(line);
    }
    return lines;
  }

  private onChange(change: ChangeEvent): void {
    if (this.ended) return;
    const line = this.translate(change);
    if (!line) return;
    this.write(line);
    if (this.res.writableLength > MAX_BUFFERED_BYTES) this.end();
  }

  /** The event this watch sends for a store change, if any (selector transitions included). */
  private translate(change: ChangeEvent): WatchEventLine | undefined {
    const now = this.matches(change.object);
    const before =
      change.previous !== undefined && this.matches(change.previous);
    switch (change.type) {
      case 'ADDED':
        return now ? this.event('ADDED', change.object) : undefined;
      case 'MODIFIED':
        if (now)
          return this.event(before ? 'MODIFIED' : 'ADDED', change.object);
        return before ? this.event('DELETED', change.object) : undefined;
      case 'DELETED':
        return now ? this.event('DELETED', change.object) : undefined;
      default:
        return undefined;
    }
  }

  private event(
    type: ChangeEvent['type'],
    stored: KubernetesObject,
  ): WatchEventLine {
    const { query } = this.options;
    const obj = this.served(stored);
    return {
      type,
      object: query.asTable
        ? toTable(
            query.resource.kind,
            [obj],
            obj.metadata.resourceVersion ?? '',
          )
        : obj,
    };
  }

  private bookmark(annotations?: Record<string, string>): WatchEventLine {
    const { resource } = this.options.query;
    return {
      type: 'BOOKMARK',
      object: {
        kind: resource.kind,
        apiVersion: groupVersionOf(resource),
        metadata: {
          resourceVersion: this.options.store.resourceVersion,
          ...(annotations ? { annotations } : {}),
        },
      },
    };
  }

  private write(line: WatchEventLine): void {
    this.writeChunk(`${JSON.stringify(line)}\n`);
  }

  // The initial events of a large list go out in chunks of about 1 MB, not one chunk per object.
  private writeAll(lines: WatchEventLine[]): void {
    let chunk = '';
    for (const line of lines) {
      chunk += `${JSON.stringify(line)}\n`;
      if (chunk.length >= 1_000_000) {
        this.writeChunk(chunk);
        chunk = '';
      }
    }
    if (chunk) this.writeChunk(chunk);
  }

  private writeChunk(chunk: string): void {
    if (this.ended || this.res.writableEnded || this.res.destroyed) return;
    this.res.write(chunk);
    this.options.onBytes(Buffer.byteLength(chunk));
  }
}

/** One line of a watch response. */
interface WatchEventLine {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}
