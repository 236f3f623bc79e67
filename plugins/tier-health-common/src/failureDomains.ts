import {
  componentReasons,
  sortReasons,
  stateSeverity,
  worstState,
} from './clusterState';
import { componentAvailability, type ComponentModel } from './components';
import { assessNodes } from './nodeReasons';
import { addRequests, misfit, NodeUsage } from './scheduling';
import type {
  ClusterInventory,
  ClusterState,
  ComponentHealth,
  NodeInfo,
  PodInfo,
  ResourceAmounts,
  StateReason,
  Tier,
} from './types';
import { CLUSTER_STATES } from './types';

/** A component, by name, for lists. @public */
export interface ComponentRef {
  key: string;
  name: string;
  entityRef?: string;
  tier: Tier;
}

/** Where a component's pods on a failed node would go. @public */
export interface ReschedulingOutcome extends ComponentRef {
  /** Pods on the node that the scheduler would have to place elsewhere. */
  displacedPods: number;
  /** Every displaced pod fits on another Ready node (tolerations, selectors, free allocatable). */
  reschedulable: boolean;
  targetNodes: string[];
  /** Would only fit on control-plane nodes: survives in limp-home mode. */
  controlPlaneOnly: boolean;
  /** Why pods do not fit, scheduler style (`2 insufficient cpu, 1 untolerated taint ...`). */
  blockers: string[];
}

/** What the loss of one node would do. @public */
export interface NodeFailureImpact {
  node: string;
  pool: string;
  controlPlane: boolean;
  ready: boolean;
  /** The cluster state if this node failed now (rescheduling that fits assumed to succeed). */
  predictedState: ClusterState;
  /** The node's own and the affected components' reasons for that state, worst first. */
  predictedReasons: StateReason[];
  /** Components whose every ready replica runs on this node. */
  losesAllReplicas: ComponentRef[];
  /** Tier-1/2 components with pods here, and any component that would lose all replicas. */
  rescheduling: ReschedulingOutcome[];
}

/** A component whose every ready replica runs on one node. @public */
export interface SinglePointOfFailure extends ComponentRef {
  node: string;
  /** Whether its pods would fit elsewhere (an outage until rescheduled, not for good). */
  reschedulable: boolean;
  message: string;
}

/** @public */
export interface FailureDomainAnalysis {
  nodes: NodeFailureImpact[];
  singlePointsOfFailure: SinglePointOfFailure[];
}

const refOf = (c: ComponentHealth): ComponentRef => ({
  key: c.key,
  name: c.name,
  entityRef: c.entityRef,
  tier: c.tier,
});

function blockerSummary(reasons: Map<string, number>): string[] {
  return [...reasons.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, count]) => `${count} node(s): ${reason}`);
}

/**
 * The worst state the components a node failure does not touch already cause, computed once per
 * worker situation instead of once per node (the benchmark's 1,000 nodes would otherwise redo
 * every component's reasons 1,000 times).
 */
class UnaffectedSeverity {
  private readonly cache = new Map<
    string,
    { counts: number[]; severityByKey: Map<string, number> }
  >();

  constructor(
    private readonly components: ComponentHealth[],
    private readonly nodes: NodeInfo[],
  ) {}

  worstExcluding(
    excluded: Set<string>,
    workers: { anyLost: boolean; allLost: boolean },
  ): ClusterState {
    const cacheKey = `${workers.anyLost}/${workers.allLost}`;
    let entry = this.cache.get(cacheKey);
    if (!entry) {
      const nodesByName = new Map(this.nodes.map(n => [n.name, n]));
      const counts = CLUSTER_STATES.map(() => 0);
      const severityByKey = new Map<string, number>();
      for (const c of this.components) {
        const severity = componentReasons(c, nodesByName, workers).reduce(
          (worst, r) => Math.max(worst, stateSeverity(r.state)),
          0,
        );
        counts[severity] += 1;
        severityByKey.set(c.key, severity);
      }
      entry = { counts, severityByKey };
      this.cache.set(cacheKey, entry);
    }
    const counts = [...entry.counts];
    for (const key of excluded) {
      const severity = entry.severityByKey.get(key);
      if (severity !== undefined) counts[severity] -= 1;
    }
    for (let severity = counts.length - 1; severity > 0; severity--) {
      if (counts[severity] > 0) return CLUSTER_STATES[severity];
    }
    return 'Green';
  }
}

