import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clusterCacheServiceRef } from '@internal/cluster-client';
import { tierHealthPermissions } from '@internal/plugin-tier-health-common';
import { readTierHealthSettings } from './config';
import { createRouter } from './router';
import { ClusterInventories } from './service/ClusterInventories';
import { TierHealthService } from './service/TierHealthService';

/**
 * Tier health: the Green/Yellow/Red/Black state of each configured cluster, its tiers and what
 * survives the loss of a node.
 *
 * @public
 */
export const tierHealthPlugin = createBackendPlugin({
  pluginId: 'tier-health',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        clusterCache: clusterCacheServiceRef,
      },
      async init(deps) {
        const settings = readTierHealthSettings(deps.config);
        if (deps.clusterCache.clusterNames().length === 0) {
          deps.logger.warn(
            'no kubernetes.clusterLocatorMethods clusters of type config: tier health has nothing to show',
          );
        }
        // the cache lists and watches; every event updates the inventory in place
        const inventories = new ClusterInventories(deps.clusterCache);
        deps.lifecycle.addShutdownHook(() => inventories.close());
        deps.permissionsRegistry.addPermissions(tierHealthPermissions);
        const service = new TierHealthService({
          inventories,
          catalog: deps.catalog,
          priorityClassTiers: settings.priorityClassTiers,
        });
        deps.httpRouter.use(
          await createRouter({
            service,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
          }),
        );
      },
    });
  },
});
