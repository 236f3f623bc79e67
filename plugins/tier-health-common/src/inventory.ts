import {
  controllerReference,
  ownedObjectOf,
  rollUpToWorkload,
  type KubernetesObject,
  type OwnedObject,
} from '@internal/kube-model';
import { cpuMillis, memoryBytes, parseQuantity } from './quantity';
import type {
  ClusterInventory,
  NodeInfo,
  NodeSelectorRequirement,
  PodInfo,
  PodProblem,
  ResourceAmounts,
  WorkloadInfo,
  WorkloadRef,
} from './types';

/** A Kubernetes object as the API returns it: the model of the kube-model package. @public */
export type { KubernetesObject } from '@internal/kube-model';

/** The fields read here are typed loosely: their shapes are checked where they are read. */
type Listed = KubernetesObject & { spec?: any; status?: any };

/** The raw lists one refresh reads from a cluster. @public */
export interface KubernetesLists {
  nodes: KubernetesObject[];
  pods: KubernetesObject[];
  deployments: KubernetesObject[];
  replicaSets: KubernetesObject[];
  statefulSets: KubernetesObject[];
  daemonSets: KubernetesObject[];
  priorityClasses: KubernetesObject[];
}

/** Label and taint kubeadm puts on control-plane nodes (and the pre-1.24 name). */
const CONTROL_PLANE_KEYS = [
  'node-role.kubernetes.io/control-plane',
  'node-role.kubernetes.io/master',
];
const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';

function amounts(
  resources: Record<string, unknown> | undefined,
): ResourceAmounts {
  return {
    cpuMillis: cpuMillis(resources?.cpu),
    memoryBytes: memoryBytes(resources?.memory),
    pods: Math.floor(parseQuantity(resources?.pods) ?? 0),
  };
}

/** @public */
export function nodeFromKubernetes(object: KubernetesObject): NodeInfo {
  const node: Listed = object;
  const labels = node.metadata?.labels ?? {};
  const taints = (node.spec?.taints ?? []).filter((t: any) => t?.key);
  const conditions = node.status?.conditions ?? [];
  const controlPlane =
    CONTROL_PLANE_KEYS.some(key => key in labels) ||
    taints.some((t: any) => CONTROL_PLANE_KEYS.includes(t.key));
  const roleLabel = Object.keys(labels).find(key =>
    key.startsWith(NODE_ROLE_PREFIX),
  );
  const pool =
    labels.role ??
    (controlPlane ? 'control-plane' : undefined) ??
    (roleLabel ? roleLabel.slice(NODE_ROLE_PREFIX.length) : 'worker');
  return {
    name: node.metadata?.name ?? '',
    labels,
    taints: taints.map((t: any) => ({
      key: t.key,
      value: t.value,
      effect: t.effect,
    })),
    conditions: conditions.map((c: any) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
    })),
    ready: conditions.some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    ),
    unschedulable: Boolean(node.spec?.unschedulable),
    controlPlane,
    pool,
    allocatable: amounts(node.status?.allocatable ?? node.status?.capacity),
  };
}

/** Sum of container requests, or the largest init container's if that is larger (as kube-scheduler). */
function podRequests(spec: any): ResourceAmounts {
  const sum = (containers: any[] | undefined) =>
    (containers ?? []).reduce(
      (acc, c) => ({
        cpuMillis: acc.cpuMillis + cpuMillis(c?.resources?.requests?.cpu),
        memoryBytes:
          acc.memoryBytes + memoryBytes(c?.resources?.requests?.memory),
      }),
      { cpuMillis: 0, memoryBytes: 0 },
    );
  const main = sum(spec?.containers);
  const init = (spec?.initContainers ?? []).map((c: any) => sum([c]));
  return {
    cpuMillis: Math.max(
      main.cpuMillis,
      ...init.map((i: ResourceAmounts) => i.cpuMillis),
    ),
    memoryBytes: Math.max(
      main.memoryBytes,
      ...init.map((i: ResourceAmounts) => i.memoryBytes),
    ),
    pods: 1,
  };
}

