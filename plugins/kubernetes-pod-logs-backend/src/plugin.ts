import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { podLogsReadPermission } from './permissions';
import { KubernetesProxyPodLogSource } from './PodLogSource';
import { createRouter } from './router';

/**
 * Pod logs for the owners of the pods: the Kubernetes tab's log viewer reads here (the app
 * replaces the Kubernetes plugin's proxy client for logs), so a team reads its own pods' logs
 * without the Kubernetes proxy, which stays with the platform team.
 *
 * @public
 */
export const kubernetesPodLogsPlugin = createBackendPlugin({
  pluginId: 'kubernetes-pod-logs',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions([podLogsReadPermission]);
        deps.httpRouter.use(
          await createRouter({
            source: new KubernetesProxyPodLogSource({
              discovery: deps.discovery,
              auth: deps.auth,
            }),
            catalog: deps.catalog,
            auth: deps.auth,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
          }),
        );
      },
    });
  },
});
