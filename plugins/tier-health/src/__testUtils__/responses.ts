import type {
  ClusterSummary,
  ComponentHealth,
  EntityTierResponse,
  FailureDomainsResponse,
  SummaryResponse,
} from '@internal/plugin-tier-health-common';

const component = (overrides: Partial<ComponentHealth>): ComponentHealth => ({
  key: 'k',
  name: 'n',
  tier: 4,
  tierSource: 'annotation',
  availability: 'available',
  desired: 1,
  ready: 1,
  workloads: [],
  nodes: ['worker-infra'],
  readyNodes: ['worker-infra'],
  nodeBoundOnly: false,
  problems: [],
  ...overrides,
});

export const redCluster: ClusterSummary = {
  cluster: 'sandbox',
  lastSuccess: '2026-11-22T03:00:00.000Z',
  stale: false,
  state: 'Red',
  reasons: [
    {
      state: 'Red',
      code: 'all-workers-lost',
      message:
        'all workers lost (worker-infra, worker-apps): tiers 1–2 run in limp-home mode on the control plane',
    },
    {
      state: 'Red',
      code: 'limp-home',
      subject: 'component:default/argocd',
      message:
        'Argo CD (tier 2) runs on the control plane only (control-plane): limp-home mode',
    },
  ],
  tiers: [
    { tier: 1, total: 1, available: 1, degraded: 0, unavailable: 0 },
    { tier: 2, total: 1, available: 1, degraded: 0, unavailable: 0 },
    { tier: 3, total: 0, available: 0, degraded: 0, unavailable: 0 },
    { tier: 4, total: 1, available: 0, degraded: 0, unavailable: 1 },
  ],
  components: [
    component({
      key: 'kube-system/Pod/etcd',
      name: 'etcd',
      tier: 1,
      tierSource: 'controlPlane',
      nodes: ['control-plane'],
      readyNodes: ['control-plane'],
    }),
    component({
      key: 'component:default/argocd',
      entityRef: 'component:default/argocd',
      name: 'Argo CD',
      tier: 2,
      desired: 2,
      ready: 2,
      nodes: ['control-plane'],
      readyNodes: ['control-plane'],
    }),
    component({
      key: 'component:team-a/payments-api',
      entityRef: 'component:team-a/payments-api',
      name: 'payments-api',
      availability: 'unavailable',
      ready: 0,
      readyNodes: [],
      nodes: [],
      problems: [
        { pod: 'payments-api-1', reason: 'Pending', message: 'Unschedulable' },
      ],
    }),
  ],
  nodes: [
    {
      name: 'control-plane',
      pool: 'control-plane',
      controlPlane: true,
      ready: true,
      unschedulable: false,
      conditions: [{ type: 'Ready', status: 'True' }],
      taints: [
        { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      ],
      allocatable: { cpuMillis: 4000, memoryBytes: 8 * 2 ** 30, pods: 110 },
      requested: { cpuMillis: 3000, memoryBytes: 4 * 2 ** 30, pods: 3 },
      tiers: [
        { tier: 1, pods: 1, readyPods: 1, components: ['etcd'] },
        { tier: 2, pods: 2, readyPods: 2, components: ['Argo CD'] },
        { tier: 3, pods: 0, readyPods: 0, components: [] },
        { tier: 4, pods: 0, readyPods: 0, components: [] },
      ],
    },
    {
      name: 'worker-apps',
      pool: 'apps',
      controlPlane: false,
      ready: false,
      unschedulable: false,
      conditions: [
        { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' },
      ],
      taints: [],
      allocatable: { cpuMillis: 8000, memoryBytes: 32 * 2 ** 30, pods: 110 },
      requested: { cpuMillis: 0, memoryBytes: 0, pods: 0 },
      tiers: [1, 2, 3, 4].map(tier => ({
        tier: tier as 1,
        pods: 0,
        readyPods: 0,
        components: [],
      })),
    },
  ],
};

export const unreachableCluster: ClusterSummary = {
  cluster: 'edge',
  stale: true,
  error: 'cluster edge is unreachable: GET /api/v1/nodes failed: ECONNREFUSED',
  reasons: [],
  tiers: [],
  components: [],
};

export const summary: SummaryResponse = {
  clusters: [redCluster, unreachableCluster],
};

export const failureDomains: FailureDomainsResponse = {
  clusters: [
    {
      cluster: 'sandbox',
      stale: false,
      analysis: {
        nodes: [
          {
            node: 'control-plane',
            pool: 'control-plane',
            controlPlane: true,
            ready: true,
            predictedState: 'Black',
            predictedReasons: [
              {
                state: 'Black',
                code: 'control-plane-lost',
                message:
                  'control plane lost: node control-plane is Ready=Unknown',
              },
            ],
            losesAllReplicas: [
              { key: 'kube-system/Pod/etcd', name: 'etcd', tier: 1 },
            ],
            rescheduling: [],
          },
          {
            node: 'worker-apps',
            pool: 'apps',
            controlPlane: false,
            ready: false,
            predictedState: 'Red',
            predictedReasons: [],
            losesAllReplicas: [],
            rescheduling: [],
          },
        ],
        singlePointsOfFailure: [
          {
            key: 'kube-system/Pod/etcd',
            name: 'etcd',
            tier: 1,
            node: 'control-plane',
            reschedulable: false,
            message:
              'every ready replica runs on control-plane and cannot run elsewhere',
          },
        ],
      },
    },
    { cluster: 'edge', stale: true, error: 'unreachable' },
  ],
};

export const argocdTier: EntityTierResponse = {
  entityRef: 'component:default/argocd',
  annotatedTier: 2,
  clusters: [
    {
      cluster: 'sandbox',
      stale: false,
      lastSuccess: '2026-11-22T03:00:00.000Z',
      component: {
        key: 'component:default/argocd',
        name: 'Argo CD',
        entityRef: 'component:default/argocd',
        tier: 2,
        tierSource: 'annotation',
        availability: 'available',
        ready: 2,
        desired: 2,
        nodes: [
          {
            name: 'worker-infra',
            pool: 'infra',
            controlPlane: false,
            ready: true,
          },
        ],
        survivesLossOf: [
          {
            node: 'worker-infra',
            pool: 'infra',
            controlPlane: false,
            outcome: 'rescheduled',
            message: 'outage until rescheduled on worker-apps',
          },
        ],
        problems: [],
      },
    },
  ],
};
