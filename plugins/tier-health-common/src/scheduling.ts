import type {
  NodeInfo,
  NodeSelectorRequirement,
  NodeTaint,
  PodInfo,
  ResourceAmounts,
  Toleration,
} from './types';

/** Whether one toleration tolerates a taint (Kubernetes' rules: empty key + Exists matches all). @public */
export function tolerates(toleration: Toleration, taint: NodeTaint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (!toleration.key) return toleration.operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  return (
    toleration.operator === 'Exists' ||
    (toleration.value ?? '') === (taint.value ?? '')
  );
}

/** The first taint that keeps the pod off the node (NoSchedule or NoExecute), if any. @public */
export function untoleratedTaint(
  pod: PodInfo,
  node: NodeInfo,
): NodeTaint | undefined {
  return node.taints.find(
    taint =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !pod.tolerations.some(t => tolerates(t, taint)),
  );
}

function requirementMatches(
  req: NodeSelectorRequirement,
  labels: Record<string, string>,
): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = labels[req.key];
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(value);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(value) > Number(req.values?.[0]);
    case 'Lt':
      return has && Number(value) < Number(req.values?.[0]);
    default:
      return false;
  }
}

/** nodeSelector and required node affinity (any term whose expressions all match). @public */
export function matchesNodeSelection(pod: PodInfo, node: NodeInfo): boolean {
  for (const [key, value] of Object.entries(pod.nodeSelector)) {
    if (node.labels[key] !== value) return false;
  }
  if (pod.requiredNodeAffinity.length === 0) return true;
  return pod.requiredNodeAffinity.some(term =>
    term.every(req => requirementMatches(req, node.labels)),
  );
}

const ZERO: ResourceAmounts = { cpuMillis: 0, memoryBytes: 0, pods: 0 };

function add(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  return {
    cpuMillis: a.cpuMillis + b.cpuMillis,
    memoryBytes: a.memoryBytes + b.memoryBytes,
    pods: a.pods + b.pods,
  };
}

/**
 * What a node's pods request, by priority: `usedAtOrAbove(p)` is what pods of priority ≥ p
 * request. Lower-priority pods can be preempted, so a pod of priority p only has to fit beside
 * the pods at or above it — the reason PriorityClasses decide what survives a node loss.
 *
 * @public
 */
export class NodeUsage {
  /** Distinct priorities, highest first, with the cumulative requests at or above each. */
  private readonly levels: Array<{ priority: number; total: ResourceAmounts }>;
  readonly requested: ResourceAmounts;

  constructor(pods: PodInfo[]) {
    const byPriority = new Map<number, ResourceAmounts>();
    for (const pod of pods) {
      byPriority.set(
        pod.priority,
        add(byPriority.get(pod.priority) ?? ZERO, pod.requests),
      );
    }
    let total = ZERO;
    this.levels = [...byPriority.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([priority, amounts]) => {
        total = add(total, amounts);
        return { priority, total };
      });
    this.requested = total;
  }

  usedAtOrAbove(priority: number): ResourceAmounts {
    // levels are few (one per PriorityClass in use): a linear scan beats a binary search here
    let used = ZERO;
    for (const level of this.levels) {
      if (level.priority < priority) break;
      used = level.total;
    }
    return used;
  }
}

/** Why a pod does not fit a node, or undefined when it fits. @public */
export function misfit(
  pod: PodInfo,
  node: NodeInfo,
  usage: NodeUsage,
  alreadyPlaced: ResourceAmounts = ZERO,
): string | undefined {
  if (!node.ready) return 'node not Ready';
  if (node.unschedulable) return 'node cordoned';
  const taint = untoleratedTaint(pod, node);
  if (taint)
    return `untolerated taint ${taint.key}${
      taint.value ? `=${taint.value}` : ''
    }:${taint.effect}`;
  if (!matchesNodeSelection(pod, node))
    return "didn't match node selector/affinity";
  const used = add(usage.usedAtOrAbove(pod.priority), alreadyPlaced);
  const free = node.allocatable;
  if (used.cpuMillis + pod.requests.cpuMillis > free.cpuMillis)
    return 'insufficient cpu';
  if (used.memoryBytes + pod.requests.memoryBytes > free.memoryBytes)
    return 'insufficient memory';
  if (free.pods > 0 && used.pods + 1 > free.pods) return 'too many pods';
  return undefined;
}

/** Adds one pod's requests to a running total. @public */
export function addRequests(
  total: ResourceAmounts | undefined,
  pod: PodInfo,
): ResourceAmounts {
  return add(total ?? ZERO, pod.requests);
}
