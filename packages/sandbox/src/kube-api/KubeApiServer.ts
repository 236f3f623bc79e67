import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LabelSelectorError } from '@internal/kube-model';
import { FieldSelectorError, type ClusterStore } from '../store';
import {
  ApiRequestCounter,
  type CountedRequest,
  type CountedVerb,
} from './apiRequestCounter';
import {
  InvalidContinueTokenError,
  decodeContinueToken,
  encodeContinueToken,
  type ListPosition,
} from './continueToken';
import type { Logger } from '../control-api/types';
import { bearerToken, secretEquals } from './auth';
import {
  SANDBOX_KUBERNETES_VERSION,
  apiGroupList,
  apiGroupOf,
  apiResourceList,
  apiVersions,
} from './discovery';
import { DualProtocolListener } from './dualProtocolListener';
import { pathSegments, type ExtraRoute } from './http';
import { servePodLog } from './podLogRoute';
import { readObjects } from './readResources';
import {
  ResourceRegistry,
  groupVersionOf,
  type ResourceType,
} from './resources';
import { createSelfSignedCertificate } from './selfSignedCertificate';
import { sendJson, sendStatus, statusBody } from './status';
import { toTable, wantsTable } from './table';
import { WatchQueryError, WatchStream, isTrue, parseWatchQuery } from './watch';

/** Whether watch requests are served, and how they are refused when not. */
export interface WatchSettings {
  /** `false` refuses every watch, so clients must poll (tests the fallback of caches). */
  enabled: boolean;
  /** The refusal: 405 MethodNotAllowed (like an API that has no watch) or 403 Forbidden (like RBAC). */
  refuseWith: 403 | 405;
  /** How often watches that allow bookmarks get a BOOKMARK event. */
  bookmarkIntervalMs: number;
}

/** The default interval of BOOKMARK events (the API server sends one about every minute). */
export const DEFAULT_BOOKMARK_INTERVAL_MS = 30_000;

/** Options of {@link KubeApiServer}. */
export interface KubeApiServerOptions {
  store: ClusterStore;
  /** The bearer token every request except the health probes must present. */
  token: string;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Serve openreports.io/v1alpha1 besides wgpolicyk8s.io/v1alpha2. */
  openReports?: boolean;
  /**
   * Routes tried first, after authentication (the control API lives here); a function gets the
   * server, for routes that control it.
   */
  extraRoutes?: ExtraRoute[] | ((server: KubeApiServer) => ExtraRoute[]);
  /** Watch on or off and the bookmark interval; changeable later through {@link KubeApiServer.watchSettings}. */
  watch?: Partial<WatchSettings>;
  logger?: Logger;
  /** The clock for pod logs (tests pin it). */
  now?: () => Date;
  /** How often `pods/log?follow=true` looks for new lines; defaults to 1000 ms. */
  followPollMs?: number;
}

const HEALTH_PATHS = new Set(['/healthz', '/readyz', '/livez']);

/**
 * A read-only Kubernetes API over HTTP, backed by a {@link ClusterStore}: discovery, list (with
 * limit/continue) and get with label/field selectors, watch streams, server-side tables for
 * kubectl, and `kind: Status` errors. Writes answer 405 because the portal must only change the
 * cluster through Git.
 */
export class KubeApiServer {
  private readonly registry: ResourceRegistry;
  private readonly listener: DualProtocolListener;
  /** PEM of the self-signed certificate the https side serves (its own CA). */
  readonly caCertificate: string;
  /** Watch on/off and the bookmark interval; changes apply to the next watch request. */
  readonly watchSettings: WatchSettings;
  /** Requests and response bytes per (group, resource, verb). */
  readonly requestCounter = new ApiRequestCounter();
  private readonly extraRoutes: ExtraRoute[];
  private readonly watches = new Set<WatchStream>();
  private address?: AddressInfo;

