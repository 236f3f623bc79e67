import { buildComponents } from './components';
import {
  analyzeFailureDomains,
  failureDomainAnalyzer,
  outlookOf,
} from './failureDomains';
import { priorityClassTiers } from './tiers';
import {
  CATALOG,
  healthyTopology,
  lost,
  node,
  pods,
  withChanges,
} from './__testUtils__/topology';
import type { ClusterInventory } from './types';

function analyze(inventory: ClusterInventory) {
  const model = buildComponents(inventory, CATALOG, priorityClassTiers());
  return analyzeFailureDomains(inventory, model);
}

const impactOf = (inventory: ClusterInventory, name: string) =>
  analyze(inventory).nodes.find(n => n.node === name)!;

describe('analyzeFailureDomains on the three-node topology', () => {
  it('lists the nodes control plane first', () => {
    expect(analyze(healthyTopology()).nodes.map(n => n.node)).toEqual([
      'control-plane',
      'worker-apps',
      'worker-infra',
    ]);
  });

  it('control-plane: tier 1 loses everything and cannot move, so the cluster would be Black', () => {
    const impact = impactOf(healthyTopology(), 'control-plane');
    expect(impact.predictedState).toBe('Black');
    expect(impact.losesAllReplicas.map(c => c.name).sort()).toEqual([
      'etcd',
      'kube-apiserver',
    ]);
    expect(impact.rescheduling.filter(r => r.tier === 1)).toEqual([
      expect.objectContaining({
        name: 'Cilium',
        reschedulable: false,
        displacedPods: 0,
      }),
      expect.objectContaining({
        name: 'etcd',
        reschedulable: false,
        blockers: ['bound to this node (static or DaemonSet pods)'],
      }),
      expect.objectContaining({ name: 'kube-apiserver', reschedulable: false }),
    ]);
  });

  it('worker-infra: ArgoCD and Prometheus lose all replicas but reschedule on worker-apps; Yellow', () => {
    const impact = impactOf(healthyTopology(), 'worker-infra');
    expect(impact.predictedState).toBe('Yellow');
    expect(impact.losesAllReplicas.map(c => c.name)).toEqual([
      'Argo CD',
      'Prometheus',
      'Loki',
    ]);
    const argocd = impact.rescheduling.find(r => r.name === 'Argo CD')!;
    expect(argocd).toMatchObject({
      reschedulable: true,
      displacedPods: 2,
      targetNodes: ['worker-apps'],
      controlPlaneOnly: false,
    });
    // Loki does not tolerate the control-plane taint but fits on worker-apps.
    expect(impact.rescheduling.find(r => r.name === 'Loki')).toMatchObject({
      reschedulable: true,
      targetNodes: ['worker-apps'],
    });
  });

  it('worker-apps: the apps pinned to role=apps cannot move; Yellow', () => {
    const impact = impactOf(healthyTopology(), 'worker-apps');
    expect(impact.predictedState).toBe('Yellow');
    expect(impact.losesAllReplicas.map(c => c.name)).toEqual(['payments-api']);
    expect(
      impact.rescheduling.find(r => r.name === 'payments-api'),
    ).toMatchObject({
      reschedulable: false,
      blockers: [
        "1 node(s): didn't match node selector/affinity",
        '1 node(s): untolerated taint node-role.kubernetes.io/control-plane:NoSchedule',
      ],
    });
    expect(impact.predictedReasons.map(r => r.code)).toEqual(
      expect.arrayContaining(['node-lost', 'component-unavailable']),
    );
  });

  it('with worker-apps already lost, losing worker-infra puts ArgoCD and Prometheus on the control plane: Red', () => {
    const inventory = withChanges(healthyTopology(), {
      nodes: {
        'worker-apps': n => ({
          ...n,
          ready: false,
          conditions: [{ type: 'Ready', status: 'Unknown' }],
        }),
      },
    });
    const impact = impactOf(inventory, 'worker-infra');
    expect(impact.predictedState).toBe('Red');
    for (const name of ['Argo CD', 'Prometheus']) {
      expect(impact.rescheduling.find(r => r.name === name)).toMatchObject({
        reschedulable: true,
        targetNodes: ['control-plane'],
        controlPlaneOnly: true,
      });
    }
    expect(
      impact.predictedReasons
        .filter(r => r.code === 'limp-home')
        .map(r => r.subject),
    ).toEqual(['component:default/argocd', 'component:default/prometheus']);
  });

  it('counts lower-priority pods as preemptible but not higher-priority ones', () => {
    // worker-apps is full of user workloads (priority 3000): Prometheus (10000) preempts them.
    const crowded = healthyTopology();
    crowded.nodes = crowded.nodes.map(n =>
      n.name === 'worker-apps'
        ? { ...n, allocatable: { ...n.allocatable, cpuMillis: 250 } }
        : n,
    );
    const prometheus = impactOf(crowded, 'worker-infra').rescheduling.find(
      r => r.name === 'Prometheus',
    )!;
    // 250m cannot hold Prometheus' 1000m even empty: it goes to the control plane instead.
    expect(prometheus).toMatchObject({
      reschedulable: true,
      targetNodes: ['control-plane'],
    });

    // A control plane with too little room left for tier 2: ArgoCD takes it first (higher priority).
    const tight = withChanges(crowded, {
      nodes: {
        'control-plane': n => ({
          ...n,
          allocatable: { ...n.allocatable, cpuMillis: 1400 },
        }),
      },
    });
    const impact = impactOf(tight, 'worker-infra');
    expect(impact.rescheduling.find(r => r.name === 'Argo CD')).toMatchObject({
      reschedulable: true,
      targetNodes: ['control-plane'],
    });
    expect(
      impact.rescheduling.find(r => r.name === 'Prometheus'),
    ).toMatchObject({
      reschedulable: false,
      blockers: ['2 node(s): insufficient cpu'],
    });
    expect(impact.predictedState).toBe('Red');
  });

  it('lists single points of failure, tier 1 and the unmovable first', () => {
    const spofs = analyze(healthyTopology()).singlePointsOfFailure;
    expect(spofs.map(s => [s.tier, s.name, s.node, s.reschedulable])).toEqual([
      [1, 'etcd', 'control-plane', false],
      [1, 'kube-apiserver', 'control-plane', false],
      [2, 'Argo CD', 'worker-infra', true],
      [2, 'Prometheus', 'worker-infra', true],
      [3, 'Loki', 'worker-infra', true],
      [4, 'payments-api', 'worker-apps', false],
    ]);
    expect(spofs[2].message).toBe(
      'every ready replica runs on worker-infra; an outage until rescheduled on worker-apps',
    );
  });

  it('spreading replicas removes a single point of failure', () => {
    const spread = healthyTopology();
    spread.pods = spread.pods.map(p =>
      p.name === 'argocd-server-2' ? pods.argocd(2, 'worker-apps') : p,
    );
    spread.nodes.push(
      node('worker-extra', { labels: { role: 'infra' }, pool: 'infra' }),
    );
    const spofs = analyze(spread).singlePointsOfFailure.map(s => s.name);
    expect(spofs).not.toContain('Argo CD');
  });
});

