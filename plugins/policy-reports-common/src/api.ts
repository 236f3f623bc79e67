import type {
  ComplianceOverview,
  PolicyResultFilter,
  ResourceResults,
} from './aggregate';
import type { ClusterStatus, PolicySeverity, ResultSummary } from './types';

/**
 * The body of `GET /entity/:namespace/:kind/:name/results`.
 *
 * @public
 */
export interface EntityPolicyResultsResponse {
  /** Summary of every result of the entity, before filters, for the chips and the card. */
  summary: ResultSummary;
  /** Summary of the results that pass the filters. */
  filteredSummary: ResultSummary;
  /** Filtered results grouped by the workload they roll up to. */
  resources: ResourceResults[];
  /** Values present in the unfiltered results, to offer as filter choices. */
  facets: { policies: string[]; categories: string[]; clusters: string[] };
  clusters: ClusterStatus[];
}

/** The body of `GET /overview`. @public */
export interface ComplianceOverviewResponse extends ComplianceOverview {
  /** The teams present in the clusters, to offer as a filter. */
  teams: string[];
  /** Namespaces the overview was narrowed to for `mine=true`; absent otherwise. */
  ownedNamespaces?: string[];
  clusters: ClusterStatus[];
}

/** A Kyverno ClusterPolicy as the policy detail page shows it. @public */
export interface PolicyDefinition {
  name: string;
  title?: string;
  description?: string;
  severity?: PolicySeverity;
  category?: string;
  /** `Enforce` or `Audit`. */
  validationFailureAction?: string;
  rules: string[];
  /** Where the definition was read from. */
  source:
    | { type: 'cluster'; cluster: string }
    | { type: 'gitops-repo'; path: string };
}

/** The body of `GET /policies/:name`. @public */
export interface PolicyDetailResponse {
  /** `undefined` when neither a cluster nor the GitOps repository has the policy. */
  definition?: PolicyDefinition;
  summary: ResultSummary;
  /** Every (rolled-up) resource failing the policy, with its failing results. */
  failingResources: ResourceResults[];
  clusters: ClusterStatus[];
}

/** Filters of the entity route, as query parameters (repeat a key for several values). @public */
export type EntityResultsQuery = PolicyResultFilter;

/** Filters of the overview route. @public */
export interface OverviewQuery {
  cluster?: string;
  team?: string[];
  severity?: PolicySeverity[];
  /** Only the namespaces owned by the signed-in user's teams. */
  mine?: boolean;
}
