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
  /** The latest refresh failed: the data (if any) is older than one interval. */
  stale: boolean;
  /** Why the latest refresh failed. */
  error?: string;
}

/** `GET /summary`: one entry per cluster. @public */
export interface ClusterSummary extends SnapshotFreshness {
  /** Absent when the cluster was never reachable. */
  state?: ClusterState;
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
