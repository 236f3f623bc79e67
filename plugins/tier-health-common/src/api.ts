import type {
  NodeFailureImpact,
  NodeOutlook,
  SinglePointOfFailure,
} from './failureDomains';
import type {
  ClusterState,
  ComponentHealth,
  StateReason,
  Tier,
  TierCounts,
} from './types';
import type { ComponentTierStatus, NodeDetails } from './views';

/**
 * How current a cluster's data is, on every response: the cluster cache's `ClusterFreshness`
 * (`@internal/cluster-client`) as JSON, dates as ISO strings and the error as its message.
 *
 * @public
 */
export interface ClusterFreshnessJson {
  cluster: string;
  /** `watch` while a watch stream is open; `poll` when the cluster refused watch. */
  mode: 'starting' | 'watch' | 'poll' | 'not-served';
  /** The initial list has completed; before that there is no data. */
  synced: boolean;
  /** ISO time the data was last known to match the cluster. */
  lastSuccess?: string;
  /** Seconds since `lastSuccess` (at the time of the response). */
  ageSeconds?: number;
  /** The latest attempt failed, or the data is outdated. */
  stale: boolean;
  /**
   * The data is too old to say what the cluster is now, so its state is reported as `Unknown`
   * (with `lastSeenState`).
   */
  outdated: boolean;
  /** Why the latest list/watch/poll failed. */
  error?: string;
  /** Explains a non-watch mode, e.g. "watch refused (403): polling every 10 s". */
  note?: string;
}

/** A cluster's state as reported: `Unknown` when its data is outdated. @public */
export type ReportedClusterState = ClusterState | 'Unknown';

/** How many of a tier's components the summary names, worst first. @public */
export const SUMMARY_COMPONENTS_PER_TIER = 24;
/** How many reasons the summary carries, worst first (`reasonCount` says how many there are). @public */
export const SUMMARY_REASON_LIMIT = 50;

/** The nodes of one pool, counted for the collapsed node map. @public */
export interface PoolSummary {
  pool: string;
  controlPlane: boolean;
  nodes: number;
  ready: number;
  notReady: number;
  cordoned: number;
  /** Ready nodes reporting a pressure condition (memory, disk, PID, network). */
  pressure: number;
}

/**
 * `GET /summary`: one compact entry per cluster, what the banner and tier lanes show. Node
 * details come from `GET /nodes`, a node's what-if from `GET /nodes/:cluster/:node`.
 *
 * @public
 */
export interface ClusterSummary extends ClusterFreshnessJson {
  /** Absent when the cluster was never read; `Unknown` when its data is outdated. */
  state?: ReportedClusterState;
  /** With `state: Unknown`: the state the outdated data showed, `ageSeconds` ago. */
  lastSeenState?: ClusterState;
  /** The worst {@link SUMMARY_REASON_LIMIT} reasons, worst first. */
  reasons: StateReason[];
  /** How many reasons there are in all. */
  reasonCount: number;
  tiers: TierCounts[];
  /**
   * Per tier its {@link SUMMARY_COMPONENTS_PER_TIER} least available components (unavailable,
   * degraded, then available, by name); `tiers[].total` says how many there are.
   */
  components: ComponentHealth[];
  /** Node counts per pool; absent without the `tierHealth.nodes.read` permission. */
  pools?: PoolSummary[];
}

/** @public */
export interface SummaryResponse {
  clusters: ClusterSummary[];
}

/** `GET /nodes?cluster=&pool=&offset=&limit=`: a page of a cluster's nodes. @public */
export interface NodePage extends ClusterFreshnessJson {
  pool?: string;
  /** Nodes matching the query in all (control plane first, then by name). */
  total: number;
  offset: number;
  limit: number;
  nodes: NodeDetails[];
}

/** `GET /nodes/:cluster/:node`: one node and what its loss would do. @public */
export interface NodeWhatIfResponse extends ClusterFreshnessJson {
  /** Absent without the `tierHealth.nodes.read` permission. */
  details?: NodeDetails;
  impact: NodeFailureImpact;
  /** The components whose every ready replica runs on this node. */
  singlePointsOfFailure: SinglePointOfFailure[];
}

/** `GET /failure-domains`: per cluster its single points of failure and each node's outlook. @public */
export interface ClusterFailureDomains extends ClusterFreshnessJson {
  singlePointsOfFailure?: SinglePointOfFailure[];
  nodes?: NodeOutlook[];
}

/** @public */
export interface FailureDomainsResponse {
  clusters: ClusterFailureDomains[];
}

/** `GET /entity`: the entity's component in each cluster where it runs. @public */
export interface EntityTierResponse {
  entityRef: string;
  /** The entity's annotated tier, if any (also when no workload of it was found). */
  annotatedTier?: number;
  clusters: Array<ClusterFreshnessJson & { component?: ComponentTierStatus }>;
}

/** A tier's components, least available first. @public */
export function worstComponents(
  components: ComponentHealth[],
  tier: Tier,
  limit: number,
): ComponentHealth[] {
  const rank = { unavailable: 0, degraded: 1, available: 2 } as const;
  return components
    .filter(c => c.tier === tier)
    .sort(
      (a, b) =>
        rank[a.availability] - rank[b.availability] ||
        a.name.localeCompare(b.name),
    )
    .slice(0, limit);
}
