import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LabelSelectorError } from '@internal/kube-model';
import { FieldSelectorError, type ClusterStore } from '../store';
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
import { sendJson, sendStatus } from './status';
import { toTable, wantsTable } from './table';

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
  /** Routes tried first, after authentication (the control API lives here). */
  extraRoutes?: ExtraRoute[];
  logger?: Logger;
  /** The clock for pod logs (tests pin it). */
  now?: () => Date;
  /** How often `pods/log?follow=true` looks for new lines; defaults to 1000 ms. */
  followPollMs?: number;
}

const HEALTH_PATHS = new Set(['/healthz', '/readyz', '/livez']);

/**
 * A read-only Kubernetes API over HTTP, backed by a {@link ClusterStore}: discovery, list and get
 * with label/field selectors, server-side tables for kubectl, and `kind: Status` errors. Writes
 * answer 405 because the portal must only change the cluster through Git.
 */
export class KubeApiServer {
  private readonly registry: ResourceRegistry;
  private readonly listener: DualProtocolListener;
  /** PEM of the self-signed certificate the https side serves (its own CA). */
  readonly caCertificate: string;
  private address?: AddressInfo;

  constructor(private readonly options: KubeApiServerOptions) {
    this.registry = new ResourceRegistry({
      openReports: options.openReports ?? false,
    });
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

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    if (this.listener.listening) await this.listener.close();
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
    for (const route of this.options.extraRoutes ?? []) {
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
    rest: string[],
  ): void {
    const notFound = () =>
      sendStatus(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${url.pathname})`,
      );
    if (rest.length === 0) {
      const list = apiResourceList(this.registry, group, version);
      if (list) sendJson(res, 200, list);
      else notFound();
      return;
    }
    // /namespaces/{ns}/{plural}[/{name}[/{subresource}]] is namespaced access; anything else is
    // /{plural}[/{name}[/{subresource}]] (which includes GET /api/v1/namespaces/{name}).
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
    if (
      url.searchParams.get('watch') === 'true' ||
      url.searchParams.get('watch') === '1'
    ) {
      sendStatus(
        res,
        405,
        'MethodNotAllowed',
        'watch is not supported by the sandbox; poll with list instead',
      );
      return;
    }
    if (name === undefined) {
      this.sendList(req, res, url, resource, namespace);
    } else {
      this.sendOne(req, res, resource, namespace, name);
    }
  }

  private sendList(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    resource: ResourceType,
    namespace: string | undefined,
  ): void {
    let items;
    try {
      items = readObjects(this.options.store, {
        resource,
        namespace,
        labelSelector: url.searchParams.get('labelSelector') ?? undefined,
        fieldSelector: url.searchParams.get('fieldSelector') ?? undefined,
      });
    } catch (error) {
      if (
        error instanceof LabelSelectorError ||
        error instanceof FieldSelectorError
      ) {
        sendStatus(res, 400, 'BadRequest', error.message);
        return;
      }
      throw error;
    }
    const resourceVersion = this.options.store.resourceVersion;
    if (wantsTable(req.headers.accept)) {
      sendJson(res, 200, toTable(resource.kind, items, resourceVersion));
      return;
    }
    sendJson(res, 200, {
      kind: `${resource.kind}List`,
      apiVersion: groupVersionOf(resource),
      metadata: { resourceVersion },
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
    const found = readObjects(this.options.store, {
      resource,
      namespace,
      fieldSelector: `metadata.name=${name}`,
    })[0];
    if (!found) {
      sendStatus(
        res,
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
      );
      return;
    }
    if (wantsTable(req.headers.accept)) {
      sendJson(
        res,
        200,
        toTable(resource.kind, [found], this.options.store.resourceVersion),
      );
      return;
    }
    sendJson(res, 200, found);
  }
}
