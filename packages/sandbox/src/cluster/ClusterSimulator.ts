import type { KubernetesObject, OwnerReference } from '@internal/kube-model';
import type { ClusterStore } from '../store/ClusterStore';
import { Logger, silentLogger } from '../reconciler/types';
import { buildControlPlanePods } from './controlPlanePods';
import {
  buildNode,
  CONTROL_PLANE_TAINT_KEY,
  DEFAULT_NODE_SPECS,
  isNodeReady,
  nodeTaints,
  Taint,
  UNREACHABLE_TAINT_KEY,
} from './nodes';
import {
  clone,
  compareStrings,
  jsonEqual,
  controllerOf,
  keyOf,
  refOf,
  timestamp,
} from './objects';
import { PodAddressAllocator } from './podNetwork';
import { computePodStatus, isPodTerminated } from './podStatus';
import { ContainerDefaults, podRequests, podSpecOf } from './podSpec';
import { PriorityResolver } from './priority';
import { nodeStateOf, SchedulablePod, Scheduler } from './scheduler';
import { toleratesIndefinitely } from './tolerations';
import {
  deploymentStatus,
  daemonSetStatus,
  jobStatus,
  replicaSetStatus,
  statefulSetStatus,
} from './workloadStatus';
import {
  buildPod,
  desiredPods,
  desiredReplicaSet,
  podMatchesSlot,
  PodSlot,
  workloadKey,
} from './workloads';

/** Thrown when a node or workload named in a control call does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Options of {@link ClusterSimulator}. */
export interface ClusterSimulatorOptions {
  store: ClusterStore;
  logger?: Logger;
  /** The clock (tests pin it). */
  now?: () => Date;
  /**
   * Reconcile the whole cluster after a workload crash or heal, as before the targeted path
   * existed. Off by default: at 30,000 pods the full pass costs about a second per control call.
   * The equivalence tests and the benchmark compare the targeted path against it.
   */
  fullPassOnWorkloadControl?: boolean;
}

/** Which objects a status update covers: the whole cluster, or one namespace's selected objects. */
interface StatusScope {
  namespace?: string;
  /** Whether the object (pod or workload) is in scope. */
  includes(obj: KubernetesObject): boolean;
}

const WHOLE_CLUSTER: StatusScope = { includes: () => true };

/** Kinds whose pods the simulator creates directly. */
const POD_CONTROLLER_KINDS = [
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
] as const;
/** Owner kinds whose disappearance garbage-collects what they own. */
const GC_OWNER_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'Node',
]);
/** apiVersion of the workload kinds the control API can break. */
const WORKLOAD_API_VERSIONS: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  Pod: 'v1',
};
/** kubectl's names for the workload kinds (singular, plural, short), lower-cased. */
const WORKLOAD_KIND_ALIASES: Record<string, string> = {
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rs: 'ReplicaSet',
  job: 'Job',
  jobs: 'Job',
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
};

/** The Kind for `Deployment`, `deployments`, `deploy`, ... (undefined when not a workload). */
export function canonicalWorkloadKind(kind: string): string | undefined {
  return WORKLOAD_KIND_ALIASES[kind.toLowerCase()];
}

/** Rounds of create → schedule per reconcile: preempted pods get their replacements placed too. */
const MAX_SCHEDULING_ROUNDS = 3;

/**
 * Whether the simulator runs this controller's pods. Controllers without a pod template (e.g.
 * the synthetic benchmark cluster's ReplicaSets) are foreign: their pods are left as they are,
 * only moved to another node when theirs fails.
 */
function isSimulated(controller: KubernetesObject): boolean {
  return !!(controller.spec as { template?: unknown } | undefined)?.template;
}

