import type {
  ClusterSummary,
  ComponentHealth,
  EntityTierResponse,
  FailureDomainsResponse,
  NodeDetails,
  NodePage,
  NodeWhatIfResponse,
  SummaryResponse,
} from '@internal/plugin-tier-health-common';

const fresh = {
  mode: 'watch' as const,
  synced: true,
  stale: false,
  outdated: false,
  lastSuccess: '2026-11-22T03:00:00.000Z',
  ageSeconds: 0,
};

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
  ...fresh,
  state: 'Red',
  reasonCount: 2,
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
  pools: [
    {
      pool: 'control-plane',
      controlPlane: true,
      nodes: 1,
      ready: 1,
      notReady: 0,
      cordoned: 0,
      pressure: 0,
    },
    {
      pool: 'apps',
      controlPlane: false,
      nodes: 1,
      ready: 0,
      notReady: 1,
      cordoned: 0,
      pressure: 0,
    },
  ],
};

export const sandboxNodes: NodeDetails[] = [
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
];

/** The nodes of one pool, as `GET /nodes` pages them. */
export const nodePage = (pool?: string): NodePage => {
  const nodes = sandboxNodes.filter(n => !pool || n.pool === pool);
  return {
    cluster: 'sandbox',
    ...fresh,
    pool,
    total: nodes.length,
    offset: 0,
    limit: 24,
    nodes,
  };
};

export const unreachableCluster: ClusterSummary = {
  cluster: 'edge',
  mode: 'starting',
  synced: false,
  stale: true,
  outdated: false,
  reasonCount: 0,
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
      ...fresh,
      nodes: [
        {
          node: 'control-plane',
          pool: 'control-plane',
          controlPlane: true,
          ready: true,
          predictedState: 'Black',
          losesAllReplicas: 1,
        },
        {
          node: 'worker-apps',
          pool: 'apps',
          controlPlane: false,
          ready: false,
          predictedState: 'Red',
          losesAllReplicas: 0,
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
    {
      cluster: 'edge',
      mode: 'starting',
      synced: false,
      stale: true,
      outdated: false,
      error: 'unreachable',
    },
  ],
};

/** `GET /nodes/sandbox/:node` for the two nodes of the fixture. */
export const whatIf = (node: string): NodeWhatIfResponse => ({
  cluster: 'sandbox',
  ...fresh,
  details: sandboxNodes.find(n => n.name === node),
  impact: {
    node,
    pool: node === 'control-plane' ? 'control-plane' : 'apps',
    controlPlane: node === 'control-plane',
    ready: node === 'control-plane',
    predictedState: node === 'control-plane' ? 'Black' : 'Red',
    predictedReasons:
      node === 'control-plane'
        ? [
            {
              state: 'Black',
              code: 'control-plane-lost',
              message:
                'control plane lost: node control-plane is Ready=Unknown',
            },
          ]
        : [],
    losesAllReplicas:
      node === 'control-plane'
        ? [{ key: 'kube-system/Pod/etcd', name: 'etcd', tier: 1 }]
        : [],
    rescheduling: [],
  },
  singlePointsOfFailure: [],
});

export const argocdTier: EntityTierResponse = {
  entityRef: 'component:default/argocd',
  annotatedTier: 2,
  clusters: [
    {
      cluster: 'sandbox',
      ...fresh,
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
