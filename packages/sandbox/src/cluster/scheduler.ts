import type { KubernetesObject } from '@internal/kube-model';
import { isNodeReady, nodeTaints, Taint } from './nodes';
import { compareStrings } from './objects';
import { matchesNodeSelection, preferredAffinityWeight } from './nodeAffinity';
import type { PodSpec, ResourceAmounts } from './podSpec';
import { parseCpuMillis, parseMemoryBytes, parseQuantity } from './quantity';
import { describeTaint, firstUntoleratedTaint } from './tolerations';

/** A pod as the scheduler sees it. */
export interface SchedulablePod {
  /** Unique key (`namespace/name`). */
  key: string;
  spec: PodSpec;
  requests: ResourceAmounts;
  priority: number;
  /** The controller that owns the pod: replicas of one controller are spread across nodes. */
  ownerUid?: string;
}

/** One node with what is already bound to it. */
export interface NodeState {
  name: string;
  ready: boolean;
  labels: Record<string, string>;
  taints: Taint[];
  allocatable: ResourceAmounts & { pods: number };
  pods: SchedulablePod[];
}

/** A node's running totals, kept up to date so large clusters schedule in linear time. */
interface NodeUsage {
  requested: ResourceAmounts;
  podsByOwner: Map<string, number>;
}

/** The outcome of scheduling one pod. */
export type ScheduleDecision =
  | { bound: true; nodeName: string; victims: SchedulablePod[] }
  | { bound: false; message: string };

const SCHEDULING_TAINT_EFFECTS = ['NoSchedule', 'NoExecute'] as const;

function sumRequests(pods: SchedulablePod[]): ResourceAmounts {
  return pods.reduce(
    (sum, p) => ({
      cpu: sum.cpu + p.requests.cpu,
      memory: sum.memory + p.requests.memory,
    }),
    { cpu: 0, memory: 0 },
  );
}

function resourceShortfalls(
  node: NodeState,
  pod: SchedulablePod,
  inUse: ResourceAmounts,
  podCount: number,
): string[] {
  const reasons: string[] = [];
  if (podCount + 1 > node.allocatable.pods) reasons.push('Too many pods');
  if (inUse.cpu + pod.requests.cpu > node.allocatable.cpu)
    reasons.push('Insufficient cpu');
  if (inUse.memory + pod.requests.memory > node.allocatable.memory) {
    reasons.push('Insufficient memory');
  }
  return reasons;
}

/**
 * Why a node cannot take the pod apart from resources (not ready, taints, selection), if it
 * cannot. Like kube-scheduler, a node is counted under the first filter it fails.
 */
function placementFailure(
  node: NodeState,
  pod: SchedulablePod,
): string | undefined {
  if (!node.ready) return 'node(s) were not ready';
  const taint = firstUntoleratedTaint(
    node.taints,
    pod.spec.tolerations,
    SCHEDULING_TAINT_EFFECTS,
  );
  if (taint) return `node(s) had untolerated taint ${describeTaint(taint)}`;
  if (!matchesNodeSelection(pod.spec, node.name, node.labels)) {
    return "node(s) didn't match Pod's node affinity/selector";
  }
  return undefined;
}

/** kube-scheduler's LeastAllocated score (0–100): how much stays free after placing the pod. */
function leastRequestedScore(
  node: NodeState,
  pod: SchedulablePod,
  inUse: ResourceAmounts,
): number {
  const free = (capacity: number, requested: number) =>
    capacity <= 0 ? 0 : Math.max(0, ((capacity - requested) * 100) / capacity);
  return Math.floor(
    (free(node.allocatable.cpu, inUse.cpu + pod.requests.cpu) +
      free(node.allocatable.memory, inUse.memory + pod.requests.memory)) /
      2,
  );
}

function formatUnschedulable(
  total: number,
  reasons: Map<string, number>,
): string {
  const parts = [...reasons.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([reason, count]) => `${count} ${reason}`);
  return `0/${total} nodes are available: ${parts.join(', ')}.`;
}

/**
 * Builds the scheduler's view of a Node object (readiness, labels, taints, allocatable).
 *
 * @param node - a Node object
 */
export function nodeStateOf(node: KubernetesObject): NodeState {
  const allocatable =
    (node.status as { allocatable?: Record<string, string> } | undefined)
      ?.allocatable ?? {};
  return {
    name: node.metadata.name,
    ready: isNodeReady(node),
    labels: node.metadata.labels ?? {},
    taints: nodeTaints(node),
    allocatable: {
      cpu: parseCpuMillis(allocatable.cpu),
      memory: parseMemoryBytes(allocatable.memory),
      pods:
        allocatable.pods === undefined ? 110 : parseQuantity(allocatable.pods),
    },
    pods: [],
  };
}

/**
 * A small kube-scheduler: filters nodes (Ready, NoSchedule/NoExecute taints vs tolerations,
 * nodeSelector and required node affinity, free cpu/memory/pod slots), scores the rest
 * (preferred node affinity weight, then least requested, then fewest replicas of the same
 * owner, then name for determinism) and preempts lower-priority pods when nothing fits.
 */
export class Scheduler {
  private readonly nodes: NodeState[];
  private readonly usage = new Map<NodeState, NodeUsage>();
  private readonly nodeOfPod = new Map<string, NodeState>();

