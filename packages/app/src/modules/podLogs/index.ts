import {
  ApiBlueprint,
  createFrontendModule,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  kubernetesApiRef,
  kubernetesProxyApiRef,
} from '@backstage/plugin-kubernetes-react';
import { OwnedPodLogsClient } from './OwnedPodLogsClient';

/**
 * Replaces the Kubernetes plugin's proxy API (`api:kubernetes/proxy`) so its pod log viewer
 * (the container card's Logs button and the crash-loop Help dialog) reads logs through the
 * ownership-checked `kubernetes-pod-logs` backend.
 */
export const podLogsModule = createFrontendModule({
  pluginId: 'kubernetes',
  extensions: [
    ApiBlueprint.make({
      name: 'proxy',
      params: defineParams =>
        defineParams({
          api: kubernetesProxyApiRef,
          deps: {
            discoveryApi: discoveryApiRef,
            fetchApi: fetchApiRef,
            kubernetesApi: kubernetesApiRef,
          },
          factory: deps => new OwnedPodLogsClient(deps),
        }),
    }),
  ],
});
