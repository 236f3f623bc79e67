import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  KubernetesProxyClient,
  type KubernetesApi,
  type KubernetesProxyApi,
} from '@backstage/plugin-kubernetes-react';

/**
 * The Kubernetes plugin's proxy client with one change: pod logs come from the
 * `kubernetes-pod-logs` backend, which lets the owners of a component read its pods' logs,
 * instead of the Kubernetes proxy, which only the platform team may use. Events and pod
 * deletion still go through the proxy (and its permission).
 */
export class OwnedPodLogsClient implements KubernetesProxyApi {
  private readonly proxy: KubernetesProxyClient;

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      kubernetesApi: KubernetesApi;
    },
  ) {
    this.proxy = new KubernetesProxyClient({
      kubernetesApi: options.kubernetesApi,
    });
  }

  async getPodLogs(request: {
    podName: string;
    namespace: string;
    clusterName: string;
    containerName: string;
    previous?: boolean;
  }): Promise<{ text: string }> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      'kubernetes-pod-logs',
    );
    const query = new URLSearchParams({ container: request.containerName });
    if (request.previous) query.set('previous', 'true');
    const path = [
      'clusters',
      request.clusterName,
      'namespaces',
      request.namespace,
      'pods',
      request.podName,
      'log',
    ]
      .map(encodeURIComponent)
      .join('/');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}/${path}?${query}`,
    );
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = JSON.parse(text)?.error?.message ?? text;
      } catch {
        // not a Backstage error body: show the text as it came
      }
      throw new Error(
        `Could not read the logs (${response.status}): ${message}`,
      );
    }
    return { text };
  }

  deletePod(request: {
    podName: string;
    namespace: string;
    clusterName: string;
  }): Promise<{ text: string }> {
    return this.proxy.deletePod(request);
  }

  getEventsByInvolvedObjectName: KubernetesProxyApi['getEventsByInvolvedObjectName'] =
    request => {
      return this.proxy.getEventsByInvolvedObjectName(request);
    };
}
