import { assessNodes } from './nodeReasons';
import {
  CLUSTER_STATES,
  TIERS,
  type ClusterAssessment,
  type ClusterState,
  type ComponentHealth,
  type NodeInfo,
  type StateReason,
  type TierCounts,
} from './types';

/** Severity order of states, for sorting and taking the worst. @public */
export function stateSeverity(state: ClusterState): number {
  return CLUSTER_STATES.indexOf(state);
}

/** The worse of two states. @public */
export function worstState(a: ClusterState, b: ClusterState): ClusterState {
  return stateSeverity(a) >= stateSeverity(b) ? a : b;
}

const label = (c: ComponentHealth) => `${c.name} (tier ${c.tier})`;
const firstProblem = (c: ComponentHealth) =>
  c.problems.length > 0
    ? `: ${c.problems[0].reason} ${c.problems[0].message}`
    : '';

/**
 * What one component contributes to the cluster state, given whether workers are lost.
 *
 * @public
 */
export function componentReasons(
  c: ComponentHealth,
  nodesByName: { get(name: string): NodeInfo | undefined },
  workers: { anyLost: boolean; allLost: boolean },
): StateReason[] {
  const subject = c.key;
  if (c.availability === 'unavailable') {
    const detail = `${label(c)} has no ready replica (0/${
      c.desired
    })${firstProblem(c)}`;
    if (c.tier === 1)
      return [
        { state: 'Black', code: 'tier1-unavailable', subject, message: detail },
      ];
    if (c.tier === 2)
      return [
        { state: 'Red', code: 'tier2-unavailable', subject, message: detail },
      ];
    return [
      {
        state: 'Yellow',
        code: 'component-unavailable',
        subject,
        message: detail,
      },
    ];
  }
  const reasons: StateReason[] = [];
  const onControlPlaneOnly =
    c.tier <= 2 &&
    !c.nodeBoundOnly &&
    c.readyNodes.length > 0 &&
    c.readyNodes.every(name => nodesByName.get(name)?.controlPlane);
  // Only a consequence of node loss is limp-home; a tier-2 pod that merely landed on the
  // control plane while the workers are fine is a failure-domain finding, not a state.
  if (onControlPlaneOnly && workers.anyLost) {
    reasons.push({
      state: workers.allLost ? 'Red' : 'Yellow',
      code: 'limp-home',
      subject,
      message: `${label(c)} runs on the control plane only (${c.readyNodes.join(
        ', ',
      )}): limp-home mode`,
    });
  }
  if (c.availability === 'degraded') {
    reasons.push({
      state: 'Yellow',
      code: 'component-degraded',
      subject,
      message: `${label(c)} degraded: ${c.ready}/${
        c.desired
      } replicas ready${firstProblem(c)}`,
    });
  }
  return reasons;
}

/** Within one state, what happened to nodes explains the rest, so it comes first. */
const CODE_ORDER: Array<StateReason['code']> = [
  'control-plane-lost',
  'all-workers-lost',
  'node-lost',
  'tier1-unavailable',
  'tier2-unavailable',
  'limp-home',
  'component-unavailable',
  'component-degraded',
  'node-pressure',
  'all-healthy',
];

/** Worst state first; node reasons before component reasons; then by message. @public */
export function sortReasons(reasons: StateReason[]): StateReason[] {
  return [...reasons].sort(
    (a, b) =>
      stateSeverity(b.state) - stateSeverity(a.state) ||
      CODE_ORDER.indexOf(a.code) - CODE_ORDER.indexOf(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** Components per tier and how many are available, degraded, unavailable. @public */
export function tierCounts(components: ComponentHealth[]): TierCounts[] {
  return TIERS.map(tier => {
    const inTier = components.filter(c => c.tier === tier);
    return {
      tier,
      total: inTier.length,
      available: inTier.filter(c => c.availability === 'available').length,
      degraded: inTier.filter(c => c.availability === 'degraded').length,
      unavailable: inTier.filter(c => c.availability === 'unavailable').length,
    };
  });
}

/**
 * The cluster state and every reason for it, following DESIGN.md's table:
 * Black when the control plane is lost or a tier-1 component has no ready replica; Red when all
 * workers are lost (tiers 1–2 in limp-home mode on the control plane) or a tier-2 component has
 * no ready replica; Yellow when a worker is lost, a node reports pressure, a tier-1/2 component is
 * degraded or runs on the control plane only after a node loss, or a tier-3/4 component is
 * degraded or down; Green otherwise.
 *
 * @public
 */
export function assessCluster(
  nodes: NodeInfo[],
  components: ComponentHealth[],
): ClusterAssessment {
  const fromNodes = assessNodes(nodes);
  const nodesByName = new Map(nodes.map(n => [n.name, n]));
  const workers = {
    anyLost: fromNodes.anyWorkerLost,
    allLost: fromNodes.allWorkersLost,
  };
  const reasons = [
    ...fromNodes.reasons,
    ...components.flatMap(c => componentReasons(c, nodesByName, workers)),
  ];
  if (reasons.length === 0) {
    reasons.push({
      state: 'Green',
      code: 'all-healthy',
      message: `all ${nodes.length} nodes Ready; every tier fully available`,
    });
  }
  const sorted = sortReasons(reasons);
  return {
    state: sorted.reduce<ClusterState>(
      (worst, r) => worstState(worst, r.state),
      'Green',
    ),
    reasons: sorted,
    tiers: tierCounts(components),
  };
}