/** What the loss of one node would do, and the single points of failure on it. @public */
export interface NodeFailureAnalysis {
  impact: NodeFailureImpact;
  singlePointsOfFailure: SinglePointOfFailure[];
}

/**
 * The failure-domain analysis node by node: the shared indexes are built once, each node's
 * what-if only when asked (and then remembered), so one node's question does not pay for all.
 *
 * @public
 */
export interface FailureDomainAnalyzer {
  /** Every node, control plane first, then by name (the order of the full analysis). */
  readonly nodes: NodeInfo[];
  /** What losing the named node would do; `undefined` for a node the inventory lacks. */
  impactOf(node: string): NodeFailureAnalysis | undefined;
  /**
   * Only which components losing the named node would take down and where their pods would go
   * (as in {@link NodeFailureAnalysis.impact}), without the predicted cluster state: that needs
   * every component of the cluster, this only the ones on the node.
   */
  displacementOf(
    node: string,
  ): Pick<NodeFailureImpact, 'losesAllReplicas' | 'rescheduling'> | undefined;
  /**
   * Every node's outlook and all single points of failure, computed once; unlike
   * {@link analyzeFailureDomains} it does not keep every node's reasons.
   */
  overview(): FailureDomainOverview;
}

/** Prepares {@link analyzeFailureDomains} for one inventory and component model. @public */
export function failureDomainAnalyzer(
  inventory: ClusterInventory,
  model: ComponentModel,
): FailureDomainAnalyzer {
  const podsByNode = new Map<string, number[]>();
  inventory.pods.forEach((pod, index) => {
    if (!pod.nodeName) return;
    const list = podsByNode.get(pod.nodeName) ?? [];
    list.push(index);
    podsByNode.set(pod.nodeName, list);
  });
  // each node's usage is summed when a displaced pod is first tried on it
  const usageByNode = new Map<string, NodeUsage>();
  const usageOf = (node: string) => {
    let usage = usageByNode.get(node);
    if (!usage) {
      usage = new NodeUsage(
        (podsByNode.get(node) ?? []).map(i => inventory.pods[i]),
      );
      usageByNode.set(node, usage);
    }
    return usage;
  };
  // Workers first: the scheduler's preference for them is what keeps tier 2 off the lifeboat.
  const candidates = [...inventory.nodes].sort(
    (a, b) => Number(a.controlPlane) - Number(b.controlPlane),
  );
  let baseline: UnaffectedSeverity | undefined;
  const isControlPlane = new Map(
    inventory.nodes.map(n => [n.name, n.controlPlane]),
  );
  const nodesByName = new Map(inventory.nodes.map(n => [n.name, n]));
  // Healthy workers add no reason of their own: a what-if passes only the nodes that do.
  const isQuiet = (n: NodeInfo) =>
    !n.controlPlane && n.ready && assessNodes([n]).reasons.length === 0;
  let quiet: { workers: Set<string>; telling: NodeInfo[] } | undefined;
  const quietAndTelling = () => {
    if (!quiet) {
      const workers = new Set(inventory.nodes.filter(isQuiet).map(n => n.name));
      quiet = {
        workers,
        telling: inventory.nodes.filter(n => !workers.has(n.name)),
      };
    }
    return quiet;
  };

  let orderedNodes: NodeInfo[] | undefined;
  const nodesInOrder = () => {
    orderedNodes ??= [...inventory.nodes].sort(
      (a, b) =>
        Number(b.controlPlane) - Number(a.controlPlane) ||
        a.name.localeCompare(b.name),
    );
    return orderedNodes;
  };
  /**
   * `complete: false` is for the overview, which needs the predicted state, not the reasons:
   * they stay unsorted, and tier 3–4 components are not predicted at all. They can only add
   * Yellow, and the lost node is a reason of at least Yellow by itself (node lost, all workers
   * lost, or control plane lost).
   */
  /** Which components the loss takes down, and the scheduler's answer for the displaced pods. */
  const displace = (failed: NodeInfo) => {
    const podIndexes = podsByNode.get(failed.name) ?? [];
    const affectedKeys = new Set(
      podIndexes.map(i => model.podComponentKeys[i]),
    );
    const affected = [...affectedKeys]
      .map(key => model.component(key)!)
      .filter(Boolean);
    const losesAll = affected.filter(
      c =>
        c.ready > 0 &&
        c.readyNodes.length === 1 &&
        c.readyNodes[0] === failed.name,
    );
    const needsPlacement = new Set(
      affected.filter(c => c.tier <= 2 || losesAll.includes(c)).map(c => c.key),
    );

    // Place displaced pods highest priority first, as the scheduler would.
    const displaced = podIndexes
      .filter(
        i =>
          !inventory.pods[i].nodeBound &&
          needsPlacement.has(model.podComponentKeys[i]),
      )
      .sort(
        (a, b) =>
          inventory.pods[b].priority - inventory.pods[a].priority || a - b,
      );
    const displacedSet = new Set(displaced);
    const placedOn = new Map<number, string>();
    const extra = new Map<string, ResourceAmounts>();
    const blockers = new Map<string, Map<string, number>>();
    for (const index of displaced) {
      const pod = inventory.pods[index];
      const reasons = new Map<string, number>();
      for (const node of candidates) {
        if (node.name === failed.name) continue;
        const why = misfit(pod, node, usageOf(node.name), extra.get(node.name));
        if (!why) {
          placedOn.set(index, node.name);
          extra.set(node.name, addRequests(extra.get(node.name), pod));
          break;
        }
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
      }
      if (!placedOn.has(index)) {
        const key = model.podComponentKeys[index];
        const merged = blockers.get(key) ?? new Map<string, number>();
        for (const [reason, count] of reasons)
          merged.set(reason, Math.max(merged.get(reason) ?? 0, count));
        blockers.set(key, merged);
      }
    }

    const rescheduling: ReschedulingOutcome[] = [];
    const podsOfComponent = new Map<string, number[]>();
    for (const i of podIndexes) {
      const key = model.podComponentKeys[i];
      const list = podsOfComponent.get(key);
      if (list) list.push(i);
      else podsOfComponent.set(key, [i]);
    }
    for (const component of affected) {
      const mine = podsOfComponent.get(component.key) ?? [];
      if (needsPlacement.has(component.key)) {
        const moving = mine.filter(i => displacedSet.has(i));
        const targets = [
          ...new Set(
            moving.map(i => placedOn.get(i)).filter((n): n is string => !!n),
          ),
        ].sort();
        const nodeBoundOnly = moving.length === 0;
        const reschedulable =
          !nodeBoundOnly && moving.every(i => placedOn.has(i));
        rescheduling.push({
          ...refOf(component),
          displacedPods: moving.length,
          reschedulable,
          targetNodes: targets,
          controlPlaneOnly:
            targets.length > 0 &&
            targets.every(name => isControlPlane.get(name)),
          blockers: nodeBoundOnly
            ? ['bound to this node (static or DaemonSet pods)']
            : blockerSummary(blockers.get(component.key) ?? new Map()),
        });
      }
    }
    rescheduling.sort(
      (a, b) => a.tier - b.tier || a.name.localeCompare(b.name),
    );
    return {
      affected,
      affectedKeys,
      losesAll,
      rescheduling,
      podsOfComponent,
      placedOn,
    };
  };
  const displacements = new Map<string, ReturnType<typeof displace>>();
  const displacementOf = (failed: NodeInfo) => {
    let displacement = displacements.get(failed.name);
    if (!displacement) {
      displacement = displace(failed);
      displacements.set(failed.name, displacement);
    }
    return displacement;
  };

  const analyzeNode = (
    failed: NodeInfo,
    complete: boolean = true,
  ): NodeFailureAnalysis => {
    const spofs: SinglePointOfFailure[] = [];
    const {
      affected,
      affectedKeys,
      losesAll,
      rescheduling,
      podsOfComponent,
      placedOn,
    } = displacementOf(failed);
    const predicted: ComponentHealth[] = [];
    for (const component of affected) {
      if (complete || component.tier <= 2) {
        const mine = podsOfComponent.get(component.key) ?? [];
        predicted.push(
          predictComponent(
            component,
            failed.name,
            mine.map(i => inventory.pods[i]),
            mine.map(i => podWorkloadKey(inventory.pods[i])),
            mine.map(i => placedOn.get(i)),
          ),
        );
      }
    }

    const { workers: quietWorkers, telling } = quietAndTelling();
    const lostNode: NodeInfo = {
      ...failed,
      ready: false,
      conditions: lostConditions(failed),
    };
    const scenarioNodes = [
      ...telling.filter(n => n.name !== failed.name),
      lostNode,
    ];
    const nodeAssessment = assessNodes(scenarioNodes, {
      otherReadyWorkers:
        quietWorkers.size - (quietWorkers.has(failed.name) ? 1 : 0),
    });
    const scenarioNodesByName = {
      get: (name: string) =>
        name === failed.name ? lostNode : nodesByName.get(name),
    };
    const workers = {
      anyLost: nodeAssessment.anyWorkerLost,
      allLost: nodeAssessment.allWorkersLost,
    };
    const reasons = [
      ...nodeAssessment.reasons,
      ...predicted.flatMap(c =>
        componentReasons(c, scenarioNodesByName, workers),
      ),
    ];
    const predictedReasons = complete ? sortReasons(reasons) : reasons;
    const predictedState = predictedReasons.reduce<ClusterState>(
      (worst, r) => worstState(worst, r.state),
      (baseline ??= new UnaffectedSeverity(
        model.components,
        inventory.nodes,
      )).worstExcluding(affectedKeys, workers),
    );

    const impact: NodeFailureImpact = {
      node: failed.name,
      pool: failed.pool,
      controlPlane: failed.controlPlane,
      ready: failed.ready,
      predictedState,
      predictedReasons,
      losesAllReplicas: losesAll.map(refOf),
      rescheduling,
    };
    for (const component of losesAll) {
      const outcome = rescheduling.find(r => r.key === component.key);
      const reschedulable = outcome?.reschedulable ?? false;
      spofs.push({
        ...refOf(component),
        node: failed.name,
        reschedulable,
        message: reschedulable
          ? `every ready replica runs on ${
              failed.name
            }; an outage until rescheduled on ${outcome!.targetNodes.join(
              ', ',
            )}`
          : `every ready replica runs on ${
              failed.name
            } and cannot run elsewhere${
              outcome?.blockers.length
                ? ` (${outcome.blockers.join('; ')})`
                : ''
            }`,
      });
    }
    return { impact, singlePointsOfFailure: spofs };
  };
  const memo = new Map<string, NodeFailureAnalysis>();
  let overview: FailureDomainOverview | undefined;
  return {
    get nodes() {
      return nodesInOrder();
    },
    displacementOf(name: string) {
      const node = nodesByName.get(name);
      if (!node) return undefined;
      const { losesAll, rescheduling } = displacementOf(node);
      return { losesAllReplicas: losesAll.map(refOf), rescheduling };
    },
    impactOf(name: string) {
      const cached = memo.get(name);
      if (cached) return cached;
      const node = nodesByName.get(name);
      if (!node) return undefined;
      const result = analyzeNode(node);
      memo.set(name, result);
      return result;
    },
    overview() {
      if (!overview) {
        const outlooks: NodeOutlook[] = [];
        const spofs: SinglePointOfFailure[] = [];
        for (const node of nodesInOrder()) {
          // the full what-if (reasons and all) is kept only for the nodes asked about
          const { impact, singlePointsOfFailure } =
            memo.get(node.name) ?? analyzeNode(node, false);
          outlooks.push(outlookOf(impact));
          spofs.push(...singlePointsOfFailure);
        }
        overview = {
          nodes: outlooks,
          singlePointsOfFailure: sortSinglePointsOfFailure(spofs),
        };
      }
      return overview;
    },
  };
}

