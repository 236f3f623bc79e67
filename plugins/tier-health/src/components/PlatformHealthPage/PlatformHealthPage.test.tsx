import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { tierHealthApiRef, type TierHealthApi } from '../../api';
import {
  failureDomains,
  nodePage,
  summary,
  whatIf,
} from '../../__testUtils__/responses';
import { PlatformHealthPage } from './PlatformHealthPage';

/** The view layer only: the API answers from fixtures. */
function apiAnswering(overrides: Partial<TierHealthApi> = {}): TierHealthApi {
  return {
    getSummary: async () => summary,
    getFailureDomains: async () => failureDomains,
    getNodes: async ({ pool }) => nodePage(pool),
    getNodeWhatIf: async (_cluster, node) => whatIf(node),
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

    // a small cluster shows every pool expanded
    const apps = await screen.findByRole('region', {
      name: 'node worker-apps',
    });
    expect(within(apps).getByText('NotReady')).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'pool apps' })).getByText(
        '1 NotReady',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'node control-plane' }),
      ).getByText(/Argo CD/),
    ).toBeInTheDocument();

    expect(
      await screen.findByText('etcd (tier 1) on control-plane'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/If worker-apps fails the platform becomes/),
    ).toBeInTheDocument();
  });

  it('collapses the pools of a large cluster to counts and pages a pool when expanded', async () => {
    const pages: Array<{ pool?: string; offset?: number }> = [];
    const large = {
      clusters: [
        {
          ...summary.clusters[0],
          pools: [
            {
              pool: 'apps',
              controlPlane: false,
              nodes: 600,
              ready: 598,
              notReady: 2,
              cordoned: 1,
              pressure: 0,
            },
          ],
        },
      ],
    };
    await render(
      apiAnswering({
        getSummary: async () => large,
        getNodes: async ({ pool, offset }) => {
          pages.push({ pool, offset });
          return { ...nodePage(pool), total: 600, offset: offset ?? 0 };
        },
      }),
    );
    const pool = await screen.findByRole('region', { name: 'pool apps' });
    expect(within(pool).getByText('598 Ready')).toBeInTheDocument();
    expect(within(pool).getByText('2 NotReady')).toBeInTheDocument();
    expect(within(pool).getByText('1 cordoned')).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'node worker-apps' }),
    ).toBeNull();
    expect(pages).toEqual([]);

    await act(async () => {
      fireEvent.click(within(pool).getByRole('button', { name: /pool apps/ }));
    });
    expect(
      await screen.findByRole('region', { name: 'node worker-apps' }),
    ).toBeInTheDocument();
    expect(within(pool).getByText('nodes 1–24 of 600')).toBeInTheDocument();
    await act(async () => {
      fireEvent.click(within(pool).getByRole('button', { name: 'Next' }));
    });
    expect(
      await within(pool).findByText('nodes 25–48 of 600'),
    ).toBeInTheDocument();
    expect(pages).toEqual([
      { pool: 'apps', offset: 0 },
      { pool: 'apps', offset: 24 },
    ]);
  });

  it('counts the reasons it leaves out and says when a cluster is polled instead of watched', async () => {
    const many = {
      clusters: [
        {
          ...summary.clusters[0],
          reasonCount: 75,
          note: 'watch refused (405): polling every 10 s',
        },
      ],
    };
    await render(apiAnswering({ getSummary: async () => many }));
    const banner = await screen.findByRole('status', {
      name: 'cluster sandbox state',
    });
    expect(banner).toHaveTextContent(
      'and 73 more reasons of the same or a lesser state',
    );
    expect(
      screen.getByText(
        'How sandbox is followed: watch refused (405): polling every 10 s',
      ),
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
      clusters: [{ ...summary.clusters[0], pools: undefined }],
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
