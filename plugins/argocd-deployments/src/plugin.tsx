import {
  ApiBlueprint,
  configApiRef,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import { namesArgoCdApplication } from '@internal/plugin-argocd-deployments-common';
import { argoCDApiRef } from '@roadiehq/backstage-plugin-argo-cd';
import { ArgoCdDeploymentsClient, argoCdDeploymentsApiRef } from './api';

const namesApplication = (entity: Entity) =>
  namesArgoCdApplication(entity.metadata.annotations);

const argoCdDeploymentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: argoCdDeploymentsApiRef,
      deps: {
        argoCdApi: argoCDApiRef,
        configApi: configApiRef,
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
      },
      factory: deps => new ArgoCdDeploymentsClient(deps),
    }),
});

/**
 * Takes the place of three extensions of Roadie's new-frontend-system plugin
 * (`@roadiehq/backstage-plugin-argo-cd/alpha`, which the app disables in app-config.yaml and
 * keeps for its `argoCDApiRef`):
 * - its "ArgoCD" entity tab renders nested `<Routes>` that never match under the new frontend
 *   system's entity routes, so the tab stays blank; ours renders Roadie's status card and our
 *   deployment history card directly;
 * - its history card shows every duration negated (start minus end) in a dense table;
 * - its cards show on every component; ours only where the entity names an ArgoCD application
 *   (`argocd/app-name`, `argocd/app-selector` or `argocd/project-name`).
 */
const argoCdContent = EntityContentBlueprint.make({
  name: 'argocd',
  params: {
    path: '/argocd',
    title: 'ArgoCD',
    filter: namesApplication,
    loader: async () => {
      const { Grid } = await import('@material-ui/core');
      const { EntityArgoCDOverviewCard } = await import(
        '@roadiehq/backstage-plugin-argo-cd'
      );
      const { DeploymentHistoryCard } = await import(
        './components/DeploymentHistoryCard'
      );
      return (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <EntityArgoCDOverviewCard />
          </Grid>
          <Grid item xs={12}>
            <DeploymentHistoryCard />
          </Grid>
        </Grid>
      );
    },
  },
});

const argoCdOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: namesApplication,
    loader: async () => {
      const { EntityArgoCDOverviewCard } = await import(
        '@roadiehq/backstage-plugin-argo-cd'
      );
      return <EntityArgoCDOverviewCard />;
    },
  },
});

// the deployment history lives on the ArgoCD tab; on the overview it would crowd out the rest
const deploymentHistoryCard = EntityCardBlueprint.make({
  name: 'history',
  disabled: true,
  params: {
    filter: namesApplication,
    loader: async () => {
      const { DeploymentHistoryCard } = await import(
        './components/DeploymentHistoryCard'
      );
      return <DeploymentHistoryCard />;
    },
  },
});

/**
 * ArgoCD deployments: the ArgoCD entity tab (status and deployment history), the overview card
 * and the API other plugins read an entity's deployments through.
 *
 * @public
 */
export const argoCdDeploymentsPlugin = createFrontendPlugin({
  pluginId: 'argocd-deployments',
  extensions: [
    argoCdDeploymentsApi,
    argoCdContent,
    argoCdOverviewCard,
    deploymentHistoryCard,
  ],
});