function sortSinglePointsOfFailure(
  spofs: SinglePointOfFailure[],
): SinglePointOfFailure[] {
  return spofs.sort(
    (a, b) =>
      a.tier - b.tier ||
      Number(a.reschedulable) - Number(b.reschedulable) ||
      a.name.localeCompare(b.name),
  );
}

/** One node's predicted state if it failed, for the what-if picker. @public */
export interface NodeOutlook {
  node: string;
  pool: string;
  controlPlane: boolean;
  ready: boolean;
  predictedState: ClusterState;
  /** How many components would lose every ready replica. */
  losesAllReplicas: number;
}

/** @public */
export function outlookOf(impact: NodeFailureImpact): NodeOutlook {
  return {
    node: impact.node,
    pool: impact.pool,
    controlPlane: impact.controlPlane,
    ready: impact.ready,
    predictedState: impact.predictedState,
    losesAllReplicas: impact.losesAllReplicas.length,
  };
}

/** Each node's outlook and every single point of failure, worst tier first. @public */
export interface FailureDomainOverview {
  nodes: NodeOutlook[];
  singlePointsOfFailure: SinglePointOfFailure[];
}

/**
 * Failure-domain analysis: for each node, which components would lose all replicas if it failed,
 * whether the tier-1/2 components (and anything losing all replicas) could be rescheduled on the
 * remaining Ready nodes — honouring taints/tolerations, nodeSelector, required node affinity and
 * free allocatable, where pods of lower priority count as preemptible — and the cluster state
 * that would follow. DaemonSet and static pods are bound to their node and never move.
 * Pass the `analyzer` of the same inventory and model to reuse what-ifs it already answered.
 *
 * @public
 */