function groupBy<T>(
  items: Iterable<T>,
  key: (item: T) => string | undefined,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The crash keys a pod answers to: itself, its controller and, for a ReplicaSet's pod, the
 * ReplicaSet's Deployment.
 */
function crashKeysOf(
  pod: KubernetesObject,
  replicaSetOwners: ReadonlyMap<string | undefined, OwnerReference | undefined>,
): string[] {
  const namespace = pod.metadata.namespace ?? '';
  const owner = controllerOf(pod);
  const keys = [workloadKey(namespace, 'Pod', pod.metadata.name)];
  if (owner) keys.push(workloadKey(namespace, owner.kind, owner.name));
  const deployment =
    owner?.kind === 'ReplicaSet' ? replicaSetOwners.get(owner.uid) : undefined;
  if (deployment)
    keys.push(workloadKey(namespace, deployment.kind, deployment.name));
  return keys;
}

/** A workload named by the control API. */
export interface WorkloadRef {
  namespace: string;
  kind: string;
  name: string;
}

/**
 * The Kubernetes controllers, scheduler, kubelets and node lifecycle controller of the
 * sandbox cluster, acting on the {@link ClusterStore}: Deployments get ReplicaSets, controllers
 * get Pods, Pods get nodes and statuses, workloads get status. Nodes can be failed and healed,
 * workloads crashed and healed, to show the platform's failure modes.
 */
export class ClusterSimulator {
  private readonly store: ClusterStore;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly crashed = new Set<string>();
  /** `namespace/name` of evicted or preempted pods: their replacements get new names. */
  private readonly retiredPodNames = new Set<string>();
  private readonly fullPassOnWorkloadControl: boolean;

  constructor(opts: ClusterSimulatorOptions) {
    this.store = opts.store;
    this.logger = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.fullPassOnWorkloadControl = opts.fullPassOnWorkloadControl ?? false;
  }

  /**
   * Creates what a fresh kubeadm cluster has: the three nodes of the platform's node pools
   * (control-plane tainted, worker-infra, worker-apps), the control-plane static pods, the
   * built-in PriorityClasses and system namespaces. Existing objects are left as they are.
   */
  createDefaultTopology(): void {
    const now = timestamp(this.now());
    DEFAULT_NODE_SPECS.forEach((spec, index) => {
      this.applyIfMissing(buildNode(spec, index, now));
    });
    for (const name of [
      'default',
      'kube-system',
      'kube-public',
      'kube-node-lease',
    ]) {
      this.applyIfMissing({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    }
    for (const [name, value] of [
      ['system-node-critical', 2000001000],
      ['system-cluster-critical', 2000000000],
    ] as const) {
      this.applyIfMissing({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name },
        value,
        preemptionPolicy: 'PreemptLowerPriority',
        description:
          'Used for system critical pods that must not be moved from their current node.',
      });
    }
    const controlPlane = this.store.get({
      apiVersion: 'v1',
      kind: 'Node',
      name: DEFAULT_NODE_SPECS[0].name,
    });
    if (controlPlane)
      buildControlPlanePods(controlPlane).forEach(pod =>
        this.applyIfMissing(pod),
      );
    this.logger.info(
      `sandbox cluster topology: ${DEFAULT_NODE_SPECS.map(s => s.name).join(
        ', ',
      )}`,
    );
    this.reconcileWorkloads();
  }

  /**
   * Makes a node unreachable, as when its kubelet stops: Ready=False (NodeStatusUnknown), the
   * `node.kubernetes.io/unreachable:NoExecute` taint; its pods are evicted and rescheduled
   * elsewhere where they fit (DaemonSet and static pods stay, not ready), the rest Pending.
   *
   * @throws NotFoundError when the node does not exist
   */
  failNode(name: string): void {
    const node = this.requireNode(name);
    const now = timestamp(this.now());
    const taints = nodeTaints(node).filter(
      t => t.key !== UNREACHABLE_TAINT_KEY,
    );
    taints.push({
      key: UNREACHABLE_TAINT_KEY,
      effect: 'NoExecute',
      timeAdded: now,
    });
    this.store.apply({ ...node, spec: { ...(node.spec as object), taints } });
    const status =
      clone(node.status as { conditions?: Array<Record<string, string>> }) ??
      {};
    status.conditions = (status.conditions ?? []).map(c => ({
      ...c,
      status: c.type === 'Ready' ? 'False' : 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastTransitionTime: now,
    }));
    this.store.updateStatus(refOf(node), status);
    this.logger.warn(`sandbox node ${name} failed`);
    this.reconcileWorkloads();
  }

  /**
   * Brings a failed node back: Ready=True, unreachable taint removed, Pending pods scheduled.
   * Pods that moved away stay where they are (Kubernetes does not rebalance).
   *
   * @throws NotFoundError when the node does not exist
   */
  healNode(name: string): void {
    const node = this.requireNode(name);
    const now = timestamp(this.now());
    const taints = nodeTaints(node).filter(
      t => t.key !== UNREACHABLE_TAINT_KEY,
    );
    const spec = { ...(node.spec as { taints?: Taint[] }) };
    if (taints.length > 0) spec.taints = taints;
    else delete spec.taints;
    this.store.apply({ ...node, spec });
    const index = Math.max(
      0,
      DEFAULT_NODE_SPECS.findIndex(s => s.name === name),
    );
    const fresh = buildNode(
      { name, labels: {}, taints: [], cpu: '1', memory: '1' },
      index,
      now,
    );
    const status = clone(node.status as Record<string, unknown>) ?? {};
    status.conditions = (fresh.status as { conditions: unknown }).conditions;
    this.store.updateStatus(refOf(node), status);
    this.logger.info(`sandbox node ${name} healed`);
    this.reconcileWorkloads();
  }

  /**
   * Breaks a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or a single Pod):
   * its containers go into CrashLoopBackOff, their restart count grows on every reconcile and
   * the workload reports no ready replicas.
   *
   * @throws NotFoundError when the workload does not exist
   */
  crashWorkload(ref: WorkloadRef): void {
    const workload = this.requireWorkload(ref);
    const kind = workload.kind;
    this.crashed.add(workloadKey(ref.namespace, kind, ref.name));
    this.logger.warn(
      `sandbox workload ${kind} ${ref.namespace}/${ref.name} crashed`,
    );
    this.reconcileAfterCrashChange(workload);
  }

  /**
   * Undoes {@link ClusterSimulator.crashWorkload}: containers run and become ready again
   * (restart counts stay, as on a real kubelet).
   *
   * @throws NotFoundError when the workload does not exist
   */
  healWorkload(ref: WorkloadRef): void {
    const workload = this.requireWorkload(ref);
    const kind = workload.kind;
    this.crashed.delete(workloadKey(ref.namespace, kind, ref.name));
    this.logger.info(
      `sandbox workload ${kind} ${ref.namespace}/${ref.name} healed`,
    );
    this.reconcileAfterCrashChange(workload);
  }

  /**
   * After a crash or heal only the statuses of the workload's pods can change, and through them
   * the statuses of their controllers (and a ReplicaSet's Deployment): no controller, the garbage
   * collector, eviction or the scheduler reads the crash set. So instead of a full pass over
   * every pod, this updates just those, in the order and with the writes the full pass would
   * make. The one difference: pods of *other* crashed workloads keep their restart counts (a
   * full pass bumps them too); the next periodic pass catches them up.
   */
  private reconcileAfterCrashChange(workload: KubernetesObject): void {
    if (this.fullPassOnWorkloadControl) {
      this.reconcileWorkloads();
      return;
    }
    const now = timestamp(this.now());
    const namespace = workload.metadata.namespace ?? '';
    const changedKey = workloadKey(
      namespace,
      workload.kind,
      workload.metadata.name,
    );
    const replicaSetOwners = this.replicaSetOwners(namespace);
    // Owner references never cross namespaces, so the workload's pods are all in its namespace.
    const affected = new Set(
      this.store
        .listShared({ kind: 'Pod', namespace })
        .filter(pod => crashKeysOf(pod, replicaSetOwners).includes(changedKey))
        .map(keyOf),
    );
    if (affected.size === 0) return;
    this.updatePodStatuses(new Map(), now, {
      namespace,
      includes: pod => affected.has(keyOf(pod)),
    });
    const owners = new Set<string>();
    for (const pod of this.store.listShared({ kind: 'Pod', namespace })) {
      if (!affected.has(keyOf(pod))) continue;
      const owner = controllerOf(pod);
      if (!owner) continue;
      owners.add(owner.uid);
      const deployment =
        owner.kind === 'ReplicaSet'
          ? replicaSetOwners.get(owner.uid)
          : undefined;
      if (deployment) owners.add(deployment.uid);
    }
    this.updateWorkloadStatuses(now, {
      namespace,
      includes: obj => owners.has(obj.metadata.uid ?? ''),
    });
  }

  /** The controller (if any) of each ReplicaSet, by the ReplicaSet's uid. */
  private replicaSetOwners(
    namespace?: string,
  ): Map<string | undefined, OwnerReference | undefined> {
    return new Map(
      this.store
        .listShared({ kind: 'ReplicaSet', apiVersion: 'apps/v1', namespace })
        .map(rs => [rs.metadata.uid, controllerOf(rs)]),
    );
  }

  /**
   * One pass of the cluster's controllers: Deployments → ReplicaSets; garbage collection of
   * orphans; eviction from unreachable nodes; ReplicaSets, StatefulSets, DaemonSets and Jobs →
   * Pods; scheduling (priority order, preemption); pod and workload status. Writes only what
   * changed, so repeated calls on a steady cluster leave resourceVersions alone (except the
   * restart counts of crashed pods, which grow on purpose).
   */
  reconcileWorkloads(): void {
    const now = timestamp(this.now());
    this.reconcileDeployments();
    this.collectGarbage();
    this.evictFromUnavailableNodes();
    const priorities = new PriorityResolver(
      this.store.listShared({ kind: 'PriorityClass' }),
    );
    const defaults = this.containerDefaultsByNamespace();
    let unschedulable = new Map<string, string>();
    for (let round = 0; round < MAX_SCHEDULING_ROUNDS; round++) {
      this.reconcilePods(priorities);
      const result = this.schedulePendingPods(defaults);
      unschedulable = result.unschedulable;
      if (!result.preempted) break;
    }
    this.updatePodStatuses(unschedulable, now);
    this.updateWorkloadStatuses(now);
  }

  private applyIfMissing(obj: KubernetesObject): void {
    if (!this.store.get(refOf(obj))) this.store.apply(obj);
  }

  private requireNode(name: string): KubernetesObject {
    const node = this.store.get({ apiVersion: 'v1', kind: 'Node', name });
    if (!node) throw new NotFoundError(`node ${name} not found`);
    return node;
  }

  private requireWorkload(ref: WorkloadRef): KubernetesObject {
    const kind = canonicalWorkloadKind(ref.kind);
    const apiVersion = kind && WORKLOAD_API_VERSIONS[kind];
    const found =
      kind &&
      apiVersion &&
      this.store.get({
        apiVersion,
        kind,
        namespace: ref.namespace,
        name: ref.name,
      });
    if (!found)
      throw new NotFoundError(
        `${ref.kind} ${ref.namespace}/${ref.name} not found`,
      );
    return found;
  }

  /** The deployment controller: one ReplicaSet per Deployment, for its current template. */
  private reconcileDeployments(): void {
    const current = new Set<string>();
    const replicaSetsByOwner = groupBy(
      this.store.listShared({ kind: 'ReplicaSet', apiVersion: 'apps/v1' }),
      rs => controllerOf(rs)?.uid,
    );
    for (const deployment of this.store.listShared({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
    })) {
      const owned = replicaSetsByOwner.get(deployment.metadata.uid ?? '') ?? [];
      if (!isSimulated(deployment) || owned.some(rs => !isSimulated(rs))) {
        owned.forEach(rs => current.add(keyOf(rs)));
        continue;
      }
      const desired = desiredReplicaSet(deployment);
      current.add(keyOf(desired));
      const existing = this.store.get(refOf(desired));
      if (
        !existing ||
        !jsonEqual(existing.spec, desired.spec) ||
        !jsonEqual(existing.metadata.labels, desired.metadata.labels)
      ) {
        this.store.apply(desired);
      }
    }
    // A rollout replaces the old ReplicaSet at once (no surge): delete ReplicaSets of old templates.
    for (const rs of this.store.listShared({
      kind: 'ReplicaSet',
      apiVersion: 'apps/v1',
    })) {
      if (controllerOf(rs)?.kind === 'Deployment' && !current.has(keyOf(rs))) {
        this.store.delete(refOf(rs));
      }
    }
  }

  /** The garbage collector: objects whose controlling owner is gone go too. */
  private collectGarbage(): void {
    const liveUids = new Set<string>();
    for (const kind of GC_OWNER_KINDS) {
      for (const obj of this.store.listShared({ kind })) {
        if (obj.metadata.uid) liveUids.add(obj.metadata.uid);
      }
    }
    for (const kind of ['ReplicaSet', 'Pod']) {
      for (const obj of this.store.listShared({ kind })) {
        const owner = controllerOf(obj);
        if (
          owner &&
          GC_OWNER_KINDS.has(owner.kind) &&
          !liveUids.has(owner.uid)
        ) {
          this.store.delete(refOf(obj));
        }
      }
    }
  }

  /** The node lifecycle controller's taint-based eviction. */
  private evictFromUnavailableNodes(): void {
    const nodes = new Map(
      this.store.listShared({ kind: 'Node' }).map(n => [n.metadata.name, n]),
    );
    const foreignControllers = new Set<string>();
    for (const kind of POD_CONTROLLER_KINDS) {
      for (const controller of this.store.listShared({ kind })) {
        if (!isSimulated(controller))
          foreignControllers.add(controller.metadata.uid ?? '');
      }
    }
    const evicted = new Map<string, number>();
    for (const pod of [...this.store.listShared({ kind: 'Pod' })]) {
      const spec = podSpecOf(pod);
      if (!spec.nodeName || isPodTerminated(pod)) continue;
      const node = nodes.get(spec.nodeName);
      const untolerated = node
        ? nodeTaints(node).some(
            t =>
              t.effect === 'NoExecute' &&
              !toleratesIndefinitely(t, spec.tolerations),
          )
        : true;
      if (!untolerated) continue;
      evicted.set(spec.nodeName, (evicted.get(spec.nodeName) ?? 0) + 1);
      const owner = controllerOf(pod);
      if (owner && foreignControllers.has(owner.uid)) {
        // nobody would recreate it: put the same pod back into the scheduling queue
        const { nodeName: _nodeName, ...unbound } = spec;
        this.store.apply({
          ...pod,
          spec: unbound,
          status: { phase: 'Pending' },
        });
      } else {
        this.retire(pod);
        this.store.delete(refOf(pod));
      }
    }
    for (const [nodeName, count] of evicted) {
      this.logger.info(`sandbox evicted ${count} pod(s) from node ${nodeName}`);
    }
  }

  private retire(pod: KubernetesObject): void {
    // StatefulSet pods keep their identity; everything else comes back under a new name.
    if (controllerOf(pod)?.kind !== 'StatefulSet')
      this.retiredPodNames.add(keyOf(pod));
  }

  /** ReplicaSet, StatefulSet, DaemonSet and Job controllers: create and delete pods. */
  private reconcilePods(priorities: PriorityResolver): void {
    const nodes = this.store.list({ kind: 'Node' });
    const deployments = new Map(
      this.store
        .listShared({ kind: 'Deployment', apiVersion: 'apps/v1' })
        .map(d => [d.metadata.uid, d]),
    );
    const podsByOwner = groupBy(
      this.store.listShared({ kind: 'Pod' }),
      pod => controllerOf(pod)?.uid,
    );
    for (const kind of POD_CONTROLLER_KINDS) {
      for (const controller of this.store.listShared({ kind })) {
        if (!isSimulated(controller)) continue;
        const owner = controllerOf(controller);
        const context = {
          nodes,
          retired: this.retiredPodNames,
          deployment:
            owner?.kind === 'Deployment'
              ? deployments.get(owner.uid)
              : undefined,
        };
        const existing = podsByOwner.get(controller.metadata.uid ?? '') ?? [];
        let slots = desiredPods(controller, context);
        const byName = new Map(slots.map(s => [s.name, s]));
        const remaining = new Set<string>();
        for (const pod of existing) {
          const slot = byName.get(pod.metadata.name);
          if (slot && podMatchesSlot(pod, slot)) {
            remaining.add(pod.metadata.name);
          } else {
            if (slot) this.retire(pod);
            this.store.delete(refOf(pod));
          }
        }
        // replaced pods come back under new names, which depend on the retired ones
        if (remaining.size < existing.length) {
          slots = desiredPods(controller, context);
        }
        for (const slot of slots) {
          if (!remaining.has(slot.name)) this.createPod(slot, priorities);
        }
      }
    }
  }

  private createPod(slot: PodSlot, priorities: PriorityResolver): void {
    const priority = priorities.resolve(slot.template.spec?.priorityClassName);
    this.store.apply(buildPod(slot, priority));
  }

  private containerDefaultsByNamespace(): Map<string, ContainerDefaults> {
    const defaults = new Map<string, ContainerDefaults>();
    for (const limitRange of this.store.listShared({ kind: 'LimitRange' })) {
      const limits =
        (
          limitRange.spec as
            | { limits?: Array<ContainerDefaults & { type?: string }> }
            | undefined
        )?.limits ?? [];
      const container = limits.find(l => l.type === 'Container');
      if (container && limitRange.metadata.namespace)
        defaults.set(limitRange.metadata.namespace, container);
    }
    return defaults;
  }

  /** kube-scheduler: binds unbound pods, highest priority first. */
  private schedulePendingPods(defaults: Map<string, ContainerDefaults>): {
    unschedulable: Map<string, string>;
    preempted: boolean;
  } {
    const toSchedulable = (pod: KubernetesObject): SchedulablePod => {
      const spec = podSpecOf(pod);
      return {
        key: keyOf(pod),
        spec,
        requests: podRequests(spec, defaults.get(pod.metadata.namespace ?? '')),
        priority: typeof spec.priority === 'number' ? spec.priority : 0,
        ownerUid: controllerOf(pod)?.uid,
      };
    };
    const nodeStates = new Map(
      this.store
        .listShared({ kind: 'Node' })
        .map(n => [n.metadata.name, nodeStateOf(n)]),
    );
    const pods = this.store.listShared({ kind: 'Pod' });
    const pending: Array<{
      pod: KubernetesObject;
      schedulable: SchedulablePod;
    }> = [];
    const byKey = new Map<string, KubernetesObject>();
    for (const pod of pods) {
      if (isPodTerminated(pod)) continue;
      byKey.set(keyOf(pod), pod);
      const nodeName = podSpecOf(pod).nodeName;
      if (nodeName) nodeStates.get(nodeName)?.pods.push(toSchedulable(pod));
      else pending.push({ pod, schedulable: toSchedulable(pod) });
    }
    pending.sort(
      (a, b) =>
        b.schedulable.priority - a.schedulable.priority ||
        compareStrings(a.schedulable.key, b.schedulable.key),
    );
    const scheduler = new Scheduler([...nodeStates.values()]);
    const unschedulable = new Map<string, string>();
    let preempted = false;
    for (const { pod, schedulable } of pending) {
      const decision = scheduler.schedule(schedulable);
      if (!decision.bound) {
        unschedulable.set(schedulable.key, decision.message);
        continue;
      }
      for (const victim of decision.victims) {
        const victimPod = byKey.get(victim.key);
        if (!victimPod) continue;
        this.logger.info(
          `sandbox preempting pod ${victim.key} on ${decision.nodeName} for ${schedulable.key}`,
        );
        this.retire(victimPod);
        this.store.delete(refOf(victimPod));
        scheduler.unbind(victim.key);
        preempted = true;
      }
      this.store.apply({
        ...pod,
        spec: { ...(pod.spec as object), nodeName: decision.nodeName },
      });
      scheduler.bind(schedulable, decision.nodeName);
    }
    return { unschedulable, preempted };
  }

  /**
   * The kubelets (and node lifecycle controller): pod phase, conditions, container states.
   *
   * @param unschedulable - the scheduler's message per unbound pod (key `namespace/name`)
   * @param scope - the pods to update; in a scoped update, pods without a node keep their
   *   status (a crash does not change it, and only a full pass, which schedules first, knows
   *   the scheduler's message)
   */
  private updatePodStatuses(
    unschedulable: Map<string, string>,
    now: string,
    scope: StatusScope = WHOLE_CLUSTER,
  ): void {
    const nodes = new Map(
      this.store.listShared({ kind: 'Node' }).map(n => [n.metadata.name, n]),
    );
    const replicaSetOwners = this.replicaSetOwners(scope.namespace);
    const pods = this.store
      .listShared({ kind: 'Pod', namespace: scope.namespace })
      .filter(pod => scope.includes(pod));
    // Addresses in use anywhere count; a scoped update only walks every pod when one needs an IP.
    let addresses =
      scope === WHOLE_CLUSTER ? new PodAddressAllocator(pods) : undefined;
    const allocator = () =>
      (addresses ??= new PodAddressAllocator(
        this.store.listShared({ kind: 'Pod' }),
      ));
    for (const pod of pods) {
      const owner = controllerOf(pod);
      const node = nodes.get(podSpecOf(pod).nodeName ?? '');
      if (scope !== WHOLE_CLUSTER && !node) continue;
      const status = computePodStatus(pod, {
        node,
        nodeReady: node ? isNodeReady(node) : false,
        unschedulableMessage: unschedulable.get(keyOf(pod)),
        crashed: crashKeysOf(pod, replicaSetOwners).some(k =>
          this.crashed.has(k),
        ),
        runsToCompletion: owner?.kind === 'Job',
        allocateIp: () => (node ? allocator().allocate(pod, node) : undefined),
        now,
      });
      if (!jsonEqual(status, pod.status)) {
        this.store.updateStatus(refOf(pod), status);
      }
    }
  }

  /**
   * Workload controllers' status: replicas, ready/available counts, conditions.
   *
   * @param scope - the workloads to update (their pods are read whether in scope or not)
   */
  private updateWorkloadStatuses(
    now: string,
    scope: StatusScope = WHOLE_CLUSTER,
  ): void {
    const { namespace } = scope;
    const inScope = (objects: ReadonlyArray<KubernetesObject>) =>
      scope === WHOLE_CLUSTER
        ? objects
        : objects.filter(o => scope.includes(o));
    const podsByOwner = groupBy(
      this.store.listShared({ kind: 'Pod', namespace }),
      pod => controllerOf(pod)?.uid,
    );
    const podsOf = (obj: KubernetesObject) =>
      podsByOwner.get(obj.metadata.uid ?? '') ?? [];
    const write = (obj: KubernetesObject, status: unknown) => {
      if (!jsonEqual(status, obj.status))
        this.store.updateStatus(refOf(obj), status);
    };
    const replicaSets = this.store.listShared({
      kind: 'ReplicaSet',
      apiVersion: 'apps/v1',
      namespace,
    });
    for (const rs of inScope(replicaSets))
      write(rs, replicaSetStatus(rs, podsOf(rs)));
    const replicaSetsByDeployment = groupBy(replicaSets, rs => {
      const owner = controllerOf(rs);
      return owner?.kind === 'Deployment' ? owner.uid : undefined;
    });
    for (const deployment of inScope(
      this.store.listShared({
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        namespace,
      }),
    )) {
      const owned =
        replicaSetsByDeployment.get(deployment.metadata.uid ?? '') ?? [];
      const currentName = isSimulated(deployment)
        ? desiredReplicaSet(deployment).metadata.name
        : undefined;
      const current =
        owned.find(rs => rs.metadata.name === currentName) ??
        owned.find(rs => !isSimulated(rs));
      write(
        deployment,
        deploymentStatus(deployment, current, owned.flatMap(podsOf), now),
      );
    }
    for (const sts of inScope(
      this.store.listShared({
        kind: 'StatefulSet',
        apiVersion: 'apps/v1',
        namespace,
      }),
    )) {
      write(sts, statefulSetStatus(sts, podsOf(sts)));
    }
    const daemonSets = inScope(
      this.store.listShared({
        kind: 'DaemonSet',
        apiVersion: 'apps/v1',
        namespace,
      }),
    );
    const nodes =
      daemonSets.length > 0 ? this.store.list({ kind: 'Node' }) : [];
    for (const ds of daemonSets) {
      const eligible = desiredPods(ds, { nodes, retired: new Set() }).length;
      write(ds, daemonSetStatus(ds, podsOf(ds), eligible));
    }
    for (const job of inScope(
      this.store.listShared({
        kind: 'Job',
        apiVersion: 'batch/v1',
        namespace,
      }),
    )) {
      write(job, jobStatus(job, podsOf(job), now));
    }
  }
}

export { CONTROL_PLANE_TAINT_KEY, UNREACHABLE_TAINT_KEY };
