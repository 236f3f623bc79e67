import type {
  CatalogComponent,
  ClusterInventory,
  NodeInfo,
  PodInfo,
  WorkloadInfo,
} from '../types';

const GiB = 2 ** 30;
const CONTROL_PLANE_TAINT = {
  key: 'node-role.kubernetes.io/control-plane',
  effect: 'NoSchedule',
};
const TOLERATE_CONTROL_PLANE = [
  {
    key: 'node-role.kubernetes.io/control-plane',
    operator: 'Exists',
    effect: 'NoSchedule',
  },
];

export function node(
  name: string,
  overrides: Partial<NodeInfo> = {},
): NodeInfo {
  const controlPlane = name === 'control-plane';
  return {
    name,
    labels: controlPlane
      ? { 'node-role.kubernetes.io/control-plane': '' }
      : { role: name.replace('worker-', '') },
    taints: controlPlane ? [CONTROL_PLANE_TAINT] : [],
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    ready: true,
    unschedulable: false,
    controlPlane,
    pool: controlPlane ? 'control-plane' : name.replace('worker-', ''),
    allocatable: controlPlane
      ? { cpuMillis: 4000, memoryBytes: 8 * GiB, pods: 110 }
      : { cpuMillis: 8000, memoryBytes: 32 * GiB, pods: 110 },
    ...overrides,
  };
}

export function lost(n: NodeInfo): NodeInfo {
  return {
    ...n,
    ready: false,
    conditions: [
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' },
    ],
    taints: [
      ...n.taints,
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
    ],
  };
}

export function pod(name: string, overrides: Partial<PodInfo> = {}): PodInfo {
  return {
    name,
    namespace: 'default',
    labels: {},
    nodeName: 'worker-infra',
    phase: 'Running',
    ready: true,
    priority: 0,
    tolerations: [],
    nodeSelector: {},
    requiredNodeAffinity: [],
    requests: { cpuMillis: 100, memoryBytes: 128 * 2 ** 20, pods: 1 },
    nodeBound: false,
    ...overrides,
  };
}

const workload = (
  kind: string,
  namespace: string,
  name: string,
  desiredReplicas: number,
  id?: string,
): WorkloadInfo => ({
  kind,
  namespace,
  name,
  labels: id ? { 'backstage.io/kubernetes-id': id } : {},
  templateLabels: id ? { 'backstage.io/kubernetes-id': id } : {},
  desiredReplicas,
});

export const CATALOG: CatalogComponent[] = [
  {
    entityRef: 'component:default/argocd',
    title: 'Argo CD',
    kubernetesId: 'argocd',
    namespace: 'argocd',
    tier: 2,
  },
  {
    entityRef: 'component:default/prometheus',
    title: 'Prometheus',
    kubernetesId: 'prometheus',
    namespace: 'monitoring',
    tier: 2,
  },
  {
    entityRef: 'component:default/cilium',
    title: 'Cilium',
    kubernetesId: 'cilium',
    tier: 1,
  },
  {
    entityRef: 'component:default/loki',
    title: 'Loki',
    kubernetesId: 'loki',
    tier: 3,
  },
  { entityRef: 'component:team-a/payments-api', kubernetesId: 'payments-api' },
];