  constructor(private readonly options: KubeApiServerOptions) {
    this.registry = new ResourceRegistry({
      openReports: options.openReports ?? false,
    });
    this.watchSettings = {
      enabled: options.watch?.enabled ?? true,
      refuseWith: options.watch?.refuseWith ?? 405,
      bookmarkIntervalMs:
        options.watch?.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS,
    };
    this.extraRoutes =
      typeof options.extraRoutes === 'function'
        ? options.extraRoutes(this)
        : options.extraRoutes ?? [];
    const tls = createSelfSignedCertificate([options.host ?? '127.0.0.1']);
    this.caCertificate = tls.cert;
    this.listener = new DualProtocolListener((req, res) => {
      this.handle(req, res).catch(error => {
        options.logger?.error(
          `kube-api ${req.method} ${req.url} failed: ${error?.stack ?? error}`,
        );
        if (!res.headersSent)
          sendStatus(
            res,
            500,
            'InternalError',
            String(error?.message ?? error),
          );
        else res.destroy();
      });
    }, tls);
  }

  /** The served resource types. */
  get resources(): readonly ResourceType[] {
    return this.registry.resources;
  }

  /** Starts listening; resolves with the https base URL (`https://127.0.0.1:7100`). */
  async start(): Promise<string> {
    this.address = await this.listener.listen(
      this.options.port,
      this.options.host ?? '127.0.0.1',
    );
    return this.url;
  }

  /** The https base URL (for kubectl and client libraries given {@link KubeApiServer.caCertificate}). */
  get url(): string {
    return `https://${this.hostPort()}`;
  }

  /** The plain-http base URL of the same port (for clients that do not need TLS). */
  get httpUrl(): string {
    return `http://${this.hostPort()}`;
  }

  /** Ends open watch streams, stops listening and closes open connections. */
  async stop(): Promise<void> {
    await this.closeWatches();
    if (this.listener.listening) await this.listener.close();
  }

  /** How many watch streams are open. */
  get openWatches(): number {
    return this.watches.size;
  }

  /**
   * Ends every open watch stream cleanly, as an API server does on restart or timeout (clients
   * watch again from the last resourceVersion they saw). Resolves with how many were open once
   * their responses are sent (at most 2 s).
   */
  async closeWatches(): Promise<number> {
    const open = [...this.watches];
    for (const watch of open) watch.end();
    await Promise.race([
      Promise.all(open.map(watch => watch.done)),
      new Promise(resolve => setTimeout(resolve, 2000).unref()),
    ]);
    return open.length;
  }