export function analyzeFailureDomains(
  inventory: ClusterInventory,
  model: ComponentModel,
  analyzer: FailureDomainAnalyzer = failureDomainAnalyzer(inventory, model),
): FailureDomainAnalysis {
  const impacts: NodeFailureImpact[] = [];
  const spofs: SinglePointOfFailure[] = [];
  for (const node of analyzer.nodes) {
    const { impact, singlePointsOfFailure } = analyzer.impactOf(node.name)!;
    impacts.push(impact);
    spofs.push(...singlePointsOfFailure);
  }
  return {
    nodes: impacts,
    singlePointsOfFailure: sortSinglePointsOfFailure(spofs),
  };
}

function lostConditions(node: NodeInfo): NodeInfo['conditions'] {
  const others = node.conditions.filter(c => c.type !== 'Ready');
  return [
    ...others,
    {
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'what-if: node lost',
    },
  ];
}

/** `namespace/Kind/name` of the workload a pod counts towards (see buildComponents). */
function podWorkloadKey(pod: PodInfo): string {
  return pod.owner
    ? `${pod.owner.namespace}/${pod.owner.kind}/${pod.owner.name}`
    : `${pod.namespace}/Pod/${pod.labels.component ?? pod.name}`;
}

const workloadIndexes = new WeakMap<ComponentHealth, Map<string, number>>();

