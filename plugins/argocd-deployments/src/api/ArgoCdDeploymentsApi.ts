import type { Entity } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import type { DeploymentHistory } from '@internal/plugin-argocd-deployments-common';

/** An entity's ArgoCD Applications and deployments. @public */
export interface ArgoCdDeploymentsApi {
  /**
   * The Applications the entity's ArgoCD annotations name, with sync and health, and their
   * deployments newest first. Never rejects for an ArgoCD failure: it is in `failures`, with
   * the unreachable instance named.
   */
  getDeploymentHistory(entity: Entity): Promise<DeploymentHistory>;
}

/** @public */
export const argoCdDeploymentsApiRef =
  createApiRef<ArgoCdDeploymentsApi>().with({
    id: 'plugin.argocd-deployments.api',
  });
