import { buildComponents, CatalogComponentMatcher } from './components';
import { priorityClassTiers } from './tiers';
import {
  CATALOG,
  crashing,
  healthyTopology,
  lost,
  pending,
  pod,
  pods,
  withChanges,
} from './__testUtils__/topology';
import type { ClusterInventory } from './types';

const byName = (
  inventory: ClusterInventory,
  catalog = CATALOG,
  tiers = priorityClassTiers(),
) =>
  new Map(
    buildComponents(inventory, catalog, tiers).components.map(c => [c.name, c]),
  );

describe('buildComponents', () => {
  it.each([
    ['Argo CD', 2, 'annotation'],
    ['Cilium', 1, 'annotation'],
    ['etcd', 1, 'controlPlane'],
    ['Loki', 3, 'annotation'],
    ['payments-api', 4, 'priorityClass'],
  ])('resolves the tier of %s to %i from its %s', (name, tier, source) => {
    expect(byName(healthyTopology()).get(name)).toMatchObject({
      tier,
      tierSource: source,
    });
  });

  it('uses the PriorityClass mapping for workloads no entity claims, and configured overrides', () => {
    const inventory = healthyTopology();
    const anonymous = {
      ...inventory,
      pods: [
        ...inventory.pods,
        pod('batch-1', { priorityClassName: 'platform-events' }),
        pod('odd-1', { priorityClassName: 'nobody-knows' }),
      ],
    };
    const components = byName(anonymous);
    expect(components.get('batch-1')).toMatchObject({
      tier: 3,
      tierSource: 'priorityClass',
      key: 'default/Pod/batch-1',
    });
    expect(components.get('odd-1')).toMatchObject({
      tier: 4,
      tierSource: 'default',
    });
    expect(
      byName(
        anonymous,
        CATALOG,
        priorityClassTiers({ 'platform-events': 2 }),
      ).get('batch-1')?.tier,
    ).toBe(2);
  });

  it('measures availability from ready pods on Ready nodes', () => {
    const inventory = withChanges(healthyTopology(), {
      nodes: { 'worker-infra': lost },
      pods: { 'payments-api-2': crashing },
    });
    const components = byName(inventory);
    // pods on the lost node still say Ready: they do not count
    expect(components.get('Argo CD')).toMatchObject({
      availability: 'unavailable',
      ready: 0,
      desired: 2,
      nodes: ['worker-infra'],
      readyNodes: [],
    });
    expect(components.get('Argo CD')?.problems[0]).toEqual({
      pod: 'argocd-server-1',
      reason: 'NodeLost',
      message: 'node worker-infra is not Ready',
    });
    expect(components.get('payments-api')).toMatchObject({
      availability: 'degraded',
      ready: 1,
      desired: 2,
    });
    expect(components.get('payments-api')?.problems).toEqual([
      {
        pod: 'payments-api-2',
        reason: 'CrashLoopBackOff',
        message: 'back-off restarting failed container',
      },
    ]);
    expect(components.get('Cilium')).toMatchObject({
      availability: 'degraded',
      ready: 2,
      desired: 3,
      nodeBoundOnly: true,
    });
  });

  it('reports why a pod is Pending', () => {
    const inventory = withChanges(healthyTopology(), {
      pods: {
        'prometheus-main-0': pending(
          'Unschedulable: 0/3 nodes are available: 1 Insufficient cpu',
        ),
      },
    });
    expect(byName(inventory).get('Prometheus')?.problems).toEqual([
      {
        pod: 'prometheus-main-0',
        reason: 'Pending',
        message: 'Unschedulable: 0/3 nodes are available: 1 Insufficient cpu',
      },
    ]);
  });

  it('groups static control-plane pods by their component label', () => {
    const inventory = healthyTopology();
    inventory.nodes.push({ ...inventory.nodes[0], name: 'control-plane-2' });
    inventory.pods.push(
      pods.etcd('control-plane-2', { name: 'etcd-control-plane-2' }),
    );
    expect(byName(inventory).get('etcd')).toMatchObject({
      key: 'kube-system/Pod/etcd',
      desired: 2,
      ready: 2,
    });
  });
});

describe('CatalogComponentMatcher', () => {
  const matcher = new CatalogComponentMatcher([
    {
      entityRef: 'component:default/argocd',
      kubernetesId: 'argocd',
      namespace: 'argocd',
    },
    {
      entityRef: 'component:default/web',
      labelSelector: 'app in (web, web-canary),tier!=batch',
    },
  ]);

  it.each([
    [
      { 'backstage.io/kubernetes-id': 'argocd' },
      'argocd',
      'component:default/argocd',
    ],
    [{ 'backstage.io/kubernetes-id': 'argocd' }, 'default', undefined],
    [{ app: 'web-canary' }, 'any', 'component:default/web'],
    [{ app: 'web', tier: 'batch' }, 'any', undefined],
    [{}, 'any', undefined],
  ])('matches %j in %s to %s', (labels, namespace, expected) => {
    expect(matcher.match(labels, namespace)?.entityRef).toBe(expected);
  });
});

describe('CatalogComponentMatcher with blank or malformed selectors', () => {
  const matcher = new CatalogComponentMatcher([
    {
      entityRef: 'component:default/blank',
      kubernetesId: 'blank',
      labelSelector: '  ',
      namespace: 'team-a',
    },
    { entityRef: 'component:default/broken', labelSelector: 'app in web' },
  ]);

  it('treats a blank selector as none, so the id decides', () => {
    const id = { 'backstage.io/kubernetes-id': 'blank' };
    expect(matcher.match(id, 'team-a')?.entityRef).toBe(
      'component:default/blank',
    );
    expect(matcher.match(id, 'team-b')).toBeUndefined();
    expect(matcher.match({ app: 'web' }, 'team-a')).toBeUndefined();
  });
});
