import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ComplianceOverviewResponse,
  EntityPolicyResultsResponse,
  EntityResultsQuery,
  OverviewQuery,
  PolicyDetailResponse,
} from '@internal/plugin-policy-reports-common';

/**
 * Reads policy results from the policy-reports backend.
 *
 * @public
 */
export interface PolicyReportsApi {
  /** Results of one catalog entity, e.g. `component:default/web`. */
  getEntityResults(
    entityRef: string,
    query?: EntityResultsQuery,
  ): Promise<EntityPolicyResultsResponse>;
  /** The cluster-wide compliance overview. */
  getOverview(query?: OverviewQuery): Promise<ComplianceOverviewResponse>;
  /** One ClusterPolicy and every resource failing it. */
  getPolicy(
    name: string,
    query?: { cluster?: string },
  ): Promise<PolicyDetailResponse>;
}

/** @public */
export const policyReportsApiRef = createApiRef<PolicyReportsApi>({
  id: 'plugin.policy-reports.api',
});
