import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  loadDeploymentHistory,
  targetFromAnnotations,
  type ArgoCDBackendGet,
  type DeploymentHistory,
} from '@internal/plugin-argocd-deployments-common';
import type { ArgoCDApi } from '@roadiehq/backstage-plugin-argo-cd';
import type { ArgoCdDeploymentsApi } from './ArgoCdDeploymentsApi';

/** Roadie's ArgoCD backend registers under this plugin id (`/api/argocd`). */
const ROADIE_BACKEND_PLUGIN_ID = 'argocd';

/**
 * Reads an entity's deployments through Roadie's ArgoCD API; when an instance fails, asks
 * Roadie's backend (found through the discovery API, with the user's token from the fetch API)
 * what it said, which Roadie's client drops.
 *
 * @public
 */
export class ArgoCdDeploymentsClient implements ArgoCdDeploymentsApi {
  private readonly backend: ArgoCDBackendGet;

  constructor(
    private readonly options: {
      argoCdApi: ArgoCDApi;
      configApi: Config;
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {
    this.backend = async path => {
      const baseUrl = await options.discoveryApi.getBaseUrl(
        ROADIE_BACKEND_PLUGIN_ID,
      );
      return options.fetchApi.fetch(`${baseUrl}${path}`);
    };
  }

  getDeploymentHistory(entity: Entity): Promise<DeploymentHistory> {
    return loadDeploymentHistory(
      this.options.argoCdApi,
      this.options.configApi,
      targetFromAnnotations(entity.metadata.annotations),
      this.backend,
    );
  }
}
