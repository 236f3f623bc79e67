import {
  ApiBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { argoCdDeploymentsApiRef } from '@internal/plugin-argocd-deployments';
import { policyReportsApiRef } from '@internal/plugin-policy-reports';
import { tierHealthApiRef } from '@internal/plugin-tier-health';
import {
  kubernetesApiRef,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import { StatusGlanceClient, statusGlanceApiRef } from './api';
import { platformHealthRouteRef } from './routes';

const statusGlanceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: statusGlanceApiRef,
      deps: {
        argoCdDeploymentsApi: argoCdDeploymentsApiRef,
        policyReportsApi: policyReportsApiRef,
        tierHealthApi: tierHealthApiRef,
        kubernetesApi: kubernetesApiRef,
        kubernetesAuthProvidersApi: kubernetesAuthProvidersApiRef,
      },
      factory: apis => new StatusGlanceClient(apis),
    }),
});

/** The first card of a component's Overview (app-config.yaml lists it first). */
const componentGlanceCard = EntityCardBlueprint.make({
  name: 'component',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityStatusGlanceCard').then(m => (
        <m.EntityStatusGlanceCard />
      )),
  },
});

/** A team's or a system's components, worst first. */
const ownedComponentsGlanceCard = EntityCardBlueprint.make({
  name: 'owned-components',
  params: {
    filter: { kind: { $in: ['group', 'system'] } },
    loader: () =>
      import('./components/OwnedComponentsGlanceCard').then(m => (
        <m.OwnedComponentsGlanceCard />
      )),
  },
});

/**
 * Status at a glance: a component's ArgoCD, policy, tier, cluster and pod state in one card, and
 * the same for every component of a team or a system.
 *
 * @public
 */
export const statusGlancePlugin = createFrontendPlugin({
  pluginId: 'status-glance',
  externalRoutes: { platformHealth: platformHealthRouteRef },
  extensions: [statusGlanceApi, componentGlanceCard, ownedComponentsGlanceCard],
});
