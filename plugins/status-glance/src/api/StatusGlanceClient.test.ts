import type { Entity } from '@backstage/catalog-model';
import { StatusGlanceClient } from './StatusGlanceClient';
import {
  entityTier,
  history,
  kubernetesObjects,
  pod,
  policyResults,
  summary,
} from '../__testUtils__/glanceData';

const checkoutApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: {
      'argocd/app-name': 'team-payments-checkout-api',
      'backstage.io/kubernetes-id': 'checkout-api',
      'backstage.io/kubernetes-namespace': 'team-payments',
    },
  },
  spec: {},
};

const docsOnly: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'handbook', namespace: 'default' },
  spec: {},
};

function apis() {
  return {
    argoCdDeploymentsApi: {
      getDeploymentHistory: jest.fn(async () => history()),
    },
    policyReportsApi: {
      getEntityResults: jest.fn(async () => policyResults({ pass: 3 })),
      getOverview: jest.fn(),
      getPolicy: jest.fn(),
    },
    tierHealthApi: {
      getSummary: jest.fn(async () => summary('Green')),
      getFailureDomains: jest.fn(),
      getEntityTier: jest.fn(async () => entityTier()),
    },
    kubernetesApi: {
      getClusters: jest.fn(async () => [
        { name: 'sandbox', authProvider: 'serviceAccount' },
      ]),
      getObjectsByEntity: jest.fn(async () =>
        kubernetesObjects({ replicas: 1, pods: [pod({ ready: true })] }),
      ),
      getCluster: jest.fn(),
      getWorkloadsByEntity: jest.fn(),
      getCustomObjectsByEntity: jest.fn(),
      proxy: jest.fn(),
    },
    kubernetesAuthProvidersApi: {
      decorateRequestBodyForAuth: jest.fn(
        async (_provider: string, body: any) => ({
          ...body,
          auth: { serviceAccount: {} },
        }),
      ),
      getCredentials: jest.fn(),
    },
  };
}

describe('StatusGlanceClient', () => {
  it('asks each view about the component and reads their answers into one glance', async () => {
    const deps = apis();
    const [glance] = await new StatusGlanceClient(deps as any).getGlances([
      checkoutApi,
    ]);

    expect(glance.entityRef).toBe('component:default/checkout-api');
    expect(glance.headline).toBe('Healthy');
    expect(glance.chips.map(chip => `${chip.title}: ${chip.label}`)).toEqual([
      'ArgoCD: Healthy',
      'Sync: Synced',
      'Policies: all pass',
      'Tier: Tier 4 · available',
      'Cluster sandbox: Green',
      'Pods: 1/1 ready · 0 restarts',
    ]);
    expect(deps.argoCdDeploymentsApi.getDeploymentHistory).toHaveBeenCalledWith(
      checkoutApi,
    );
    expect(deps.policyReportsApi.getEntityResults).toHaveBeenCalledWith(
      'component:default/checkout-api',
    );
    // the Kubernetes tab's request: each configured auth provider decorates it
    expect(
      deps.kubernetesAuthProvidersApi.decorateRequestBodyForAuth,
    ).toHaveBeenCalledWith('serviceAccount', {});
    expect(deps.kubernetesApi.getObjectsByEntity).toHaveBeenCalledWith({
      entity: checkoutApi,
      auth: { serviceAccount: {} },
    });
  });

  it('asks for the cluster states once for many components, and nothing of views an entity does not use', async () => {
    const deps = apis();
    const glances = await new StatusGlanceClient(deps as any).getGlances([
      checkoutApi,
      checkoutApi,
      docsOnly,
    ]);
    expect(glances).toHaveLength(3);
    expect(deps.tierHealthApi.getSummary).toHaveBeenCalledTimes(1);
    expect(deps.kubernetesApi.getClusters).toHaveBeenCalledTimes(1);
    expect(
      deps.argoCdDeploymentsApi.getDeploymentHistory,
    ).toHaveBeenCalledTimes(2);
    expect(glances[2]).toMatchObject({ chips: [], headline: 'Unknown' });
  });

  it('shows a failing view as Unknown, not the others as failed', async () => {
    const deps = apis();
    deps.kubernetesApi.getObjectsByEntity.mockRejectedValue(
      new Error('403 Forbidden'),
    );
    const [glance] = await new StatusGlanceClient(deps as any).getGlances([
      checkoutApi,
    ]);
    expect(glance.headline).toBe('Unknown');
    expect(glance.chips.find(chip => chip.key === 'pods')).toMatchObject({
      label: 'Unknown',
      detail: '403 Forbidden',
    });
    expect(
      glance.chips.find(chip => chip.key === 'argocd-health'),
    ).toMatchObject({
      label: 'Healthy',
    });
  });
});
