import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import type { ObjectMeta } from '@internal/kube-model';

interface ServiceMonitor {
  metadata?: Partial<ObjectMeta>;
  spec?: {
    endpoints?: Array<{ port?: string; path?: string; interval?: string }>;
  };
}

/**
 * One sentence on whether Prometheus scrapes the component: the ServiceMonitors the
 * Kubernetes backend found for it (by its Kubernetes annotations), or why that is unknown.
 */
export function describeServiceMonitors(
  response: ObjectsByEntityResponse,
): string {
  const monitors: ServiceMonitor[] = [];
  const errors: string[] = [];
  for (const cluster of response.items) {
    for (const error of cluster.errors) {
      errors.push(
        `${cluster.cluster.name}: ${
          (error as { message?: string }).message ?? error.errorType
        }`,
      );
    }
    for (const resources of cluster.resources) {
      if (resources.type === 'customresources')
        monitors.push(...(resources.resources as ServiceMonitor[]));
    }
  }
  if (monitors.length > 0) {
    const described = monitors.map(m => {
      const endpoint = m.spec?.endpoints?.[0];
      const where = endpoint
        ? ` (${endpoint.path ?? '/metrics'} on port ${endpoint.port ?? '?'}${
            endpoint.interval ? ` every ${endpoint.interval}` : ''
          })`
        : '';
      return `${m.metadata?.namespace}/${m.metadata?.name}${where}`;
    });
    return `Prometheus scrapes this component: ServiceMonitor ${described.join(
      ', ',
    )}.`;
  }
  if (errors.length > 0 || response.items.length === 0) {
    return `Whether Prometheus scrapes this component is unknown${
      errors.length > 0 ? `: ${errors.join('; ')}` : ': no cluster answered'
    }.`;
  }
  return 'No ServiceMonitor: Prometheus does not scrape this component (only container metrics from the kubelet).';
}
