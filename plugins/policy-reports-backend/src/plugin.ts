import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clusterCacheServiceRef } from '@internal/cluster-client';
import { policyReportsPermissions } from '@internal/plugin-policy-reports-common';
import { readPolicyReportsSettings } from './service/config';
import { PolicyDefinitions } from './service/PolicyDefinitions';
import { PolicyReportIndex } from './service/PolicyReportIndex';
import { registerPolicyReportSources } from './service/policyReportKinds';
import { createRouter } from './service/router';

/**
 * Kyverno policy reports of every configured cluster, indexed in memory from
 * the cluster cache's events and served per entity, per policy and cluster-wide.
 *
 * @public
 */
export const policyReportsPlugin = createBackendPlugin({
  pluginId: 'policy-reports',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        userInfo: coreServices.userInfo,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        clusterCache: clusterCacheServiceRef,
      },
      async init(deps) {
        const settings = readPolicyReportsSettings(deps.config);
        const index = new PolicyReportIndex(
          registerPolicyReportSources(deps.clusterCache),
        );
        deps.lifecycle.addShutdownHook(() => index.close());

        deps.permissionsRegistry.addPermissions(policyReportsPermissions);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            userInfo: deps.userInfo,
            catalog: deps.catalog,
            index,
            definitions: new PolicyDefinitions(index, {
              gitopsPolicyDirectory: settings.gitopsPolicyDirectory,
              logger: deps.logger,
            }),
          }),
        );
      },
    });
  },
});
