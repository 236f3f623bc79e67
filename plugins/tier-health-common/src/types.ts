/**
 * Criticality tiers (DESIGN.md "Tiers and cluster states"): 1 core control plane, 2 critical
 * infrastructure (needed to see and to repair), 3 important services, 4 application workloads.
 *
 * @public
 */
export type Tier = 1 | 2 | 3 | 4;

/** All tiers, most critical first. @public */
export const TIERS: readonly Tier[] = [1, 2, 3, 4];

/**
 * Green: all nodes Ready, every tier fully available. Yellow: a worker lost or a component
 * degraded, tiers 1–2 still available. Red: tiers 1–2 alive only in limp-home mode or a tier-2
 * component down. Black: control plane lost.
 *
 * @public
 */
export type ClusterState = 'Green' | 'Yellow' | 'Red' | 'Black';

/** States from best to worst. @public */
export const CLUSTER_STATES: readonly ClusterState[] = [
  'Green',
  'Yellow',
  'Red',
  'Black',
];

/** CPU in millicores, memory in bytes, and a pod count. @public */
export interface ResourceAmounts {
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
}

/** @public */
export interface NodeTaint {
  key: string;
  value?: string;
  effect: string;
}

/** @public */
export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** A node as the model needs it. @public */
export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  taints: NodeTaint[];
  conditions: NodeCondition[];
  ready: boolean;
  /** Cordoned (`spec.unschedulable`). */
  unschedulable: boolean;
  /** Carries the control-plane role label or taint. */
  controlPlane: boolean;
  /** The node pool: the `role` label, a `node-role.kubernetes.io/*` label, else `worker`. */
  pool: string;
  allocatable: ResourceAmounts;
}

/** @public */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** One `matchExpressions` entry of a node selector term. @public */
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** The controller a pod belongs to, after following ReplicaSet → Deployment. @public */
export interface WorkloadRef {
  kind: string;
  namespace: string;
  name: string;
}

/** Why a pod is not serving. @public */
export interface PodProblem {
  reason: 'Pending' | 'CrashLoopBackOff' | 'NotReady' | 'NodeLost';
  message: string;
}

/** A pod as the model needs it. @public */
export interface PodInfo {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  nodeName?: string;
  phase: string;
  /** Ready condition True (the node's readiness is checked separately). */
  ready: boolean;
  priorityClassName?: string;
  priority: number;
  tolerations: Toleration[];
  nodeSelector: Record<string, string>;
  /** `requiredDuringSchedulingIgnoredDuringExecution` terms: any term, all expressions. */
  requiredNodeAffinity: NodeSelectorRequirement[][];
  requests: ResourceAmounts;
  owner?: WorkloadRef;
  /** Bound to its node for good: static (mirror) pods and DaemonSet pods. */
  nodeBound: boolean;
  problem?: PodProblem;
}

/** A workload controller with the replicas it wants. @public */
export interface WorkloadInfo extends WorkloadRef {
  labels: Record<string, string>;
  templateLabels: Record<string, string>;
  desiredReplicas: number;
  priorityClassName?: string;
}

/** Everything the model reads from one cluster. @public */
export interface ClusterInventory {
  nodes: NodeInfo[];
  pods: PodInfo[];
  workloads: WorkloadInfo[];
  /** PriorityClass name → value. */
  priorityClasses: Record<string, number>;
}

/**
 * A catalog entity that may own workloads, reduced to what matching and tiering need.
 *
 * @public
 */
export interface CatalogComponent {
  entityRef: string;
  title?: string;
  /** `backstage.io/kubernetes-id`. */
  kubernetesId?: string;
  /** `backstage.io/kubernetes-namespace`. */
  namespace?: string;
  /** `backstage.io/kubernetes-label-selector` (wins over the id, as in the Kubernetes plugin). */
  labelSelector?: string;
  /** From the `idp.platform/tier` annotation. */
  tier?: Tier;
}

/** Where a component's tier came from. @public */
export type TierSource =
  | 'annotation'
  | 'priorityClass'
  | 'controlPlane'
  | 'default';

/** @public */
export type Availability = 'available' | 'degraded' | 'unavailable';

/** One workload's replicas. @public */
export interface WorkloadHealth extends WorkloadRef {
  desired: number;
  ready: number;
}

/** A component (catalog entity, or workload without one) and how available it is. @public */
export interface ComponentHealth {
  /** The entity ref, or `namespace/Kind/name` for workloads no entity claims. */
  key: string;
  name: string;
  entityRef?: string;
  tier: Tier;
  tierSource: TierSource;
  availability: Availability;
  desired: number;
  ready: number;
  workloads: WorkloadHealth[];
  /** Nodes with at least one of its pods, sorted. */
  nodes: string[];
  /** Nodes with at least one ready pod, sorted. */
  readyNodes: string[];
  /**
   * Every pod is bound to its node (static or DaemonSet pods): such a component is never
   * rescheduled, so where it runs says nothing about limp-home mode.
   */
  nodeBoundOnly: boolean;
  problems: Array<PodProblem & { pod: string }>;
}

/** Why the cluster is in its state; the worst reason decides. @public */
export interface StateReason {
  state: ClusterState;
  code:
    | 'all-healthy'
    | 'control-plane-lost'
    | 'tier1-unavailable'
    | 'all-workers-lost'
    | 'limp-home'
    | 'tier2-unavailable'
    | 'node-lost'
    | 'node-pressure'
    | 'component-degraded'
    | 'component-unavailable';
  message: string;
  /** The node or component the reason is about. */
  subject?: string;
}

/** Per-tier component counts. @public */
export interface TierCounts {
  tier: Tier;
  total: number;
  available: number;
  degraded: number;
  unavailable: number;
}

/** The state of one cluster with its reasons. @public */
export interface ClusterAssessment {
  state: ClusterState;
  reasons: StateReason[];
  tiers: TierCounts[];
}
