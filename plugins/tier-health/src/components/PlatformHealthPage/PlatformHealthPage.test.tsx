import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { act, screen, within } from '@testing-library/react';
import { tierHealthApiRef, type TierHealthApi } from '../../api';
import { failureDomains, summary } from '../../__testUtils__/responses';
import { PlatformHealthPage } from './PlatformHealthPage';

/** The view layer only: the API answers from fixtures. */
function apiAnswering(overrides: Partial<TierHealthApi> = {}): TierHealthApi {
  return {
    getSummary: async () => summary,
    getFailureDomains: async () => failureDomains,
    getEntityTier: async () => {
      throw new Error('not used');
    },
    ...overrides,
  };
}

/** Renders the page; its loads (summary, failure domains) start and settle inside act. */
const render = async (api: TierHealthApi) => {
  await act(async () => {
    await renderInTestApp(<PlatformHealthPage />, {
      apis: [[tierHealthApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
  });
};

describe('PlatformHealthPage', () => {
  it('shows the state banner with its reasons, tier lanes, nodes and failure domains', async () => {
    await render(apiAnswering());
    const banner = await screen.findByRole('status', {
      name: 'cluster sandbox state',
    });
    expect(banner).toHaveTextContent('sandbox: Red');
    expect(
      within(banner).getByText(
        /Argo CD \(tier 2\) runs on the control plane only/,
      ),
    ).toBeInTheDocument();

    const tier2 = screen.getByRole('region', { name: 'tier 2' });
    expect(within(tier2).getByText('Argo CD 2/2')).toBeInTheDocument();
    expect(within(tier2).getByText('Argo CD 2/2').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/argocd',
    );
    expect(
      within(screen.getByRole('region', { name: 'tier 4' })).getByLabelText(
        'payments-api: unavailable',
      ),
    ).toBeInTheDocument();

    const apps = screen.getByRole('region', { name: 'node worker-apps' });
    expect(within(apps).getByText('NotReady')).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'node control-plane' }),
      ).getByText(/Argo CD/),
    ).toBeInTheDocument();

    expect(
      await screen.findByText('etcd (tier 1) on control-plane'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/If worker-apps fails the platform becomes/),
    ).toBeInTheDocument();
  });

  it('says Unknown, with what it last saw and when, once the data is outdated', async () => {
    const outdated = {
      clusters: [
        {
          ...summary.clusters[0],
          state: 'Unknown' as const,
          lastSeenState: 'Green' as const,
          stale: true,
          outdated: true,
          ageSeconds: 40,
          error:
            'no answer from cluster sandbox for 40 s (refresh interval 10 s)',
        },
      ],
    };
    await render(apiAnswering({ getSummary: async () => outdated }));
    const banner = await screen.findByRole('status', {
      name: 'cluster sandbox state',
    });
    expect(banner).toHaveTextContent(
      'sandbox: Unknown (last seen Green 40 s ago)',
    );
    expect(banner).toHaveTextContent(/no answer from cluster sandbox for 40 s/);
    expect(banner).not.toHaveTextContent('sandbox: Red');
    expect(
      screen.getByText(/sandbox has not answered for two refresh intervals/),
    ).toBeInTheDocument();
  });

  it('shows an unreachable cluster with its reason', async () => {
    await render(apiAnswering());
    expect(
      await screen.findByText(/Cluster edge is unreachable/),
    ).toBeInTheDocument();
    expect(screen.getByText(/ECONNREFUSED/)).toBeInTheDocument();
  });

  it('explains that node details need a permission', async () => {
    const withoutNodes = {
      clusters: [{ ...summary.clusters[0], nodes: undefined }],
    };
    await render(apiAnswering({ getSummary: async () => withoutNodes }));
    expect(
      await screen.findByText(
        'Node details need the tierHealth.nodes.read permission.',
      ),
    ).toBeInTheDocument();
  });

  it('shows an empty state without clusters', async () => {
    await render(apiAnswering({ getSummary: async () => ({ clusters: [] }) }));
    expect(
      await screen.findByText('No clusters configured'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await render(
      apiAnswering({
        getSummary: async () => Promise.reject(new Error('backend down')),
      }),
    );
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});
