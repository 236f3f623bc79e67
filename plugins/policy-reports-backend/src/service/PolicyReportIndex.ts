import {
  EntityResultIndex,
  buildComplianceOverview,
  namespaceOfResult,
  type ClusterStatus,
  type ComplianceOverview,
  type EntityKubernetesTarget,
  type PolicyResult,
  type PolicySeverity,
} from '@internal/plugin-policy-reports-common';
import type {
  ClusterPolicyData,
  ClusterPolicyManifest,
} from './loadClusterPolicyData';

/** What the index reads: the shared per-cluster snapshots (see `ClusterSnapshots` of `@internal/cluster-client`). */
export interface PolicyDataSnapshots {
  states(): Array<{
    cluster: string;
    data?: ClusterPolicyData;
    lastSuccess?: Date;
    error?: { message: string };
    stale: boolean;
  }>;
}

/** The overview cache holds this many distinct filter combinations per snapshot. */
const MAX_CACHED_OVERVIEWS = 50;

/**
 * Answers requests from the shared cluster snapshots; never calls a cluster.
 * Derived structures (the entity index per cluster, overviews per filter) are
 * built once per snapshot and dropped when a refresh replaces it.
 */
export class PolicyReportIndex {
  private readonly entityIndexes = new WeakMap<
    ClusterPolicyData,
    EntityResultIndex
  >();
  private overviewCache = new Map<string, ComplianceOverview>();
  // Weak, so the cache never keeps a replaced snapshot (100k+ results) alive.
  private overviewCacheGeneration: ReadonlyArray<
    WeakRef<ClusterPolicyData> | undefined
  > = [];

  constructor(private readonly snapshots: PolicyDataSnapshots) {}

  /** Health of every cluster: an unreachable one is reported here, never as a failed request. */
  clusterStatuses(): ClusterStatus[] {
    return this.snapshots.states().map(state => ({
      cluster: state.cluster,
      stale: state.stale,
      ...(state.lastSuccess
        ? { lastSuccessfulRefresh: state.lastSuccess.toISOString() }
        : {}),
      ...(state.error ? { error: state.error.message } : {}),
    }));
  }

  /** The names of all configured clusters. */
  clusterNames(): string[] {
    return this.snapshots.states().map(state => state.cluster);
  }

  /** Every result of an entity, across all clusters. */
  entityResults(target: EntityKubernetesTarget): PolicyResult[] {
    return this.loaded().flatMap(({ data }) =>
      this.entityIndexOf(data).select(target),
    );
  }

  /** Every result of the given clusters (all when omitted). */
  results(cluster?: string): PolicyResult[] {
    return this.loaded(cluster).flatMap(({ data }) => data.results);
  }

  /** Namespace → team (`owner` label), merged over the clusters. */
  namespaceTeams(cluster?: string): Map<string, string> {
    const teams = new Map<string, string>();
    for (const { data } of this.loaded(cluster)) {
      for (const [namespace, team] of data.namespaceTeams)
        teams.set(namespace, team);
    }
    return teams;
  }

  /** A ClusterPolicy by name from the first cluster that has it. */
  clusterPolicy(
    name: string,
  ): { cluster: string; manifest: ClusterPolicyManifest } | undefined {
    for (const { cluster, data } of this.loaded()) {
      const manifest = data.policies.find(
        policy => policy.metadata.name === name,
      );
      if (manifest) return { cluster, manifest };
    }
    return undefined;
  }

  /**
   * The compliance overview of the given cluster (all when omitted) narrowed
   * to `namespaces` and `severities` (all when omitted), memoised per
   * snapshot so repeated page views do not re-aggregate every result.
   */
  overview(options: {
    cluster?: string;
    namespaces?: string[];
    severities?: PolicySeverity[];
  }): ComplianceOverview {
    const generation = this.snapshots.states().map(state => state.data);
    if (
      generation.length !== this.overviewCacheGeneration.length ||
      generation.some(
        (data, i) => data !== this.overviewCacheGeneration[i]?.deref(),
      )
    ) {
      this.overviewCache = new Map();
      this.overviewCacheGeneration = generation.map(data =>
        data ? new WeakRef(data) : undefined,
      );
    }
    const namespaces = options.namespaces && [...options.namespaces].sort();
    const severities = options.severities && [...options.severities].sort();
    const key = JSON.stringify([
      options.cluster ?? null,
      namespaces ?? null,
      severities ?? null,
    ]);
    const cached = this.overviewCache.get(key);
    if (cached) return cached;
    const teams = this.namespaceTeams(options.cluster);
    const wantedNamespaces = namespaces && new Set(namespaces);
    const wantedSeverities = severities && new Set(severities);
    const results = this.results(options.cluster);
    const overview = buildComplianceOverview(
      wantedNamespaces || wantedSeverities
        ? results.filter(result =>
            isKept(result, wantedNamespaces, wantedSeverities),
          )
        : results,
      teams,
    );
    if (this.overviewCache.size >= MAX_CACHED_OVERVIEWS)
      this.overviewCache.clear();
    this.overviewCache.set(key, overview);
    return overview;
  }

  private loaded(
    cluster?: string,
  ): Array<{ cluster: string; data: ClusterPolicyData }> {
    return this.snapshots
      .states()
      .filter(state => !cluster || state.cluster === cluster)
      .flatMap(state =>
        state.data ? [{ cluster: state.cluster, data: state.data }] : [],
      );
  }

  private entityIndexOf(data: ClusterPolicyData): EntityResultIndex {
    let index = this.entityIndexes.get(data);
    if (!index) {
      index = new EntityResultIndex(data.results, data.objects);
      this.entityIndexes.set(data, index);
    }
    return index;
  }
}

function isKept(
  result: PolicyResult,
  namespaces: Set<string> | undefined,
  severities: Set<PolicySeverity> | undefined,
): boolean {
  if (severities && !severities.has(result.severity)) return false;
  return !namespaces || namespaces.has(namespaceOfResult(result) ?? '');
}