function podProblem(pod: Listed, ready: boolean): PodProblem | undefined {
  const status = pod.status ?? {};
  const waiting = [
    ...(status.initContainerStatuses ?? []),
    ...(status.containerStatuses ?? []),
  ]
    .map((c: any) => c?.state?.waiting)
    .find((w: any) => w?.reason === 'CrashLoopBackOff');
  if (waiting) {
    return {
      reason: 'CrashLoopBackOff',
      message: waiting.message ?? 'container keeps crashing',
    };
  }
  if (status.phase === 'Pending' && !pod.spec?.nodeName) {
    const scheduled = (status.conditions ?? []).find(
      (c: any) => c.type === 'PodScheduled',
    );
    const detail = [scheduled?.reason, scheduled?.message]
      .filter(Boolean)
      .join(': ');
    return { reason: 'Pending', message: detail || 'waiting to be scheduled' };
  }
  if (!ready && status.phase !== 'Succeeded') {
    const condition = (status.conditions ?? []).find(
      (c: any) => c.type === 'Ready',
    );
    return {
      reason: 'NotReady',
      message: condition?.message ?? condition?.reason ?? 'not ready',
    };
  }
  return undefined;
}

function requiredAffinity(spec: any): NodeSelectorRequirement[][] {
  const terms =
    spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms ?? [];
  return terms.map((term: any) =>
    (term?.matchExpressions ?? []).map((e: any) => ({
      key: e.key,
      operator: e.operator,
      values: e.values,
    })),
  );
}

const controllerOf = (obj: KubernetesObject) =>
  controllerReference(obj.metadata?.ownerReferences);

/** @public */
export function podFromKubernetes(
  object: KubernetesObject,
  ownerOfReplicaSet: (
    namespace: string,
    name: string,
  ) => WorkloadRef | undefined,
): PodInfo {
  const pod: Listed = object;
  const namespace = pod.metadata?.namespace ?? '';
  const spec = pod.spec ?? {};
  const controller = controllerOf(pod);
  let owner: WorkloadRef | undefined;
  if (controller?.kind === 'ReplicaSet') {
    owner = ownerOfReplicaSet(namespace, controller.name) ?? {
      kind: 'ReplicaSet',
      namespace,
      name: controller.name,
    };
  } else if (controller && controller.kind !== 'Node') {
    owner = { kind: controller.kind, namespace, name: controller.name };
  }
  const ready = (pod.status?.conditions ?? []).some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );
  return {
    name: pod.metadata?.name ?? '',
    namespace,
    labels: pod.metadata?.labels ?? {},
    nodeName: spec.nodeName,
    phase: pod.status?.phase ?? 'Unknown',
    ready,
    priorityClassName: spec.priorityClassName,
    priority: typeof spec.priority === 'number' ? spec.priority : 0,
    tolerations: spec.tolerations ?? [],
    nodeSelector: spec.nodeSelector ?? {},
    requiredNodeAffinity: requiredAffinity(spec),
    requests: podRequests(spec),
    owner,
    nodeBound: controller?.kind === 'Node' || controller?.kind === 'DaemonSet',
    problem: podProblem(pod, ready),
  };
}

function workloadFromKubernetes(
  kind: string,
  obj: Listed,
  desiredReplicas: number,
): WorkloadInfo {
  return {
    kind,
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
    labels: obj.metadata?.labels ?? {},
    templateLabels: obj.spec?.template?.metadata?.labels ?? {},
    desiredReplicas,
    priorityClassName: obj.spec?.template?.spec?.priorityClassName,
  };
}

const replicasOf = (obj: Listed) =>
  typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1;

/**
 * A workload controller of a kind with the replicas it wants (a DaemonSet: the nodes it should
 * run on). One wanting none is no component: inventories leave it out.
 *
 * @public
 */