  private hostPort(): string {
    if (!this.address) throw new Error('KubeApiServer is not started');
    return `${this.address.address}:${this.address.port}`;
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (HEALTH_PATHS.has(url.pathname) && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    if (!secretEquals(bearerToken(req), this.options.token)) {
      sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    for (const route of this.extraRoutes) {
      if (await route(req, res, url)) return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendStatus(
        res,
        405,
        'MethodNotAllowed',
        `the sandbox API is read-only (${req.method} ${url.pathname}): change the GitOps repository instead`,
      );
      return;
    }
    this.handleGet(req, res, url);
  }

  private handleGet(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const segments = pathSegments(url.pathname);
    if (url.pathname === '/version') {
      sendJson(res, 200, SANDBOX_KUBERNETES_VERSION);
    } else if (segments[0] === 'api' && segments.length === 1) {
      // kubectl asks for aggregated discovery first; the legacy answer with a plain
      // application/json content type makes it fall back to per-group discovery.
      sendJson(res, 200, apiVersions(req.headers.host ?? '127.0.0.1'));
    } else if (segments[0] === 'apis' && segments.length === 1) {
      sendJson(res, 200, apiGroupList(this.registry));
    } else if (segments[0] === 'apis' && segments.length === 2) {
      const group = apiGroupOf(this.registry, segments[1]);
      if (group) sendJson(res, 200, group);
      else
        sendStatus(
          res,
          404,
          'NotFound',
          `the server could not find the requested resource (API group ${segments[1]})`,
        );
    } else if (segments[0] === 'api' && segments[1] === 'v1') {
      this.handleGroupVersion(req, res, url, '', 'v1', segments.slice(2));
    } else if (segments[0] === 'apis' && segments.length >= 3) {
      this.handleGroupVersion(
        req,
        res,
        url,
        segments[1],
        segments[2],
        segments.slice(3),
      );
    } else {
      sendStatus(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${url.pathname})`,
      );
    }
  }

  private handleGroupVersion(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    group: string,
    version: string,
    path: string[],
  ): void {
    const notFound = () =>
      sendStatus(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${url.pathname})`,
      );
    if (path.length === 0) {
      const list = apiResourceList(this.registry, group, version);
      if (list) sendJson(res, 200, list);
      else notFound();
      return;
    }
    // /namespaces/{ns}/{plural}[/{name}[/{subresource}]] is namespaced access; anything else is
    // /{plural}[/{name}[/{subresource}]] (which includes GET /api/v1/namespaces/{name}).
    // The legacy /watch/ prefix: /api/v1/watch/namespaces/{ns}/pods = ?watch=true.
    const legacyWatch = path[0] === 'watch' && path.length > 1;
    const rest = legacyWatch ? path.slice(1) : path;
    let namespace: string | undefined;
    let parts = rest;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      parts = rest.slice(2);
    }
    const [plural, name, subresource, ...extra] = parts;
    const resource = this.registry.find(group, version, plural);
    if (
      !resource ||
      extra.length > 0 ||
      (namespace !== undefined && !resource.namespaced)
    ) {
      notFound();
      return;
    }
    if (
      subresource === 'log' &&
      group === '' &&
      plural === 'pods' &&
      namespace !== undefined &&
      name !== undefined
    ) {
      servePodLog(req, res, {
        store: this.options.store,
        namespace,
        name,
        params: url.searchParams,
        now: this.options.now ?? (() => new Date()),
        followPollMs: this.options.followPollMs ?? 1000,
      });
      return;
    }
    // Besides pods/log, only the status subresource is served: it is the object itself.
    if (subresource !== undefined && subresource !== 'status') {
      notFound();
      return;
    }
    if (name === undefined && !resource.namespaced && namespace !== undefined) {
      notFound();
      return;
    }
    if (name !== undefined && resource.namespaced && namespace === undefined) {
      notFound();
      return;
    }
    if (legacyWatch || isTrue(url.searchParams.get('watch'))) {
      if (subresource !== undefined) {
        notFound();
        return;
      }
      this.serveWatch(req, res, url, resource, namespace, name);
    } else if (name === undefined) {
      this.sendList(req, res, url, resource, namespace);
    } else {
      this.sendOne(req, res, resource, namespace, name);
    }
  }

  private serveWatch(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    resource: ResourceType,
    namespace: string | undefined,
    name: string | undefined,
  ): void {
    const counted = this.count(resource, 'watch');
    const send = (code: number, body: ReturnType<typeof statusBody>) =>
      this.sendCounted(res, code, body, counted);
    if (resource.source !== undefined) {
      // metrics.k8s.io serves get and list only, like metrics-server.
      send(
        405,
        statusBody(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource (watch ${resource.plural}.${resource.group})`,
        ),
      );
      return;
    }
    const settings = this.watchSettings;
    if (!settings.enabled) {
      send(
        settings.refuseWith,
        settings.refuseWith === 403
          ? statusBody(
              403,
              'Forbidden',
              `${resource.plural}${
                resource.group ? `.${resource.group}` : ''
              } is forbidden: the sandbox refuses watch (switched off through the control API); list instead`,
              { group: resource.group, kind: resource.plural },
            )
          : statusBody(
              405,
              'MethodNotAllowed',
              'watch is switched off in the sandbox (control API); poll with list instead',
            ),
      );
      return;
    }
    let stream: WatchStream;
    try {
      const query = parseWatchQuery(url.searchParams, {
        resource,
        namespace,
        asTable: wantsTable(req.headers.accept),
      });
      if (name !== undefined) {
        // A watch on one object is a watch on its name (as the API server rewrites it).
        const byName = `metadata.name=${name}`;
        query.fieldSelector = query.fieldSelector
          ? `${query.fieldSelector},${byName}`
          : byName;
      }
      stream = new WatchStream(req, res, {
        store: this.options.store,
        query,
        bookmarkIntervalMs: settings.bookmarkIntervalMs,
        onBytes: bytes => this.requestCounter.bytes(counted, bytes),
        onClose: () => {
          this.watches.delete(stream);
          this.requestCounter.watchClosed(counted);
        },
      });
    } catch (error) {
      if (
        error instanceof LabelSelectorError ||
        error instanceof FieldSelectorError ||
        error instanceof WatchQueryError
      ) {
        send(400, statusBody(400, 'BadRequest', error.message));
        return;
      }
      throw error;
    }
    this.watches.add(stream);
    this.requestCounter.watchOpened(counted);
    stream.start();
  }

  /** Counts one request of a resource and returns what to add its bytes to. */
  private count(resource: ResourceType, verb: CountedVerb): CountedRequest {
    const counted = { group: resource.group, resource: resource.plural, verb };
    this.requestCounter.request(counted);
    return counted;
  }

  private sendCounted(
    res: ServerResponse,
    code: number,
    body: unknown,
    counted: CountedRequest,
  ): void {
    this.requestCounter.bytes(counted, sendJson(res, code, body));
  }

  private sendList(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    resource: ResourceType,
    namespace: string | undefined,
  ): void {
    const counted = this.count(resource, 'list');
    const send = (code: number, body: unknown) =>
      this.sendCounted(res, code, body, counted);
    const { store } = this.options;
    const limitParam = url.searchParams.get('limit');
    const limit = limitParam ? Number(limitParam) : 0;
    if (!Number.isInteger(limit) || limit < 0) {
      send(400, statusBody(400, 'BadRequest', `invalid limit: ${limitParam}`));
      return;
    }
    let position: ListPosition | undefined;
    const token = url.searchParams.get('continue');
    if (token) {
      try {
        position = decodeContinueToken(token);
      } catch (error) {
        if (!(error instanceof InvalidContinueTokenError)) throw error;
        send(400, statusBody(400, 'BadRequest', error.message));
        return;
      }
      if (
        position.resourceVersion < Number(store.oldestResourceVersion) ||
        position.resourceVersion > Number(store.resourceVersion)
      ) {
        send(
          410,
          statusBody(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          ),
        );
        return;
      }
    }
    let items;
    try {
      items = readObjects(store, {
        resource,
        namespace,
        labelSelector: url.searchParams.get('labelSelector') ?? undefined,
        fieldSelector: url.searchParams.get('fieldSelector') ?? undefined,
        // One more than asked tells whether another page follows.
        page:
          limit > 0 || position
            ? {
                after: position?.after,
                limit: limit > 0 ? limit + 1 : undefined,
              }
            : undefined,
      });
    } catch (error) {
      if (
        error instanceof LabelSelectorError ||
        error instanceof FieldSelectorError
      ) {
        send(400, statusBody(400, 'BadRequest', error.message));
        return;
      }
      throw error;
    }
    // Every page reports the first page's resourceVersion: a client that lists in pages and then
    // watches from it gets every change made while it paged (pages show the current objects).
    const resourceVersion = position
      ? String(position.resourceVersion)
      : store.resourceVersion;
    let continueToken: string | undefined;
    if (limit > 0 && items.length > limit) {
      items = items.slice(0, limit);
      const last = items[limit - 1].metadata;
      continueToken = encodeContinueToken({
        resourceVersion: Number(resourceVersion),
        after: { namespace: last.namespace ?? '', name: last.name },
      });
    }
    const metadata = continueToken
      ? { resourceVersion, continue: continueToken }
      : { resourceVersion };
    if (wantsTable(req.headers.accept)) {
      send(200, {
        ...toTable(resource.kind, items, resourceVersion),
        metadata,
      });
      return;
    }
    send(200, {
      kind: `${resource.kind}List`,
      apiVersion: groupVersionOf(resource),
      metadata,
      items,
    });
  }

  private sendOne(
    req: IncomingMessage,
    res: ServerResponse,
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
  ): void {
    const counted = this.count(resource, 'get');
    const found = readObjects(this.options.store, {
      resource,
      namespace,
      fieldSelector: `metadata.name=${name}`,
    })[0];
    if (!found) {
      this.sendCounted(
        res,
        404,
        statusBody(
          404,
          'NotFound',
          `${resource.plural}${
            resource.group ? `.${resource.group}` : ''
          } "${name}" not found`,
          {
            name,
            group: resource.group,
            kind: resource.plural,
          },
        ),
        counted,
      );
      return;
    }
    if (wantsTable(req.headers.accept)) {
      this.sendCounted(
        res,
        200,
        toTable(resource.kind, [found], this.options.store.resourceVersion),
        counted,
      );
      return;
    }
    this.sendCounted(res, 200, found, counted);
  }
}
