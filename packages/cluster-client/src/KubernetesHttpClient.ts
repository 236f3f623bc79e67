import { ClusterRequestError, ClusterUnreachableError } from './errors';
import {
  transportFor,
  type Transport,
  type TransportResponse,
} from './transport';
import type { ClusterDetails, ListRequest, ListResponse } from './types';

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
 * Lists resources of one cluster over the Kubernetes HTTP API with its service account token:
 * the same calls the Backstage Kubernetes backend makes, so it works against real clusters and
 * the sandbox alike. Read-only by design.
 *
 * @public
 */
export class KubernetesHttpClient {
  private readonly transport: Transport;
  private readonly timeoutMs: number;
  private readonly baseUrl: string;
  private requests = 0;

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

  /**
   * Lists one resource type.
   *
   * @throws ClusterUnreachableError on network errors, timeouts and 5xx answers
   * @throws ClusterRequestError on 4xx answers (bad token, RBAC, unknown resource)
   */
  async list<T = unknown>(request: ListRequest): Promise<ListResponse<T>> {
    const groupVersion = request.group
      ? `/apis/${request.group}/${request.version}`
      : `/api/${request.version}`;
    const namespace = request.namespace
      ? `/namespaces/${encodeURIComponent(request.namespace)}`
      : '';
    const query = request.labelSelector
      ? `?labelSelector=${encodeURIComponent(request.labelSelector)}`
      : '';
    const path = `${groupVersion}${namespace}/${request.plural}${query}`;
    const response = await this.get(path);
    if (response.status >= 400) {
      throw new ClusterRequestError(
        this.cluster.name,
        response.status,
        `GET ${path}: ${statusMessage(response.body)}`,
      );
    }
    const body = this.parse(path, response.body);
    return {
      items: Array.isArray(body?.items) ? body.items : [],
      resourceVersion: body?.metadata?.resourceVersion,
    };
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
  ): Promise<boolean> {
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const response = await this.get(path);
    if (response.status === 404) return false;
    if (response.status >= 400) {
      throw new ClusterRequestError(
        this.cluster.name,
        response.status,
        `GET ${path}: ${statusMessage(response.body)}`,
      );
    }
    const body = this.parse(path, response.body);
    const resources: Array<{ name?: string }> = Array.isArray(body?.resources)
      ? body.resources
      : [];
    return resources.some(resource => resource.name === plural);
  }

  private async get(path: string): Promise<TransportResponse> {
    this.requests += 1;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.cluster.serviceAccountToken) {
      headers.Authorization = `Bearer ${this.cluster.serviceAccountToken}`;
    }
    let response: TransportResponse;
    try {
      response = await this.transport(
        `${this.baseUrl}${path}`,
        headers,
        AbortSignal.timeout(this.timeoutMs),
      );
    } catch (error) {
      const timedOut = (error as Error)?.name === 'TimeoutError';
      const reason = timedOut
        ? `no answer to GET ${path} within ${this.timeoutMs} ms`
        : `GET ${path} failed: ${describeNetworkError(error)}`;
      throw new ClusterUnreachableError(this.cluster.name, reason, {
        cause: error,
      });
    }
    if (response.status >= 500) {
      throw new ClusterUnreachableError(
        this.cluster.name,
        `GET ${path} answered ${response.status}: ${statusMessage(
          response.body,
        )}`,
      );
    }
    return response;
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