/** Pod builders of the platform's components, placed where the sandbox places them. */
export const pods = {
  etcd: (nodeName = 'control-plane', o: Partial<PodInfo> = {}) =>
    pod('etcd-control-plane', {
      namespace: 'kube-system',
      nodeName,
      labels: { component: 'etcd', tier: 'control-plane' },
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      nodeBound: true,
      ...o,
    }),
  apiserver: (o: Partial<PodInfo> = {}) =>
    pod('kube-apiserver-control-plane', {
      namespace: 'kube-system',
      nodeName: 'control-plane',
      labels: { component: 'kube-apiserver', tier: 'control-plane' },
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      nodeBound: true,
      ...o,
    }),
  cilium: (nodeName: string, o: Partial<PodInfo> = {}) =>
    pod(`cilium-${nodeName}`, {
      namespace: 'kube-system',
      nodeName,
      labels: { 'backstage.io/kubernetes-id': 'cilium' },
      priorityClassName: 'platform-infrastructure',
      priority: 1000000,
      tolerations: [{ operator: 'Exists' }],
      owner: { kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' },
      nodeBound: true,
      ...o,
    }),
  argocd: (i: number, nodeName = 'worker-infra', o: Partial<PodInfo> = {}) =>
    pod(`argocd-server-${i}`, {
      namespace: 'argocd',
      nodeName,
      labels: { 'backstage.io/kubernetes-id': 'argocd' },
      priorityClassName: 'platform-infrastructure',
      priority: 1000000,
      tolerations: TOLERATE_CONTROL_PLANE,
      owner: { kind: 'Deployment', namespace: 'argocd', name: 'argocd-server' },
      requests: { cpuMillis: 500, memoryBytes: GiB, pods: 1 },
      ...o,
    }),
  prometheus: (nodeName = 'worker-infra', o: Partial<PodInfo> = {}) =>
    pod('prometheus-main-0', {
      namespace: 'monitoring',
      nodeName,
      labels: { 'backstage.io/kubernetes-id': 'prometheus' },
      priorityClassName: 'platform-observability',
      priority: 10000,
      tolerations: TOLERATE_CONTROL_PLANE,
      owner: {
        kind: 'StatefulSet',
        namespace: 'monitoring',
        name: 'prometheus-main',
      },
      requests: { cpuMillis: 1000, memoryBytes: 2 * GiB, pods: 1 },
      ...o,
    }),
  loki: (nodeName = 'worker-infra', o: Partial<PodInfo> = {}) =>
    pod('loki-0', {
      namespace: 'logging',
      nodeName,
      labels: { 'backstage.io/kubernetes-id': 'loki' },
      priorityClassName: 'platform-observability',
      priority: 10000,
      owner: { kind: 'StatefulSet', namespace: 'logging', name: 'loki' },
      ...o,
    }),
  payments: (
    i: number,
    nodeName: string | undefined = 'worker-apps',
    o: Partial<PodInfo> = {},
  ) =>
    pod(`payments-api-${i}`, {
      namespace: 'team-a',
      nodeName,
      labels: { 'backstage.io/kubernetes-id': 'payments-api' },
      priorityClassName: 'user-workloads',
      priority: 3000,
      nodeSelector: { role: 'apps' },
      owner: { kind: 'Deployment', namespace: 'team-a', name: 'payments-api' },
      ...o,
    }),
};

export const WORKLOADS: WorkloadInfo[] = [
  workload('DaemonSet', 'kube-system', 'cilium', 3, 'cilium'),
  workload('Deployment', 'argocd', 'argocd-server', 2, 'argocd'),
  workload('StatefulSet', 'monitoring', 'prometheus-main', 1, 'prometheus'),
  workload('StatefulSet', 'logging', 'loki', 1, 'loki'),
  workload('Deployment', 'team-a', 'payments-api', 2, 'payments-api'),
];

/** The healthy three-node platform: tier 1 on the control plane, tiers 2–3 on infra, apps on apps. */
export function healthyTopology(): ClusterInventory {
  return {
    nodes: [node('control-plane'), node('worker-infra'), node('worker-apps')],
    pods: [
      pods.etcd(),
      pods.apiserver(),
      pods.cilium('control-plane'),
      pods.cilium('worker-infra'),
      pods.cilium('worker-apps'),
      pods.argocd(1),
      pods.argocd(2),
      pods.prometheus(),
      pods.loki(),
      pods.payments(1),
      pods.payments(2),
    ],
    workloads: WORKLOADS,
    priorityClasses: {
      'platform-infrastructure': 1000000,
      'platform-observability': 10000,
      'user-workloads': 3000,
    },
  };
}

/** Replaces the named nodes and pods of an inventory. */
export function withChanges(
  inventory: ClusterInventory,
  changes: {
    nodes?: Record<string, (n: NodeInfo) => NodeInfo>;
    pods?: Record<string, (p: PodInfo) => PodInfo>;
  },
): ClusterInventory {
  return {
    ...inventory,
    nodes: inventory.nodes.map(n => changes.nodes?.[n.name]?.(n) ?? n),
    pods: inventory.pods.map(p => changes.pods?.[p.name]?.(p) ?? p),
  };
}

export const notReady = (p: PodInfo): PodInfo => ({
  ...p,
  ready: false,
  problem: { reason: 'NotReady', message: 'not ready' },
});
export const crashing = (p: PodInfo): PodInfo => ({
  ...p,
  ready: false,
  problem: {
    reason: 'CrashLoopBackOff',
    message: 'back-off restarting failed container',
  },
});
export const pending =
  (message: string) =>
  (p: PodInfo): PodInfo => ({
    ...p,
    nodeName: undefined,
    phase: 'Pending',
    ready: false,
    problem: { reason: 'Pending', message },
  });
export const movedTo =
  (nodeName: string) =>
  (p: PodInfo): PodInfo => ({ ...p, nodeName });
