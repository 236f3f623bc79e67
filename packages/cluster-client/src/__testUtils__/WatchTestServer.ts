import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { KubernetesObject } from '@internal/kube-model';
import { createSelfSignedCertificate } from '@internal/sandbox';

/** One resource type the server serves, e.g. `{ group: '', version: 'v1', plural: 'pods', kind: 'Pod' }`. */
export interface TestResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

interface StoredEvent {
  revision: number;
  resource: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubernetesObject;
}

interface OpenWatch {
  resource: string;
  res: ServerResponse;
  bookmarks: boolean;
  timer: ReturnType<typeof setTimeout>;
}

const keyOf = (r: { group: string; version: string; plural: string }) =>
  `${r.group}/${r.version}/${r.plural}`;

/**
 * A small Kubernetes API speaking the watch protocol at the wire level, for the cache's protocol
 * tests until the sandbox speaks it: discovery, paged lists (`limit`/`continue`) with a
 * resourceVersion, `?watch=true` streams of newline-delimited events from a resourceVersion with
 * bookmarks and `timeoutSeconds`, 410 Gone for a compacted resourceVersion (as a status or an
 * ERROR event), refused watches (405/403), dropped connections and silent watches. It records
 * every request.
 */
export class WatchTestServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly resources = new Map<string, TestResource>();
  private readonly objects = new Map<string, Map<string, KubernetesObject>>();
  private readonly events: StoredEvent[] = [];
  private readonly watches = new Set<OpenWatch>();
  private revision = 100;
  /** Watches from a resourceVersion below this answer 410 Gone. */
  private oldestWatchable = 0;
  /** Every request's path and query, in order. */
  readonly requests: string[] = [];
  /** Answer every watch with this status instead of streaming. */
  refuseWatch?: 405 | 403;
  /** How a too-old resourceVersion is refused: an HTTP 410 or a 200 with an ERROR event. */
  goneAs: 'status' | 'event' = 'status';
  /** Accept watches but never send anything, nor end them (a half-dead connection). */
  silentWatches = false;
  /** Continue tokens older than this revision answer 410 (an expired continue). */
  expireContinueBefore = 0;
  private address?: AddressInfo;
  /** PEM of the self-signed certificate when started with `tls`. */
  readonly caCertificate?: string;

  constructor(resources: TestResource[], options: { tls?: boolean } = {}) {
    for (const resource of resources) {
      this.resources.set(keyOf(resource), resource);
      this.objects.set(keyOf(resource), new Map());
    }
    const handler = (req: IncomingMessage, res: ServerResponse) =>
      this.handle(req, res);
    if (options.tls) {
      const tls = createSelfSignedCertificate(['127.0.0.1']);
      this.caCertificate = tls.cert;
      this.server = createHttpsServer(
        { cert: tls.cert, key: tls.key },
        handler,
      );
    } else {
      this.server = createServer(handler);
    }
    this.server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>(resolve =>
      this.server.listen(0, '127.0.0.1', resolve),
    );
    this.address = this.server.address() as AddressInfo;
    return this.url;
  }

  get url(): string {
    const scheme = this.caCertificate ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${this.address!.port}`;
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  /** How many watches are open now. */
  get openWatches(): number {
    return this.watches.size;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Creates or replaces an object; open watches of its type get ADDED or MODIFIED. */
  apply(resource: TestResource, object: KubernetesObject): KubernetesObject {
    const key = keyOf(resource);
    const store = this.objects.get(key)!;
    const name = `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    const existed = store.has(name);
    this.revision += 1;
    const stored: KubernetesObject = {
      ...object,
      apiVersion: resource.group
        ? `${resource.group}/${resource.version}`
        : resource.version,
      kind: resource.kind,
      metadata: { ...object.metadata, resourceVersion: this.resourceVersion },
    };
    store.set(name, stored);
    this.publish({
      revision: this.revision,
      resource: key,
      type: existed ? 'MODIFIED' : 'ADDED',
      object: stored,
    });
    return stored;
  }

  /** Deletes an object; open watches of its type get DELETED. */
  remove(resource: TestResource, namespace: string | undefined, name: string) {
    const key = keyOf(resource);
    const store = this.objects.get(key)!;
    const existing = store.get(`${namespace ?? ''}/${name}`);
    if (!existing) throw new Error(`no ${name} to delete`);
    store.delete(`${namespace ?? ''}/${name}`);
    this.revision += 1;
    this.publish({
      revision: this.revision,
      resource: key,
      type: 'DELETED',
      object: {
        ...existing,
        metadata: {
          ...existing.metadata,
          resourceVersion: this.resourceVersion,
        },
      },
    });
  }

  /** Stops serving a type (its CRD was removed) or serves it again. */
  setServed(resource: TestResource, served: boolean): void {
    if (served) {
      this.resources.set(keyOf(resource), resource);
      if (!this.objects.has(keyOf(resource))) {
        this.objects.set(keyOf(resource), new Map());
      }
    } else {
      this.resources.delete(keyOf(resource));
    }
  }

  /** Forgets the event history: watches from any earlier resourceVersion get 410 Gone. */
  compact(): void {
    this.oldestWatchable = this.revision + 1;
    this.events.length = 0;
  }

  /** Sends a BOOKMARK with the current resourceVersion on every open watch that asked for them. */
  bookmark(): void {
    for (const watch of this.watches) {
      if (!watch.bookmarks) continue;
      const resource = this.resources.get(watch.resource)!;
      this.write(watch, {
        type: 'BOOKMARK',
        object: {
          apiVersion: resource.group
            ? `${resource.group}/${resource.version}`
            : resource.version,
          kind: resource.kind,
          metadata: { resourceVersion: this.resourceVersion },
        },
      });
    }
  }

  /** Cuts every open watch's connection without an end (as a lost network path). */
  dropWatches(): void {
    for (const watch of [...this.watches]) {
      clearTimeout(watch.timer);
      this.watches.delete(watch);
      watch.res.socket?.destroy();
    }
  }

  /** The requests whose path starts with `prefix` and whose query has `param` (e.g. `watch=true`). */
  requestsOf(prefix: string, param?: string): string[] {
    return this.requests.filter(
      path =>
        path.startsWith(prefix) &&
        (param === undefined || new URL(path, this.url).search.includes(param)),
    );
  }

  private publish(event: StoredEvent): void {
    this.events.push(event);
    if (this.silentWatches) return;
    for (const watch of this.watches) {
      if (watch.resource === event.resource) {
        this.write(watch, { type: event.type, object: event.object });
      }
    }
  }

  private write(watch: OpenWatch, event: unknown): void {
    watch.res.write(`${JSON.stringify(event)}\n`);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req.url ?? '/');
    const url = new URL(req.url ?? '/', this.url);
    const segments = url.pathname.split('/').filter(Boolean);
    const [group, version, rest] =
      segments[0] === 'api'
        ? ['', segments[1], segments.slice(2)]
        : [segments[1], segments[2], segments.slice(3)];
    if (rest.length === 0) {
      const resources = [...this.resources.values()].filter(
        r => r.group === group && r.version === version,
      );
      if (resources.length === 0) {
        this.status(res, 404, 'NotFound', `${url.pathname} not found`);
        return;
      }
      this.json(res, 200, {
        kind: 'APIResourceList',
        groupVersion: group ? `${group}/${version}` : version,
        resources: resources.map(r => ({
          name: r.plural,
          kind: r.kind,
          verbs: ['get', 'list', 'watch'],
        })),
      });
      return;
    }
    const key = `${group}/${version}/${rest[0]}`;
    if (rest.length !== 1 || !this.resources.has(key)) {
      this.status(res, 404, 'NotFound', `${url.pathname} not found`);
      return;
    }
    if (url.searchParams.get('watch') === 'true') this.watch(res, url, key);
    else this.list(res, url, key);
  }

  private list(res: ServerResponse, url: URL, key: string): void {
    const all = [...this.objects.get(key)!.values()];
    const limit = Number(url.searchParams.get('limit') ?? 0);
    const token = url.searchParams.get('continue');
    let offset = 0;
    let revision = this.revision;
    if (token) {
      const [tokenRevision, tokenOffset] = token.split(':').map(Number);
      if (tokenRevision < this.expireContinueBefore) {
        this.status(res, 410, 'Expired', 'the continue token has expired');
        return;
      }
      offset = tokenOffset;
      revision = tokenRevision;
    }
    const page =
      limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const next = offset + page.length;
    const resource = this.resources.get(key)!;
    this.json(res, 200, {
      kind: `${resource.kind}List`,
      apiVersion: resource.group
        ? `${resource.group}/${resource.version}`
        : resource.version,
      metadata: {
        resourceVersion: String(revision),
        ...(limit > 0 && next < all.length
          ? { continue: `${revision}:${next}` }
          : {}),
      },
      // as a real API server, list items carry no apiVersion/kind
      items: page.map(({ apiVersion: _a, kind: _k, ...item }) => item),
    });
  }

  private watch(res: ServerResponse, url: URL, key: string): void {
    if (this.refuseWatch) {
      this.status(
        res,
        this.refuseWatch,
        this.refuseWatch === 405 ? 'MethodNotAllowed' : 'Forbidden',
        `watch is refused (${this.refuseWatch})`,
      );
      return;
    }
    const from = Number(url.searchParams.get('resourceVersion') ?? 0);
    if (from < this.oldestWatchable - 1 && this.goneAs === 'status') {
      this.status(res, 410, 'Expired', `too old resource version: ${from}`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    const watch: OpenWatch = {
      resource: key,
      res,
      bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
      timer: setTimeout(
        () => {
          if (this.silentWatches) return;
          this.watches.delete(watch);
          res.end();
        },
        timeoutSeconds > 0 ? timeoutSeconds * 1000 : 2 ** 30,
      ),
    };
    res.on('close', () => {
      clearTimeout(watch.timer);
      this.watches.delete(watch);
    });
    if (from < this.oldestWatchable - 1) {
      this.write(watch, {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Expired',
          code: 410,
          message: `too old resource version: ${from}`,
        },
      });
      res.end();
      return;
    }
    this.watches.add(watch);
    if (this.silentWatches) return;
    for (const event of this.events) {
      if (event.resource === key && event.revision > from) {
        this.write(watch, { type: event.type, object: event.object });
      }
    }
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private status(
    res: ServerResponse,
    code: number,
    reason: string,
    message: string,
  ): void {
    this.json(res, code, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason,
      message,
      code,
    });
  }
}
