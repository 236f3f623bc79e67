import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { kubernetesTargetOfEntity } from '@internal/plugin-policy-reports-common';
import PolicyIcon from '@material-ui/icons/VerifiedUser';
import { PolicyReportsClient, policyReportsApiRef } from './api';
import { policyRouteRef, rootRouteRef } from './routes';

/** Only entities the Kubernetes plugin can resolve have policy results. */
function hasKubernetesObjects(entity: Entity): boolean {
  return kubernetesTargetOfEntity(entity.metadata.annotations) !== undefined;
}

const policyReportsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: policyReportsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PolicyReportsClient(deps),
    }),
});

const compliancePage = PageBlueprint.make({
  params: {
    path: '/policy-compliance',
    title: 'Policy compliance',
    icon: <PolicyIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/CompliancePage').then(m => <m.CompliancePage />),
  },
});

const policyDetailPage = PageBlueprint.make({
  name: 'policy',
  params: {
    path: '/policy-compliance/policies/:policyName',
    routeRef: policyRouteRef,
    loader: () =>
      import('./components/PolicyDetailPage').then(m => <m.PolicyDetailPage />),
  },
});

const entityPoliciesContent = EntityContentBlueprint.make({
  params: {
    path: '/policies',
    title: 'Policies',
    filter: hasKubernetesObjects,
    loader: () =>
      import('./components/EntityPoliciesContent').then(m => (
        <m.EntityPoliciesContent />
      )),
  },
});

const entityPolicyCard = EntityCardBlueprint.make({
  params: {
    filter: hasKubernetesObjects,
    loader: () =>
      import('./components/EntityPolicyCard').then(m => <m.EntityPolicyCard />),
  },
});

/**
 * Kyverno policy results per component and cluster-wide.
 *
 * @public
 */
export const policyReportsPlugin = createFrontendPlugin({
  pluginId: 'policy-reports',
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef, policy: policyRouteRef },
  extensions: [
    policyReportsApi,
    compliancePage,
    policyDetailPage,
    entityPoliciesContent,
    entityPolicyCard,
  ],
});
