import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  EntityTierResponse,
  FailureDomainsResponse,
  NodePage,
  NodeWhatIfResponse,
  SummaryResponse,
} from '@internal/plugin-tier-health-common';

/** Reads the tier-health backend. @public */
export interface TierHealthApi {
  /**
   * The compact summary. Asked again, it costs a 304 while nothing changed and then resolves
   * to the very same object, so views can skip re-rendering.
   */
  getSummary(options?: { cluster?: string }): Promise<SummaryResponse>;
  /** A page of a cluster's nodes (optionally of one pool), control plane first. */
  getNodes(options: {
    cluster: string;
    pool?: string;
    offset?: number;
    limit?: number;
  }): Promise<NodePage>;
  /** One node's details and what its loss would do. */
  getNodeWhatIf(cluster: string, node: string): Promise<NodeWhatIfResponse>;
  /** Single points of failure and each node's outlook; revalidated like the summary. */
  getFailureDomains(options?: {
    cluster?: string;
  }): Promise<FailureDomainsResponse>;
  getEntityTier(entityRef: string): Promise<EntityTierResponse>;
}

/** @public */
export const tierHealthApiRef = createApiRef<TierHealthApi>().with({
  id: 'plugin.tier-health.api',
});
