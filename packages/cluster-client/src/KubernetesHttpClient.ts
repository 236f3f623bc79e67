import { ClusterRequestError, ClusterUnreachableError } from './errors';
import {
  transportFor,
  type Transport,
  type TransportResponse,
} from './transport';
import type {
  ClusterDetails,
  ListOptions,
  ListRequest,
  ListResponse,
  WatchEvent,
  WatchRequest,
} from './types';

/** Options of {@link KubernetesHttpClient}. @public */
export interface KubernetesHttpClientOptions {
  /** Per-request timeout; a slower answer counts as unreachable. Defaults to 10 seconds. */
  timeoutMs?: number;
  /** Replaces Node's global fetch (and the TLS transport). */
  fetchImpl?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The `reason`/`message` of a Kubernetes `kind: Status` body, else the raw text. */
function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body);
    if (status && typeof status.message === 'string') return status.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 200) || 'no message';
}

/**
 * Lists and watches resources of one cluster over the Kubernetes HTTP API with its service
 * account token: the same calls the Backstage Kubernetes backend and client-go make, so it works
 * against real clusters and the sandbox alike. Read-only by design.
 *
 * @public
 */
export class KubernetesHttpClient {
  private readonly transport: Transport;
  private readonly timeoutMs: number;
  private readonly baseUrl: string;
  private requests = 0;
  private bytes = 0;

  constructor(
    private readonly cluster: ClusterDetails,
    options: KubernetesHttpClientOptions = {},
  ) {
    this.transport = transportFor(cluster, options.fetchImpl);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.baseUrl = cluster.url.replace(/\/+$/, '');
  }

  /** How many HTTP requests this client has sent (for tests and benchmarks of caching). */
  get requestCount(): number {
    return this.requests;
  }

  /** How many body bytes this client has received, watch streams included (for benchmarks). */
  get bytesRead(): number {
    return this.bytes;
  }

  /**
   * Lists one resource type, or one page of it when `options.limit` is set.
   *
   * @throws ClusterUnreachableError on network errors, timeouts and 5xx answers
   * @throws ClusterRequestError on 4xx answers (bad token, RBAC, unknown resource, 410 for an
   *   expired `continue` token)
   */
  async list<T = unknown>(
    request: ListRequest,
    options: ListOptions = {},
  ): Promise<ListResponse<T>> {
    const path = resourcePath(request, {
      labelSelector: request.labelSelector,
      limit: options.limit === undefined ? undefined : String(options.limit),
      continue: options.continue,
      resourceVersion: options.resourceVersion,
    });
    const response = await this.get(path, options.signal);
    const body = this.parse(path, response.body);
    return {
      items: Array.isArray(body?.items) ? body.items : [],
      resourceVersion: body?.metadata?.resourceVersion,
      ...(body?.metadata?.continue ? { continue: body.metadata.continue } : {}),
    };
  }

