import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ClusterCache } from './ClusterCache';
import type { ClusterCacheService } from './types';

/**
 * The shared cluster cache (root-scoped, one per backend). Plugins declare it in `deps` of
 * `plugin.ts` and call `register` in `init`; the backend needs no `add` for it: the default
 * factory reads `kubernetes.clusterLocatorMethods` and `kubernetesCache`.
 *
 * @public
 */
export const clusterCacheServiceRef = createServiceRef<ClusterCacheService>({
  id: 'idp.cluster-cache',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      factory: ({ config, logger, lifecycle }) =>
        createClusterCache({ config, logger, lifecycle }),
    }),
});

/**
 * The same factory for backends (and tests) that add it explicitly.
 *
 * @public
 */
export const clusterCacheServiceFactory = createServiceFactory({
  service: clusterCacheServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
    lifecycle: coreServices.rootLifecycle,
  },
  factory: ({ config, logger, lifecycle }) =>
    createClusterCache({ config, logger, lifecycle }),
});

function createClusterCache(deps: {
  config: typeof coreServices.rootConfig.T;
  logger: typeof coreServices.rootLogger.T;
  lifecycle: typeof coreServices.rootLifecycle.T;
}): ClusterCacheService {
  const logger = deps.logger.child({ service: 'cluster-cache' });
  const cache = ClusterCache.fromConfig(deps.config, { logger });
  deps.lifecycle.addShutdownHook(() => cache.stop());
  return cache;
}
