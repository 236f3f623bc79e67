import type { KubernetesObject } from '@internal/kube-model';

/** A taint as it appears in `Node.spec.taints`. */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string;
  timeAdded?: string;
}

/** Taint the node lifecycle controller puts on a node whose kubelet stopped reporting. */
export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';
/** Taint kubeadm puts on control-plane nodes. */
export const CONTROL_PLANE_TAINT_KEY = 'node-role.kubernetes.io/control-plane';

/** The shape of one node of a topology. */
export interface NodeSpec {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  cpu: string;
  memory: string;
}

/**
 * The platform's default node pools (see DESIGN.md "Node pools"): a tainted control plane,
 * an infra worker and an apps worker.
 */
export const DEFAULT_NODE_SPECS: readonly NodeSpec[] = [
  {
    name: 'control-plane',
    labels: { [CONTROL_PLANE_TAINT_KEY]: '' },
    taints: [{ key: CONTROL_PLANE_TAINT_KEY, effect: 'NoSchedule' }],
    // sized as the lifeboat DESIGN.md relies on: with both workers lost, the tier-1/2 platform
    // (ArgoCD, Prometheus, Kyverno, Vault...) must still fit next to the API server and etcd
    cpu: '8',
    memory: '16Gi',
  },
  {
    name: 'worker-infra',
    labels: { role: 'infra' },
    taints: [],
    cpu: '8',
    memory: '32Gi',
  },
  {
    name: 'worker-apps',
    labels: { role: 'apps' },
    taints: [],
    cpu: '8',
    memory: '32Gi',
  },
];

/** The InternalIP of the index-th node, in the range kind clusters use. */
export function nodeInternalIp(index: number): string {
  return `172.18.0.${index + 2}`;
}

function readyConditions(now: string): Array<Record<string, string>> {
  const condition = (
    type: string,
    reason: string,
    message: string,
    status = 'False',
  ) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  return [
    condition(
      'MemoryPressure',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    condition(
      'DiskPressure',
      'KubeletHasNoDiskPressure',
      'kubelet has no disk pressure',
    ),
    condition(
      'PIDPressure',
      'KubeletHasSufficientPID',
      'kubelet has sufficient PID available',
    ),
    condition(
      'Ready',
      'KubeletReady',
      'kubelet is posting ready status',
      'True',
    ),
  ];
}

/**
 * Builds a Ready Node object the way a kubelet registers it.
 *
 * @param spec - name, labels, taints and size of the node
 * @param index - position in the topology (derives IPs and the pod CIDR)
 * @param now - timestamp for conditions
 */
export function buildNode(
  spec: NodeSpec,
  index: number,
  now: string,
): KubernetesObject {
  const resources = {
    cpu: spec.cpu,
    memory: spec.memory,
    pods: '110',
    'ephemeral-storage': '100Gi',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        ...spec.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      providerID: `sandbox://idp-portal/${spec.name}`,
      ...(spec.taints.length > 0
        ? { taints: spec.taints.map(t => ({ ...t })) }
        : {}),
    },
    status: {
      capacity: { ...resources },
      allocatable: { ...resources },
      conditions: readyConditions(now),
      addresses: [
        { type: 'InternalIP', address: nodeInternalIp(index) },
        { type: 'Hostname', address: spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: `sandbox-boot-${spec.name}`,
        containerRuntimeVersion: 'containerd://1.7.18',
        kernelVersion: '6.8.0-sandbox',
        kubeProxyVersion: 'v1.31.0',
        kubeletVersion: 'v1.31.0',
        machineID: `sandbox-machine-${spec.name}`,
        operatingSystem: 'linux',
        osImage: 'IDP Portal Sandbox (simulated)',
        systemUUID: `sandbox-${spec.name}`,
      },
    },
  };
}

/** Whether the node's Ready condition is True. */
export function isNodeReady(node: KubernetesObject): boolean {
  const conditions = (
    node.status as { conditions?: Array<{ type: string; status: string }> }
  )?.conditions;
  return conditions?.find(c => c.type === 'Ready')?.status === 'True';
}

/** The node's taints (empty when none). */
export function nodeTaints(node: KubernetesObject): Taint[] {
  return ((node.spec as { taints?: Taint[] })?.taints ?? []).filter(
    t => t && t.key !== undefined,
  );
}

/** The node's InternalIP, if reported. */
export function nodeAddress(node: KubernetesObject): string | undefined {
  const addresses = (
    node.status as { addresses?: Array<{ type: string; address: string }> }
  )?.addresses;
  return addresses?.find(a => a.type === 'InternalIP')?.address;
}

/** The node's pod CIDR prefix, e.g. `10.244.1` for `10.244.1.0/24`. */
export function nodePodNetwork(node: KubernetesObject): string | undefined {
  const cidr = (node.spec as { podCIDR?: string })?.podCIDR;
  const match = cidr ? /^(\d+\.\d+\.\d+)\.0\/24$/.exec(cidr) : null;
  return match?.[1];
}
