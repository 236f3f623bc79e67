import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  ClusterSnapshots,
  readClustersFromConfig,
} from '@internal/cluster-client';
import {
  tierHealthPermissions,
  type ClusterInventory,
} from '@internal/plugin-tier-health-common';
import { readTierHealthSettings } from './config';
import { createRouter } from './router';
import { loadClusterInventory } from './service/loadClusterInventory';
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
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const settings = readTierHealthSettings(deps.config);
        const clusters = readClustersFromConfig(deps.config);
        if (clusters.length === 0) {
          deps.logger.warn(
            'no kubernetes.clusterLocatorMethods clusters of type config: tier health has nothing to show',
          );
        }
        const snapshots = new ClusterSnapshots<ClusterInventory>({
          clusters,
          load: loadClusterInventory,
          refreshIntervalMs: settings.refreshIntervalMs,
          logger: deps.logger,
          taskId: 'tier-health-cluster-snapshots',
        });
        snapshots.start(deps.scheduler);
        deps.lifecycle.addShutdownHook(() => snapshots.stop());
        deps.permissionsRegistry.addPermissions(tierHealthPermissions);
        const service = new TierHealthService({
          snapshots,
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