describe('failureDomainAnalyzer', () => {
  it.each([
    ['healthy', healthyTopology()],
    [
      'worker-apps lost',
      withChanges(healthyTopology(), { nodes: { 'worker-apps': lost } }),
    ],
    [
      'worker-infra lost',
      withChanges(healthyTopology(), { nodes: { 'worker-infra': lost } }),
    ],
  ])(
    'answers one node, and the overview, as the full analysis does (%s)',
    (_, inventory) => {
      const model = buildComponents(inventory, CATALOG, priorityClassTiers());
      const full = analyzeFailureDomains(inventory, model);
      const analyzer = failureDomainAnalyzer(inventory, model);
      // the entity card's question, asked first, gives what the full analysis says
      for (const { node: name, losesAllReplicas, rescheduling } of full.nodes)
        expect(
          failureDomainAnalyzer(inventory, model).displacementOf(name),
        ).toEqual({ losesAllReplicas, rescheduling });
      expect(analyzer.displacementOf('ghost')).toBeUndefined();
      expect(analyzer.impactOf('worker-infra')?.impact).toEqual(
        full.nodes.find(n => n.node === 'worker-infra'),
      );
      expect(analyzer.impactOf('ghost')).toBeUndefined();
      const overview = analyzer.overview();
      expect(overview.singlePointsOfFailure).toEqual(
        full.singlePointsOfFailure,
      );
      expect(overview.nodes).toEqual(full.nodes.map(outlookOf));
      expect(analyzer.overview()).toBe(overview);
    },
  );
});
