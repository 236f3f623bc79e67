import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { act, screen } from '@testing-library/react';
import { tierHealthApiRef, type TierHealthApi } from '../../api';
import { argocdTier } from '../../__testUtils__/responses';
import { EntityTierCard } from './EntityTierCard';

const argocd = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'argocd', annotations: { 'idp.platform/tier': '2' } },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:platform-team',
  },
};

describe('EntityTierCard', () => {
  it("shows the tier, where the component runs and what each node's loss means", async () => {
    const requested: string[] = [];
    const api: TierHealthApi = {
      getSummary: async () => ({ clusters: [] }),
      getFailureDomains: async () => ({ clusters: [] }),
      getNodes: async () => {
        throw new Error('not used');
      },
      getNodeWhatIf: async () => {
        throw new Error('not used');
      },
      getEntityTier: async ref => {
        requested.push(ref);
        return argocdTier;
      },
    };
    // the card loads while the app renders: inside act, so its state updates are too
    await act(async () => {
      await renderInTestApp(
        <EntityProvider entity={argocd}>
          <EntityTierCard />
        </EntityProvider>,
        { apis: [[tierHealthApiRef, api]] },
      );
    });
    expect(
      await screen.findByText('Tier 2 · critical infrastructure'),
    ).toBeInTheDocument();
    expect(screen.getByText('available: 2/2 ready')).toBeInTheDocument();
    expect(screen.getByText('worker-infra (infra)')).toBeInTheDocument();
    expect(
      screen.getByText('outage until rescheduled on worker-apps'),
    ).toBeInTheDocument();
    expect(requested[0]).toBe('component:default/argocd');
  });

  it('says Unknown with what it last saw once the cluster data is outdated', async () => {
    const api: TierHealthApi = {
      getSummary: async () => ({ clusters: [] }),
      getFailureDomains: async () => ({ clusters: [] }),
      getNodes: async () => {
        throw new Error('not used');
      },
      getNodeWhatIf: async () => {
        throw new Error('not used');
      },
      getEntityTier: async () => ({
        ...argocdTier,
        clusters: argocdTier.clusters.map(c => ({
          ...c,
          stale: true,
          outdated: true,
          ageSeconds: 40,
        })),
      }),
    };
    await act(async () => {
      await renderInTestApp(
        <EntityProvider entity={argocd}>
          <EntityTierCard />
        </EntityProvider>,
        { apis: [[tierHealthApiRef, api]] },
      );
    });
    expect(
      await screen.findByText(
        'Unknown: last seen available (2/2 ready) 40 s ago',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('available: 2/2 ready')).not.toBeInTheDocument();
  });
});
