import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isArgocdAvailable } from '@roadiehq/backstage-plugin-argo-cd';

/**
 * Replaces three extensions of the Roadie ArgoCD plugin's new-frontend-system
 * support (`@roadiehq/backstage-plugin-argo-cd/alpha`):
 * - its "ArgoCD" entity tab renders nested `<Routes>` that never match under
 *   the new frontend system's entity routes, so the tab stays blank; ours
 *   renders Roadie's status card and our deployment history card directly;
 * - its history card shows every duration negated (start minus end) in a
 *   dense table; ours (`DeploymentHistoryCard`) reads the same data through
 *   Roadie's `argoCDApiRef`;
 * - its cards show on every component; ours only where the entity names an
 *   ArgoCD application (`argocd/app-name`, `argocd/app-selector` or
 *   `argocd/project-name`).
 */
const argoCdContent = EntityContentBlueprint.make({
  name: 'ArgoCdPage',
  params: {
    path: '/argocd',
    title: 'ArgoCD',
    filter: isArgocdAvailable,
    loader: async () => {
      const { Grid } = await import('@material-ui/core');
      const { EntityArgoCDOverviewCard } = await import(
        '@roadiehq/backstage-plugin-argo-cd'
      );
      const { DeploymentHistoryCard } = await import('./DeploymentHistoryCard');
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
  name: 'overviewCard',
  params: {
    filter: isArgocdAvailable,
    loader: async () => {
      const { EntityArgoCDOverviewCard } = await import(
        '@roadiehq/backstage-plugin-argo-cd'
      );
      return <EntityArgoCDOverviewCard />;
    },
  },
});

// the deployment history lives on the ArgoCD tab; on the overview it would crowd out the rest
const argoCdHistoryCard = EntityCardBlueprint.make({
  name: 'historyCard',
  disabled: true,
  params: {
    filter: isArgocdAvailable,
    loader: async () => {
      const { DeploymentHistoryCard } = await import('./DeploymentHistoryCard');
      return <DeploymentHistoryCard />;
    },
  },
});

export const argoCdModule = createFrontendModule({
  pluginId: 'argocd',
  extensions: [argoCdContent, argoCdOverviewCard, argoCdHistoryCard],
});
