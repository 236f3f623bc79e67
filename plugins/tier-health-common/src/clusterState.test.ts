import { buildComponents } from './components';
import { assessCluster } from './clusterState';
import { priorityClassTiers } from './tiers';
import {
  CATALOG,
  crashing,
  healthyTopology,
  lost,
  movedTo,
  notReady,
  pending,
  withChanges,
} from './__testUtils__/topology';
import type { ClusterInventory } from './types';

function assess(inventory: ClusterInventory) {
  const { components } = buildComponents(
    inventory,
    CATALOG,
    priorityClassTiers(),
  );
  return assessCluster(inventory.nodes, components);
}

const bothWorkersLost = () =>
  withChanges(healthyTopology(), {
    nodes: { 'worker-infra': lost, 'worker-apps': lost },
    pods: {
      'cilium-worker-infra': notReady,
      'cilium-worker-apps': notReady,
      'argocd-server-1': movedTo('control-plane'),
      'argocd-server-2': movedTo('control-plane'),
      'prometheus-main-0': movedTo('control-plane'),
      'loki-0': pending(
        '0/3 nodes are available: 1 node(s) had untolerated taint',
      ),
      'payments-api-1': pending('0/3 nodes are available'),
      'payments-api-2': pending('0/3 nodes are available'),
    },
  });

describe('assessCluster: DESIGN.md state table and transitions', () => {
  it.each<[string, () => ClusterInventory, string, string[]]>([
    [
      'Green: all nodes Ready, every tier fully available',
      healthyTopology,
      'Green',
      ['all-healthy'],
    ],
    [
      'Yellow: one worker lost, tiers 1–2 still available',
      () =>
        withChanges(healthyTopology(), {
          nodes: { 'worker-apps': lost },
          pods: {
            'cilium-worker-apps': notReady,
            'payments-api-1': pending(
              "0/3 nodes are available: 1 node(s) didn't match node selector",
            ),
            'payments-api-2': pending('0/3 nodes are available'),
          },
        }),
      'Yellow',
      ['node-lost', 'component-degraded', 'component-unavailable'],
    ],
    [
      'Yellow: a tier-3 component down with all nodes Ready',
      () => withChanges(healthyTopology(), { pods: { 'loki-0': crashing } }),
      'Yellow',
      ['component-unavailable'],
    ],
    [
      'Yellow, not Green: a tier-2 component degraded with all nodes Ready',
      () =>
        withChanges(healthyTopology(), {
          pods: { 'argocd-server-2': crashing },
        }),
      'Yellow',
      ['component-degraded'],
    ],
    [
      'Red: both workers lost, ArgoCD and Prometheus in limp-home mode on the control plane',
      bothWorkersLost,
      'Red',
      [
        'all-workers-lost',
        'limp-home',
        'limp-home',
        'component-degraded',
        'component-unavailable',
        'component-unavailable',
      ],
    ],
    [
      'Red, not Green: a tier-2 component down with all nodes Ready',
      () =>
        withChanges(healthyTopology(), {
          pods: { 'prometheus-main-0': crashing },
        }),
      'Red',
      ['tier2-unavailable'],
    ],
    [
      'Black: control plane lost',
      () =>
        withChanges(healthyTopology(), {
          nodes: { 'control-plane': lost },
          pods: { 'cilium-control-plane': notReady },
        }),
      'Black',
      [
        'control-plane-lost',
        'tier1-unavailable',
        'tier1-unavailable',
        'component-degraded',
      ],
    ],
    [
      'Black: a tier-1 component has no ready replica',
      () =>
        withChanges(healthyTopology(), {
          pods: { 'kube-apiserver-control-plane': crashing },
        }),
      'Black',
      ['tier1-unavailable'],
    ],
  ])('%s', (_name, inventory, state, codes) => {
    const assessment = assess(inventory());
    expect(assessment.state).toBe(state);
    expect(assessment.reasons.map(r => r.code).sort()).toEqual(
      [...codes].sort(),
    );
    expect(assessment.reasons[0].state).toBe(state);
  });

  it('names the lost worker and the limp-home components in its reasons', () => {
    const yellow = assess(
      withChanges(healthyTopology(), { nodes: { 'worker-apps': lost } }),
    );
    expect(yellow.reasons[0].message).toBe(
      'worker worker-apps (pool apps) lost: Ready=Unknown (NodeStatusUnknown)',
    );
    const red = assess(bothWorkersLost());
    const limpHome = red.reasons
      .filter(r => r.code === 'limp-home')
      .map(r => r.message);
    expect(limpHome).toEqual([
      'Argo CD (tier 2) runs on the control plane only (control-plane): limp-home mode',
      'Prometheus (tier 2) runs on the control plane only (control-plane): limp-home mode',
    ]);
    expect(red.reasons[0].message).toBe(
      'all workers lost (worker-infra, worker-apps): tiers 1–2 run in limp-home mode on the control plane',
    );
  });

  it('returns to Green when healed pods stay on the control plane (Kubernetes does not rebalance)', () => {
    const healed = withChanges(healthyTopology(), {
      pods: {
        'argocd-server-1': movedTo('control-plane'),
        'argocd-server-2': movedTo('control-plane'),
      },
    });
    expect(assess(healed).state).toBe('Green');
  });

  it('turns Yellow when a node reports pressure', () => {
    const pressured = withChanges(healthyTopology(), {
      nodes: {
        'worker-apps': n => ({
          ...n,
          conditions: [
            ...n.conditions,
            { type: 'MemoryPressure', status: 'True', message: 'low memory' },
          ],
        }),
      },
    });
    const assessment = assess(pressured);
    expect(assessment.state).toBe('Yellow');
    expect(assessment.reasons[0].message).toBe(
      'node worker-apps reports MemoryPressure: low memory',
    );
  });

  it('counts components per tier', () => {
    expect(assess(bothWorkersLost()).tiers).toEqual([
      { tier: 1, total: 3, available: 2, degraded: 1, unavailable: 0 },
      { tier: 2, total: 2, available: 2, degraded: 0, unavailable: 0 },
      { tier: 3, total: 1, available: 0, degraded: 0, unavailable: 1 },
      { tier: 4, total: 1, available: 0, degraded: 0, unavailable: 1 },
    ]);
  });
});