  /**
   * Lists every item of one resource type in pages of `pageSize` (`limit`/`continue`), so neither
   * the API server nor this process holds one giant answer. When a `continue` token expires
   * (410) the list starts over once, as client-go's pager does.
   */
  async listAll<T = unknown>(
    request: ListRequest,
    options: { pageSize: number; signal?: AbortSignal },
  ): Promise<ListResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      const items: T[] = [];
      let token: string | undefined;
      let resourceVersion: string | undefined;
      try {
        do {
          const page: ListResponse<T> = await this.list<T>(request, {
            limit: options.pageSize,
            continue: token,
            signal: options.signal,
          });
          for (const item of page.items) items.push(item);
          token = page.continue;
          resourceVersion = page.resourceVersion;
        } while (token);
        return { items, resourceVersion };
      } catch (error) {
        if (attempt > 0 || !token || !isGone(error)) throw error;
      }
    }
  }

  /**
   * Watches one resource type from `resourceVersion` on: calls `onEvent` for every event of the
   * newline-delimited JSON stream as it arrives. Resolves when the server ends the stream (its
   * `timeoutSeconds` passed); the caller then watches again from the last resourceVersion seen.
   * `options.onOpen` is called when the server has accepted the watch (200), before any event.
   *
   * @throws ClusterRequestError for a 4xx answer or an `ERROR` event (410 when
   *   `resourceVersion` is too old: list again; 405/403 when the server refuses watch)
   * @throws ClusterUnreachableError on network errors, a dropped stream and 5xx answers
   * @throws the signal's reason when `signal` aborts
   */
  async watch<T = unknown>(
    request: WatchRequest,
    resourceVersion: string,
    onEvent: (event: WatchEvent<T>) => void,
    signal: AbortSignal,
    options: { onOpen?: () => void } = {},
  ): Promise<void> {
    const path = resourcePath(request, {
      watch: 'true',
      resourceVersion,
      allowWatchBookmarks: String(request.allowWatchBookmarks ?? true),
      labelSelector: request.labelSelector,
      timeoutSeconds:
        request.timeoutSeconds === undefined
          ? undefined
          : String(request.timeoutSeconds),
    });
    const { response, signal: stream } = await this.open(path, signal);
    if (response.status >= 400) {
      throw this.requestError(path, response.status, await this.read(response));
    }
    options.onOpen?.();
    const decoder = new TextDecoder();
    let pending = '';
    const handleLine = (line: string) => {
      if (!line.trim()) return;
      let event: { type?: string; object?: any };
      try {
        event = JSON.parse(line);
      } catch {
        throw new ClusterUnreachableError(
          this.cluster.name,
          `GET ${path} sent a watch line that is not JSON`,
        );
      }
      if (event.type === 'ERROR') {
        const status = event.object ?? {};
        throw new ClusterRequestError(
          this.cluster.name,
          typeof status.code === 'number' ? status.code : 500,
          `GET ${path}: ${status.message ?? status.reason ?? 'watch error'}`,
        );
      }
      if (
        event.type === 'ADDED' ||
        event.type === 'MODIFIED' ||
        event.type === 'DELETED' ||
        event.type === 'BOOKMARK'
      ) {
        onEvent({ type: event.type, object: event.object as T });
      }
    };
    try {
      for await (const chunk of response.body) {
        this.bytes += chunk.byteLength;
        pending += decoder.decode(chunk, { stream: true });
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          handleLine(line);
          newline = pending.indexOf('\n');
        }
      }
      handleLine(pending + decoder.decode());
    } catch (error) {
      if (
        error instanceof ClusterRequestError ||
        error instanceof ClusterUnreachableError
      ) {
        throw error;
      }
      if (signal.aborted) throw signal.reason;
      if (stream.aborted) throw this.unreachable(path, error, stream);
      throw new ClusterUnreachableError(
        this.cluster.name,
        `the watch GET ${path} dropped: ${describeNetworkError(error)}`,
        { cause: error },
      );
    }
  }

  /**
   * Whether the cluster serves `plural` in `group/version` (discovery), e.g. whether
   * `openreports.io/v1alpha1` `reports` exist. An empty group means the core group.
   *
   * @throws ClusterUnreachableError when the cluster cannot be asked
   */
  async serves(
    group: string,
    version: string,
    plural: string,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    let response: { status: number; body: string };
    try {
      response = await this.get(path, signal);
    } catch (error) {
      if (error instanceof ClusterRequestError && error.status === 404) {
        return false;
      }
      throw error;
    }
    const body = this.parse(path, response.body);
    const resources: Array<{ name?: string }> = Array.isArray(body?.resources)
      ? body.resources
      : [];
    return resources.some(resource => resource.name === plural);
  }

  /** One GET read whole, within the client's timeout; 4xx and 5xx answers throw. */
  private async get(
    path: string,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: string }> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const { response } = await this.open(path, combined, timeout);
    let body: string;
    try {
      body = await this.read(response);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw this.unreachable(path, error, timeout);
    }
    if (response.status >= 400) {
      throw this.requestError(path, response.status, body);
    }
    return { status: response.status, body };
  }

  /**
   * Sends a GET and waits for the answer's headers, at most the client's timeout. Returns the
   * response and the signal that aborts its body (the caller's and the headers' timeout).
   */
  private async open(
    path: string,
    signal: AbortSignal,
    timeout?: AbortSignal,
  ): Promise<{ response: TransportResponse; signal: AbortSignal }> {
    this.requests += 1;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.cluster.serviceAccountToken) {
      headers.Authorization = `Bearer ${this.cluster.serviceAccountToken}`;
    }
    // A watch stays open for minutes: only the wait for its headers is bounded.
    const headersTimeout = new AbortController();
    const timer = timeout
      ? undefined
      : setTimeout(
          () =>
            headersTimeout.abort(
              new DOMException('headers timeout', 'TimeoutError'),
            ),
          this.timeoutMs,
        );
    const combined = timeout
      ? signal
      : AbortSignal.any([signal, headersTimeout.signal]);
    try {
      const response = await this.transport(
        `${this.baseUrl}${path}`,
        headers,
        combined,
      );
      return { response, signal: combined };
    } catch (error) {
      if (signal.aborted && !(timeout?.aborted ?? false)) throw signal.reason;
      throw this.unreachable(path, error, timeout ?? headersTimeout.signal);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private async read(response: TransportResponse): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) {
      this.bytes += chunk.byteLength;
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private requestError(path: string, status: number, body: string): Error {
    if (status >= 500) {
      return new ClusterUnreachableError(
        this.cluster.name,
        `GET ${path} answered ${status}: ${statusMessage(body)}`,
      );
    }
    return new ClusterRequestError(
      this.cluster.name,
      status,
      `GET ${path}: ${statusMessage(body)}`,
    );
  }

  private unreachable(
    path: string,
    error: unknown,
    timeout: AbortSignal,
  ): ClusterUnreachableError {
    const timedOut =
      timeout.aborted || (error as Error)?.name === 'TimeoutError';
    const reason = timedOut
      ? `no answer to GET ${path} within ${this.timeoutMs} ms`
      : `GET ${path} failed: ${describeNetworkError(error)}`;
    return new ClusterUnreachableError(this.cluster.name, reason, {
      cause: error,
    });
  }

  private parse(path: string, body: string): any {
    try {
      return JSON.parse(body);
    } catch {
      // A proxy's HTML error page is as good as no answer.
      throw new ClusterUnreachableError(
        this.cluster.name,
        `GET ${path} did not answer JSON`,
      );
    }
  }
}

/** Whether an error is the API server's 410 Gone: the resourceVersion or continue token expired. */
export function isGone(error: unknown): boolean {
  return error instanceof ClusterRequestError && error.status === 410;
}

/** `/api/{version}` or `/apis/{group}/{version}`, the namespace, the plural and the query. */
function resourcePath(
  request: ListRequest,
  query: Record<string, string | undefined>,
): string {
  const groupVersion = request.group
    ? `/apis/${request.group}/${request.version}`
    : `/api/${request.version}`;
  const namespace = request.namespace
    ? `/namespaces/${encodeURIComponent(request.namespace)}`
    : '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const search = params.toString();
  return `${groupVersion}${namespace}/${request.plural}${
    search ? `?${search}` : ''
  }`;
}

/** fetch wraps the useful part (ECONNREFUSED, certificate errors) in `cause`. */
function describeNetworkError(error: unknown): string {
  const err = error as {
    message?: string;
    code?: string;
    cause?: { message?: string; code?: string };
  };
  const cause = err?.cause;
  if (cause?.code || cause?.message) {
    return [cause.code, cause.message].filter(Boolean).join(' ');
  }
  return [err?.code, err?.message].filter(Boolean).join(' ') || String(error);
}