  /** @param nodes - the nodes, each with the pods already bound to it */
  constructor(nodes: NodeState[]) {
    this.nodes = [...nodes].sort((a, b) => compareStrings(a.name, b.name));
    for (const node of this.nodes) {
      const pods = node.pods;
      node.pods = [];
      this.usage.set(node, {
        requested: { cpu: 0, memory: 0 },
        podsByOwner: new Map(),
      });
      pods.forEach(pod => this.add(node, pod));
    }
  }

  /** Records that a pod runs on a node (so later decisions see its requests). */
  bind(pod: SchedulablePod, nodeName: string): void {
    const node = this.nodes.find(n => n.name === nodeName);
    if (node) this.add(node, pod);
  }

  /** Forgets a pod (evicted, deleted or preempted). */
  unbind(podKey: string): void {
    const node = this.nodeOfPod.get(podKey);
    const pod = node?.pods.find(p => p.key === podKey);
    if (!node || !pod) return;
    node.pods = node.pods.filter(p => p !== pod);
    this.nodeOfPod.delete(podKey);
    const usage = this.usage.get(node)!;
    usage.requested.cpu -= pod.requests.cpu;
    usage.requested.memory -= pod.requests.memory;
    if (pod.ownerUid) {
      usage.podsByOwner.set(
        pod.ownerUid,
        (usage.podsByOwner.get(pod.ownerUid) ?? 1) - 1,
      );
    }
  }

  private add(node: NodeState, pod: SchedulablePod): void {
    node.pods.push(pod);
    this.nodeOfPod.set(pod.key, node);
    const usage = this.usage.get(node)!;
    usage.requested.cpu += pod.requests.cpu;
    usage.requested.memory += pod.requests.memory;
    if (pod.ownerUid) {
      usage.podsByOwner.set(
        pod.ownerUid,
        (usage.podsByOwner.get(pod.ownerUid) ?? 0) + 1,
      );
    }
  }

  /**
   * Picks a node for the pod, or explains why none fits. Does not record the binding:
   * call bind (and unbind the victims) to commit a decision.
   */
  schedule(pod: SchedulablePod): ScheduleDecision {
    const reasons = new Map<string, number>();
    const count = (reason: string) =>
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    const feasible: NodeState[] = [];
    const resourceBlocked: NodeState[] = [];
    for (const node of this.nodes) {
      const failure = placementFailure(node, pod);
      if (failure) {
        count(failure);
        continue;
      }
      const shortfalls = resourceShortfalls(
        node,
        pod,
        this.usage.get(node)!.requested,
        node.pods.length,
      );
      if (shortfalls.length > 0) {
        shortfalls.forEach(count);
        resourceBlocked.push(node);
        continue;
      }
      feasible.push(node);
    }
    if (feasible.length > 0) {
      return {
        bound: true,
        nodeName: this.best(feasible, pod).name,
        victims: [],
      };
    }
    const preemption = this.preemptionCandidate(resourceBlocked, pod);
    if (preemption) return { bound: true, ...preemption };
    return {
      bound: false,
      message: formatUnschedulable(this.nodes.length, reasons),
    };
  }

  private best(nodes: NodeState[], pod: SchedulablePod): NodeState {
    const scored = nodes.map(node => ({
      node,
      affinity: preferredAffinityWeight(pod.spec, node.name, node.labels),
      leastRequested: leastRequestedScore(
        node,
        pod,
        this.usage.get(node)!.requested,
      ),
      siblings: pod.ownerUid
        ? this.usage.get(node)!.podsByOwner.get(pod.ownerUid) ?? 0
        : 0,
    }));
    scored.sort(
      (a, b) =>
        b.affinity - a.affinity ||
        b.leastRequested - a.leastRequested ||
        a.siblings - b.siblings ||
        compareStrings(a.node.name, b.node.name),
    );
    return scored[0].node;
  }

  /**
   * The node where evicting the fewest, lowest-priority pods makes room, like
   * kube-scheduler's DefaultPreemption (only pods of strictly lower priority are victims).
   */
  private preemptionCandidate(
    nodes: NodeState[],
    pod: SchedulablePod,
  ): { nodeName: string; victims: SchedulablePod[] } | undefined {
    if (pod.spec.preemptionPolicy === 'Never') return undefined;
    let best:
      | { nodeName: string; victims: SchedulablePod[]; worst: number }
      | undefined;
    for (const node of nodes) {
      const candidates = node.pods
        .filter(p => p.priority < pod.priority)
        .sort((a, b) => a.priority - b.priority || (a.key < b.key ? -1 : 1));
      let remaining = node.pods;
      const victims: SchedulablePod[] = [];
      const fits = (pods: SchedulablePod[]) =>
        resourceShortfalls(node, pod, sumRequests(pods), pods.length).length ===
        0;
      for (const victim of candidates) {
        if (fits(remaining)) break;
        victims.push(victim);
        remaining = remaining.filter(p => p !== victim);
      }
      if (victims.length === 0 || !fits(remaining)) continue;
      const worst = Math.max(...victims.map(v => v.priority));
      if (
        !best ||
        worst < best.worst ||
        (worst === best.worst && victims.length < best.victims.length)
      ) {
        best = { nodeName: node.name, victims, worst };
      }
    }
    return best && { nodeName: best.nodeName, victims: best.victims };
  }
}