export function workloadOfKind(
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet',
  object: KubernetesObject,
): WorkloadInfo {
  const obj: Listed = object;
  return workloadFromKubernetes(
    kind,
    obj,
    kind === 'DaemonSet'
      ? obj.status?.desiredNumberScheduled ?? 0
      : replicasOf(obj),
  );
}

/** Pods that count: not finished, and not a Job's (a finished job is not a degraded component). @public */
export function isInventoryPod(object: KubernetesObject): boolean {
  const pod: Listed = object;
  const phase = pod.status?.phase;
  return (
    phase !== 'Succeeded' &&
    phase !== 'Failed' &&
    controllerOf(pod)?.kind !== 'Job'
  );
}

/** A listed ReplicaSet as an owned object (lists may omit apiVersion and kind on items). @public */
export function ownedReplicaSet(rs: KubernetesObject): OwnedObject | undefined {
  return ownedObjectOf({
    ...rs,
    apiVersion: rs.apiVersion ?? 'apps/v1',
    kind: rs.kind ?? 'ReplicaSet',
  });
}

/**
 * The Deployment a pod's ReplicaSet belongs to, given the listed ReplicaSets by
 * `namespace/name`: only ReplicaSets are looked up, so the roll-up ends at their Deployment.
 *
 * @public
 */
export function deploymentOfReplicaSet(
  namespace: string,
  name: string,
  replicaSets: ReadonlyMap<string, OwnedObject>,
): WorkloadRef | undefined {
  const workload = rollUpToWorkload(
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, name },
    reference =>
      reference.kind === 'ReplicaSet'
        ? replicaSets.get(`${reference.namespace ?? ''}/${reference.name}`)
        : undefined,
  );
  return workload.kind === 'Deployment'
    ? { kind: 'Deployment', namespace, name: workload.name }
    : undefined;
}

/**
 * Reduces raw API lists to the model's inventory: pods point at their top-level workload
 * (ReplicaSet → Deployment), ReplicaSets owned by Deployments disappear into them, and Jobs'
 * pods are left out (a finished job is not a degraded component).
 *
 * @public
 */
export function inventoryFromKubernetes(
  lists: KubernetesLists,
): ClusterInventory {
  const replicaSets = new Map<string, OwnedObject>();
  const listedReplicaSets: Array<[KubernetesObject, OwnedObject]> = [];
  for (const rs of lists.replicaSets) {
    const owned = ownedReplicaSet(rs);
    if (!owned) continue;
    replicaSets.set(`${owned.namespace ?? ''}/${owned.name}`, owned);
    listedReplicaSets.push([rs, owned]);
  }
  const ownerOfReplicaSet = (namespace: string, name: string) =>
    deploymentOfReplicaSet(namespace, name, replicaSets);
  const workloads: WorkloadInfo[] = [];
  for (const [rs, owned] of listedReplicaSets) {
    if (!ownerOfReplicaSet(owned.namespace ?? '', owned.name))
      workloads.push(workloadOfKind('ReplicaSet', rs));
  }
  for (const d of lists.deployments)
    workloads.push(workloadOfKind('Deployment', d));
  for (const s of lists.statefulSets)
    workloads.push(workloadOfKind('StatefulSet', s));
  for (const ds of lists.daemonSets)
    workloads.push(workloadOfKind('DaemonSet', ds));
  const pods = lists.pods
    .filter(isInventoryPod)
    .map(pod => podFromKubernetes(pod, ownerOfReplicaSet));
  const priorityClasses: Record<string, number> = {};
  for (const pc of lists.priorityClasses) {
    if (pc.metadata?.name)
      priorityClasses[pc.metadata.name] = Number(pc.value ?? 0);
  }
  return {
    nodes: lists.nodes.map(nodeFromKubernetes),
    pods,
    workloads: workloads.filter(w => w.desiredReplicas > 0),
    priorityClasses,
  };
}