/** The component after `failed` is gone: its ready pods there count only if they moved. */
function predictComponent(
  component: ComponentHealth,
  failed: string,
  podsOnNode: PodInfo[],
  workloadKeys: string[],
  targets: Array<string | undefined>,
): ComponentHealth {
  let index = workloadIndexes.get(component);
  if (!index) {
    index = new Map(
      component.workloads.map((w, i) => [
        `${w.namespace}/${w.kind}/${w.name}`,
        i,
      ]),
    );
    workloadIndexes.set(component, index);
  }
  const lost = new Array<number>(component.workloads.length).fill(0);
  let lostAny = false;
  const gained: string[] = [];
  podsOnNode.forEach((pod, i) => {
    if (!pod.ready) return;
    if (targets[i]) {
      gained.push(targets[i]!);
      return;
    }
    const workload = index!.get(workloadKeys[i]);
    if (workload !== undefined) {
      lost[workload] += 1;
      lostAny = true;
    }
  });
  if (!lostAny && gained.length === 0 && !component.readyNodes.includes(failed))
    return component;
  const workloads = lostAny
    ? component.workloads.map((w, i) => ({
        ...w,
        ready: Math.max(0, w.ready - lost[i]),
      }))
    : component.workloads;
  const readyNodes = [
    ...new Set([...component.readyNodes.filter(n => n !== failed), ...gained]),
  ].sort();
  return {
    ...component,
    workloads,
    ready: lostAny
      ? workloads.reduce((sum, w) => sum + w.ready, 0)
      : component.ready,
    availability: lostAny
      ? componentAvailability(workloads)
      : component.availability,
    readyNodes,
  };
}
