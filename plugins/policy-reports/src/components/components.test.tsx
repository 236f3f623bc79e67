import { act, screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { policyReportsApiRef } from '../api';
import { policyRouteRef, rootRouteRef } from '../routes';
import { CompliancePage } from './CompliancePage';
import { EntityPoliciesContent } from './EntityPoliciesContent';
import { EntityPolicyCard } from './EntityPolicyCard';
import { PolicyDetailPage } from './PolicyDetailPage';
import {
  entityResponse,
  mockPolicyReportsApi,
  overviewResponse,
  policyResponse,
  results,
  unreachableClusters,
} from './testData';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'web',
    annotations: {
      'backstage.io/kubernetes-id': 'web',
      'backstage.io/kubernetes-namespace': 'team-a',
    },
  },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

const mountedRoutes = {
  '/policy-compliance': rootRouteRef,
  '/policy-compliance/policies/:policyName': policyRouteRef,
};

/** Renders inside act, so the component's loads start and settle where React expects them. */
async function renderWithApi(
  element: JSX.Element,
  api: ReturnType<typeof mockPolicyReportsApi>,
  extra: { mountPath?: string; initialRouteEntries?: string[] } = {},
) {
  await act(async () => {
    await renderInTestApp(element, {
      apis: [[policyReportsApiRef, api]],
      mountedRoutes,
      ...extra,
    });
  });
}

describe('EntityPoliciesContent', () => {
  it('shows summary chips, the results table and links to the policy detail', async () => {
    const api = mockPolicyReportsApi();
    api.getEntityResults.mockResolvedValue(entityResponse(results));
    await renderWithApi(
      <EntityProvider entity={entity}>
        <EntityPoliciesContent />
      </EntityProvider>,
      api,
    );
    expect(await screen.findByTestId('summary-fail')).toHaveTextContent(
      '2 fail',
    );
    expect(screen.getByTestId('summary-warn')).toHaveTextContent('1 warn');
    expect(screen.getByTestId('summary-pass')).toHaveTextContent('1 pass');
    expect(screen.getByText('Policy results (4 of 4)')).toBeInTheDocument();
    expect(
      screen.getByText('Privileged mode is disallowed.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'disallow-latest-tag' }),
    ).toHaveAttribute(
      'href',
      '/policy-compliance/policies/disallow-latest-tag',
    );
    expect(api.getEntityResults).toHaveBeenCalledWith('component:default/web', {
      result: [],
      severity: [],
      policy: [],
      category: [],
    });
  });

  it('says when there are no reports and asks whether Kyverno runs', async () => {
    const api = mockPolicyReportsApi();
    api.getEntityResults.mockResolvedValue(entityResponse([]));
    await renderWithApi(
      <EntityProvider entity={entity}>
        <EntityPoliciesContent />
      </EntityProvider>,
      api,
    );
    expect(await screen.findByText(/is Kyverno running\?/)).toBeInTheDocument();
  });

  it('names an unreachable cluster and its reason while showing stale data', async () => {
    const api = mockPolicyReportsApi();
    api.getEntityResults.mockResolvedValue(
      entityResponse(results, unreachableClusters),
    );
    await renderWithApi(
      <EntityProvider entity={entity}>
        <EntityPoliciesContent />
      </EntityProvider>,
      api,
    );
    const alert = await screen.findByTestId('cluster-unreachable');
    expect(alert).toHaveTextContent('edge');
    expect(alert).toHaveTextContent('connect ECONNREFUSED');
    expect(alert).toHaveTextContent('(stale)');
    expect(screen.getByTestId('summary-fail')).toBeInTheDocument();
  });

  it('shows the error of a failed request', async () => {
    const api = mockPolicyReportsApi();
    api.getEntityResults.mockRejectedValue(new Error('backend exploded'));
    await renderWithApi(
      <EntityProvider entity={entity}>
        <EntityPoliciesContent />
      </EntityProvider>,
      api,
    );
    expect(
      await screen.findByText('Error: backend exploded'),
    ).toBeInTheDocument();
  });
});

describe('EntityPolicyCard', () => {
  it('shows compliance, counts and the worst failing severity', async () => {
    const api = mockPolicyReportsApi();
    api.getEntityResults.mockResolvedValue(entityResponse(results));
    await renderWithApi(
      <EntityProvider entity={entity}>
        <EntityPolicyCard />
      </EntityProvider>,
      api,
    );
    expect(await screen.findByText('25%')).toBeInTheDocument();
    expect(screen.getByText(/1 pass · 2 fail · 1 warn/)).toBeInTheDocument();
    expect(screen.getByText('high')).toBeInTheDocument();
  });
});

describe('CompliancePage', () => {
  it('charts the overview and lists policies, most failing first', async () => {
    const api = mockPolicyReportsApi();
    api.getOverview.mockResolvedValue(overviewResponse(results));
    await renderWithApi(<CompliancePage />, api);
    expect(await screen.findByText('Policies')).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'Failing results by severity' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/team-a · payments/)).toBeInTheDocument();
    const links = screen
      .getAllByRole('link')
      .map(link => link.textContent)
      .filter(text => text?.startsWith('d') || text?.startsWith('r'));
    expect(links).toEqual(
      expect.arrayContaining([
        'disallow-latest-tag',
        'disallow-privileged-containers',
      ]),
    );
  });

  it('says when no cluster has reports', async () => {
    const api = mockPolicyReportsApi();
    api.getOverview.mockResolvedValue(
      overviewResponse([], unreachableClusters),
    );
    await renderWithApi(<CompliancePage />, api);
    expect(await screen.findByText(/is Kyverno running\?/)).toBeInTheDocument();
    expect(screen.getByTestId('cluster-unreachable')).toHaveTextContent('edge');
  });

  it('blames the cluster, not Kyverno, when no cluster ever answered', async () => {
    const api = mockPolicyReportsApi();
    api.getOverview.mockResolvedValue(
      overviewResponse(
        [],
        [
          {
            cluster: 'sandbox',
            stale: true,
            error:
              'cluster sandbox is unreachable: GET /apis/wgpolicyk8s.io/v1alpha2 failed: ECONNREFUSED',
          },
        ],
      ),
    );
    await renderWithApi(<CompliancePage />, api);
    const alert = await screen.findByTestId('cluster-unreachable');
    expect(alert).toHaveTextContent(
      'Cluster sandbox is unreachable: GET /apis/wgpolicyk8s.io/v1alpha2 failed: ECONNREFUSED. No data from it has been loaded yet.',
    );
    expect(screen.queryByText(/is Kyverno running\?/)).not.toBeInTheDocument();
  });
});

describe('PolicyDetailPage', () => {
  it('shows the policy and the resources failing it', async () => {
    const api = mockPolicyReportsApi();
    api.getPolicy.mockResolvedValue(policyResponse());
    await renderWithApi(<PolicyDetailPage />, api, {
      mountPath: '/policy-compliance/policies/:policyName',
      initialRouteEntries: ['/policy-compliance/policies/disallow-latest-tag'],
    });
    expect(await screen.findByText('Disallow Latest Tag')).toBeInTheDocument();
    expect(api.getPolicy).toHaveBeenCalledWith('disallow-latest-tag');
    expect(
      screen.getByText(/GitOps repository file disallow-latest-tag.yaml/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Resources failing disallow-latest-tag (1)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Deployment/web')).toBeInTheDocument();
  });
});
