import type { FailureDomainAnalysis } from './failureDomains';
import type {
  ClusterState,
  ComponentHealth,
  StateReason,
  TierCounts,
} from './types';
import type { ComponentTierStatus, NodeDetails } from './views';

/** Freshness of a cluster's snapshot, on every response. @public */
export interface SnapshotFreshness {
  cluster: string;
  /** ISO time the data was read; absent until the first successful read. */
  lastSuccess?: string;
  lastRefresh?: string;
  /** The latest refresh failed, or the data is older than two refresh intervals. */
  stale: boolean;
  /**
   * The data is older than two refresh intervals: it says nothing about the cluster now, so its
   * state is reported as `Unknown` (with `lastSeenState`).
   */
  outdated?: boolean;
  /** Seconds since the data was read (at the time of the response). */
  ageSeconds?: number;
  /** Why the latest refresh failed. */
  error?: string;
}

/** A cluster's state as reported: `Unknown` when its snapshot is outdated. @public */
export type ReportedClusterState = ClusterState | 'Unknown';

/** `GET /summary`: one entry per cluster. @public */
export interface ClusterSummary extends SnapshotFreshness {
  /** Absent when the cluster was never reachable; `Unknown` when its data is outdated. */
  state?: ReportedClusterState;
  /** With `state: Unknown`: the state the outdated data showed, `ageSeconds` ago. */
  lastSeenState?: ClusterState;
  reasons: StateReason[];
  tiers: TierCounts[];
  components: ComponentHealth[];
  /** Absent without the `tierHealth.nodes.read` permission. */
  nodes?: NodeDetails[];
}

/** @public */
export interface SummaryResponse {
  clusters: ClusterSummary[];
}

/** `GET /failure-domains`: one entry per cluster. @public */
export interface ClusterFailureDomains extends SnapshotFreshness {
  analysis?: FailureDomainAnalysis;
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
  clusters: Array<SnapshotFreshness & { component?: ComponentTierStatus }>;
}
