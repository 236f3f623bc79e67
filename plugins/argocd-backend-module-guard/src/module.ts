import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { createArgocdGuard, readArgoInstances } from './guard';
import { argocdPermissions } from './permissions';

/**
 * Guards Roadie's ArgoCD backend (`@roadiehq/backstage-plugin-argo-cd-backend`) without
 * changing it: its write routes need an explicit permission and its failures name the
 * ArgoCD instance. Add it next to the plugin.
 *
 * @public
 */
export const argocdModuleGuard = createBackendModule({
  pluginId: 'argocd',
  moduleId: 'guard',
  register(reg) {
    reg.registerInit({
      deps: {
        http: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({
        http,
        httpAuth,
        permissions,
        permissionsRegistry,
        config,
        logger,
      }) {
        permissionsRegistry.addPermissions(argocdPermissions);
        http.use(
          createArgocdGuard({
            httpAuth,
            permissions,
            instances: readArgoInstances(config),
            logger,
          }),
        );
      },
    });
  },
});
