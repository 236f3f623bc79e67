import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** Which log a request asks for. */
export interface PodLogRequest {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  tailLines?: number;
}

/** Where the pods and their logs come from. */
export interface PodLogSource {
  /** The pod's labels; undefined when the cluster has no such pod. */
  getPodLabels(
    request: Pick<PodLogRequest, 'cluster' | 'namespace' | 'pod'>,
  ): Promise<Record<string, string> | undefined>;
  /** The log text, as the cluster serves it. */
  getLog(request: PodLogRequest): Promise<string>;
}

/** The message of a Kubernetes `kind: Status` or a Backstage error body, else the text. */
function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed?.message === 'string') return parsed.message;
    if (typeof parsed?.error?.message === 'string') return parsed.error.message;
  } catch {
    // plain text
  }
  return body.slice(0, 300) || 'no message';
}

/**
 * Reads pods and logs through the Kubernetes backend's proxy with the portal's own service
 * credentials: the proxy already knows every configured cluster and how to authenticate to it,
 * and audits each request. Only GETs of one pod and its log are ever sent.
 */
export class KubernetesProxyPodLogSource implements PodLogSource {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetchImpl?: typeof fetch;
    },
  ) {}

  async getPodLabels(
    request: Pick<PodLogRequest, 'cluster' | 'namespace' | 'pod'>,
  ): Promise<Record<string, string> | undefined> {
    const response = await this.get(
      request.cluster,
      `/api/v1/namespaces/${encodeURIComponent(
        request.namespace,
      )}/pods/${encodeURIComponent(request.pod)}`,
    );
    if (response.status === 404) return undefined;
    const body = await response.text();
    if (!response.ok) this.fail(request.cluster, response.status, body);
    return JSON.parse(body)?.metadata?.labels ?? {};
  }

  async getLog(request: PodLogRequest): Promise<string> {
    const query = new URLSearchParams({ container: request.container });
    if (request.previous) query.set('previous', 'true');
    if (request.tailLines !== undefined)
      query.set('tailLines', String(request.tailLines));
    const response = await this.get(
      request.cluster,
      `/api/v1/namespaces/${encodeURIComponent(
        request.namespace,
      )}/pods/${encodeURIComponent(request.pod)}/log?${query}`,
    );
    const body = await response.text();
    if (!response.ok) this.fail(request.cluster, response.status, body);
    return body;
  }

  private async get(cluster: string, path: string): Promise<Response> {
    const baseUrl = await this.options.discovery.getBaseUrl('kubernetes');
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf: await this.options.auth.getOwnServiceCredentials(),
      targetPluginId: 'kubernetes',
    });
    const fetchImpl = this.options.fetchImpl ?? fetch;
    try {
      return await fetchImpl(`${baseUrl}/proxy${path}`, {
        headers: {
          Authorization: `Bearer ${token}`,
          'Backstage-Kubernetes-Cluster': cluster,
        },
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `cluster ${cluster} could not be asked for ${path}: ${
          (error as Error).message
        }`,
      );
    }
  }

  private fail(cluster: string, status: number, body: string): never {
    const message = messageOf(body);
    if (status === 404) throw new NotFoundError(message);
    if (status === 400 || status === 422) throw new InputError(message);
    throw new ServiceUnavailableError(
      `cluster ${cluster} answered ${status}: ${message}`,
    );
  }
}
