import type { ResourceEvent, ResourceKind } from '@internal/cluster-client';
import { ownedObjectOf, type KubernetesObject } from '@internal/kube-model';
import {
  ComplianceAggregate,
  EntityResultIndex,
  buildComplianceOverview,
  namespaceOfResult,
  normalizeReport,
  type ClusterStatus,
  type ComplianceOverview,
  type EntityKubernetesTarget,
  type LabelledObject,
  type OwnedObject,
  type PolicyResult,
  type PolicySeverity,
  type RawPolicyReport,
} from '@internal/plugin-policy-reports-common';
import type {
  ClusterPolicyManifest,
  PolicyReportSources,
} from './policyReportKinds';

/** The overview cache holds this many distinct filter combinations per index version. */
const MAX_CACHED_OVERVIEWS = 50;

type Workload = LabelledObject & OwnedObject;

interface IndexedReport {
  raw: RawPolicyReport;
  kind: ResourceKind;
  results: PolicyResult[];
  /** The UIDs owner roll-up looked up: a change of any of them can change the results' owners. */
  lookedUp: string[];
  /** The namespaces of its results (`''` for cluster-scoped objects). */
  namespaces: string[];
}

const namespaceKeyOf = (result: PolicyResult) =>
  namespaceOfResult(result) ?? '';

const kindId = (kind: ResourceKind) =>
  `${kind.group}/${kind.version}/${kind.plural}`;

const nameKey = (object: { metadata: { name: string; namespace?: string } }) =>
  `${object.metadata.namespace ?? ''}/${object.metadata.name}`;

function apiVersionOf(kind: ResourceKind): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

function toWorkload(
  item: KubernetesObject,
  kind: ResourceKind,
): Workload | undefined {
  // Items of a list may omit apiVersion and kind.
  const owned = ownedObjectOf({
    apiVersion: item.apiVersion || apiVersionOf(kind),
    kind: item.kind || kind.kind,
    metadata: item.metadata,
  });
  const labels = item.metadata?.labels;
  return owned && labels ? { ...owned, labels } : owned;
}

function sameOwnership(a: Workload, b: Workload): boolean {
  return (
    a.uid === b.uid &&
    JSON.stringify(a.ownerReferences ?? []) ===
      JSON.stringify(b.ownerReferences ?? [])
  );
}

type Versioned = { metadata: object };
const resourceVersionOf = (object: Versioned) =>
  (object.metadata as { resourceVersion?: string }).resourceVersion;

/** Whether a relisted object is the one already held (same instance or same resourceVersion). */
function unchanged(held: Versioned | undefined, listed: Versioned): boolean {
  if (!held) return false;
  if (held === listed) return true;
  const version = resourceVersionOf(listed);
  return !!version && resourceVersionOf(held) === version;
}

/**
 * Everything known of one cluster, kept current per event: the normalised results of each report,
 * the workloads (labels for entity selection, ownerReferences for roll-up), namespace teams and
 * ClusterPolicies. A report change re-normalises that report only; a workload change re-rolls only
 * the reports whose roll-up looked that workload up.
 */
class ClusterPolicyState {
  private readonly entities = new EntityResultIndex();
  readonly namespaceTeams = new Map<string, string>();
  readonly policies = new Map<string, ClusterPolicyManifest>();
  private readonly reports = new Map<string, IndexedReport>();
  private readonly reportKeysByKind = new Map<string, Set<string>>();
  private readonly workloadsByKind = new Map<
    string,
    Map<string, { source: KubernetesObject; workload: Workload }>
  >();
  private readonly workloadsByUid = new Map<string, Workload>();
  private readonly reportsByLookedUpUid = new Map<string, Set<string>>();
  private readonly reportKeysByNamespace = new Map<string, Set<string>>();
  private readonly aggregates = new Map<string, ComplianceAggregate>();
  /**
   * Reports changed (or whose owners changed) since the last read, normalised on the next read:
   * the events of a list (every Pod, then every ReplicaSet …) re-roll each report once, not once
   * per kind.
   */
  private readonly pending = new Map<
    string,
    { kind: ResourceKind; raw: RawPolicyReport }
  >();
  private allResults?: PolicyResult[];

  constructor(readonly cluster: string) {}

  /** The results of an entity (see `EntityResultIndex.select`). */
  entityResults(target: EntityKubernetesTarget): PolicyResult[] {
    this.flush();
    return this.entities.select(target);
  }

  /** Every result of the cluster, in report order. */
  results(): PolicyResult[] {
    this.flush();
    this.allResults ??= [...this.reports.values()].flatMap(
      report => report.results,
    );
    return this.allResults;
  }

  /** The namespaces that have results (`''` for cluster-scoped objects). */
  namespacesWithResults(): IterableIterator<string> {
    this.flush();
    return this.reportKeysByNamespace.keys();
  }

  /** The compliance counts of one namespace's results, recounted only after they changed. */
  aggregateOf(namespace: string): ComplianceAggregate {
    this.flush();
    let aggregate = this.aggregates.get(namespace);
    if (!aggregate) {
      const results: PolicyResult[] = [];
      for (const key of this.reportKeysByNamespace.get(namespace) ?? []) {
        for (const result of this.reports.get(key)?.results ?? []) {
          if (namespaceKeyOf(result) === namespace) results.push(result);
        }
      }
      aggregate = new ComplianceAggregate(results);
      this.aggregates.set(namespace, aggregate);
    }
    return aggregate;
  }

  applyReportEvent(
    kind: ResourceKind,
    event: ResourceEvent<RawPolicyReport>,
  ): void {
    const id = kindId(kind);
    let keys = this.reportKeysByKind.get(id);
    if (!keys) {
      keys = new Set();
      this.reportKeysByKind.set(id, keys);
    }
    if (event.type === 'SYNCED') {
      const stale = new Set(keys);
      for (const raw of event.objects) {
        const key = `${id}|${nameKey(raw)}`;
        stale.delete(key);
        const held = this.pending.get(key) ?? this.reports.get(key);
        if (unchanged(held?.raw, raw)) continue;
        keys.add(key);
        this.setReport(key, kind, raw);
      }
      for (const key of stale) {
        keys.delete(key);
        this.removeReport(key);
      }
      return;
    }
    const key = `${id}|${nameKey(event.object)}`;
    if (event.type === 'DELETED') {
      keys.delete(key);
      this.removeReport(key);
    } else {
      keys.add(key);
      this.setReport(key, kind, event.object);
    }
  }

  applyWorkloadEvent(
    kind: ResourceKind,
    event: ResourceEvent<KubernetesObject>,
  ): void {
    const id = kindId(kind);
    let held = this.workloadsByKind.get(id);
    if (!held) {
      held = new Map();
      this.workloadsByKind.set(id, held);
    }
    if (event.type === 'SYNCED') {
      const stale = new Set(held.keys());
      for (const object of event.objects) {
        const key = nameKey(object);
        stale.delete(key);
        if (unchanged(held.get(key)?.source, object)) continue;
        this.setWorkload(held, key, kind, object);
      }
      for (const key of stale) this.removeWorkload(held, key);
      return;
    }
    const key = nameKey(event.object);
    if (event.type === 'DELETED') this.removeWorkload(held, key);
    else this.setWorkload(held, key, kind, event.object);
  }

  applyNamespaceEvent(event: ResourceEvent<KubernetesObject>): void {
    if (event.type === 'SYNCED') {
      this.namespaceTeams.clear();
      for (const namespace of event.objects) this.setNamespace(namespace);
    } else if (event.type === 'DELETED') {
      this.namespaceTeams.delete(event.object.metadata.name);
    } else {
      this.setNamespace(event.object);
    }
  }

  applyPolicyEvent(event: ResourceEvent<ClusterPolicyManifest>): void {
    if (event.type === 'SYNCED') {
      this.policies.clear();
      for (const policy of event.objects) {
        this.policies.set(policy.metadata.name, policy);
      }
    } else if (event.type === 'DELETED') {
      this.policies.delete(event.object.metadata.name);
    } else {
      this.policies.set(event.object.metadata.name, event.object);
    }
  }

  private setNamespace(namespace: KubernetesObject): void {
    const owner = namespace.metadata.labels?.owner;
    if (owner) this.namespaceTeams.set(namespace.metadata.name, owner);
    else this.namespaceTeams.delete(namespace.metadata.name);
  }

  private setReport(key: string, kind: ResourceKind, raw: RawPolicyReport) {
    this.pending.set(key, { kind, raw });
  }

  private flush(): void {
    for (const [key, { kind, raw }] of this.pending) {
      this.normalise(key, kind, raw);
    }
    this.pending.clear();
  }

  private normalise(key: string, kind: ResourceKind, raw: RawPolicyReport) {
    this.forgetLookups(key);
    this.forgetNamespaces(key);
    // Lists of custom resources may omit apiVersion/kind on items.
    const typed =
      raw.apiVersion && raw.kind
        ? raw
        : {
            ...raw,
            apiVersion: raw.apiVersion ?? apiVersionOf(kind),
            kind: raw.kind ?? kind.kind,
          };
    const lookedUp: string[] = [];
    const results = normalizeReport(typed, this.cluster, uid => {
      lookedUp.push(uid);
      return this.workloadsByUid.get(uid);
    });
    const namespaces = [...new Set(results.map(namespaceKeyOf))];
    this.reports.set(key, { raw, kind, results, lookedUp, namespaces });
    for (const namespace of namespaces) {
      let keys = this.reportKeysByNamespace.get(namespace);
      if (!keys) {
        keys = new Set();
        this.reportKeysByNamespace.set(namespace, keys);
      }
      keys.add(key);
      this.aggregates.delete(namespace);
    }
    for (const uid of lookedUp) {
      let dependents = this.reportsByLookedUpUid.get(uid);
      if (!dependents) {
        dependents = new Set();
        this.reportsByLookedUpUid.set(uid, dependents);
      }
      dependents.add(key);
    }
    this.entities.setResults(key, results);
    this.allResults = undefined;
  }

  private removeReport(key: string): void {
    this.pending.delete(key);
    this.forgetLookups(key);
    this.forgetNamespaces(key);
    if (this.reports.delete(key)) {
      this.entities.removeResults(key);
      this.allResults = undefined;
    }
  }

  private forgetNamespaces(key: string): void {
    for (const namespace of this.reports.get(key)?.namespaces ?? []) {
      const keys = this.reportKeysByNamespace.get(namespace);
      keys?.delete(key);
      if (keys?.size === 0) this.reportKeysByNamespace.delete(namespace);
      this.aggregates.delete(namespace);
    }
  }

  private forgetLookups(key: string): void {
    for (const uid of this.reports.get(key)?.lookedUp ?? []) {
      const dependents = this.reportsByLookedUpUid.get(uid);
      dependents?.delete(key);
      if (dependents?.size === 0) this.reportsByLookedUpUid.delete(uid);
    }
  }

  private setWorkload(
    held: Map<string, { source: KubernetesObject; workload: Workload }>,
    key: string,
    kind: ResourceKind,
    object: KubernetesObject,
  ): void {
    const workload = toWorkload(object, kind);
    if (!workload) return;
    const previous = held.get(key)?.workload;
    held.set(key, { source: object, workload });
    if (previous && previous.uid !== workload.uid) {
      // Deleted and recreated under the same name: a different object.
      this.removeWorkload(held, key, previous);
    }
    if (workload.uid) this.workloadsByUid.set(workload.uid, workload);
    this.entities.setObject(workload);
    if (!previous || !sameOwnership(previous, workload)) {
      this.reroll(workload.uid);
    }
  }

  private removeWorkload(
    held: Map<string, { source: KubernetesObject; workload: Workload }>,
    key: string,
    workload = held.get(key)?.workload,
  ): void {
    if (!workload) return;
    if (held.get(key)?.workload === workload) held.delete(key);
    if (workload.uid && this.workloadsByUid.get(workload.uid) === workload) {
      this.workloadsByUid.delete(workload.uid);
    }
    this.entities.removeObject(workload);
    this.reroll(workload.uid);
  }

  /** Re-normalises the reports whose owner roll-up went through `uid`. */
  private reroll(uid: string | undefined): void {
    if (!uid) return;
    for (const key of this.reportsByLookedUpUid.get(uid) ?? []) {
      const report = this.reports.get(key);
      // a report already pending is normalised with the current owners anyway
      if (report && !this.pending.has(key)) {
        this.setReport(key, report.kind, report.raw);
      }
    }
  }
}

/**
 * Answers requests from the shared cluster cache; never calls a cluster. It subscribes to every
 * kind it reads and applies each event to the one cluster it concerns (a `SYNCED` replaces what it
 * held of that cluster and kind), so a changed report or Pod costs work in proportion to that
 * object, not to the cluster. Overviews are memoised per index version and combined from
 * per-namespace counts, so after a change only the namespaces it touched are recounted.
 */
export class PolicyReportIndex {
  private readonly states = new Map<string, ClusterPolicyState>();
  private readonly unsubscribes: Array<() => void> = [];
  private currentVersion = 0;
  private overviewCache = new Map<string, ComplianceOverview>();
  private overviewCacheVersion = -1;
  private resultsCache = new Map<string, PolicyResult[]>();
  private resultsCacheVersion = -1;

  constructor(private readonly sources: PolicyReportSources) {
    for (const reports of sources.reports) {
      this.follow(reports, (state, event) =>
        state.applyReportEvent(reports.kind, event),
      );
    }
    for (const workloads of sources.workloads) {
      this.follow(workloads, (state, event) =>
        state.applyWorkloadEvent(workloads.kind, event),
      );
    }
    this.follow(sources.namespaces, (state, event) =>
      state.applyNamespaceEvent(event),
    );
    this.follow(sources.clusterPolicies, (state, event) =>
      state.applyPolicyEvent(event),
    );
  }

  /** Stops following the cache (at shutdown). */
  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  /** Goes up with every change the index applied; aggregates are memoised on it. */
  version(): number {
    return this.currentVersion;
  }

  /** Health of every cluster: an unreachable one is reported here, never as a failed request. */
  clusterStatuses(): ClusterStatus[] {
    return this.sources.freshness().map(freshness => ({
      cluster: freshness.cluster,
      stale: freshness.stale,
      ...(freshness.lastSuccess
        ? { lastSuccessfulRefresh: freshness.lastSuccess.toISOString() }
        : {}),
      ...(freshness.error ? { error: freshness.error.message } : {}),
      ...(freshness.note ? { note: freshness.note } : {}),
    }));
  }

  /** The names of all configured clusters. */
  clusterNames(): string[] {
    return this.sources.clusterNames();
  }

  /** Every result of an entity, across all clusters. */
  entityResults(target: EntityKubernetesTarget): PolicyResult[] {
    return this.loaded().flatMap(state => state.entityResults(target));
  }

  /** Every result of the given clusters (all when omitted), memoised per index version. */
  results(cluster?: string): PolicyResult[] {
    if (this.resultsCacheVersion !== this.currentVersion) {
      this.resultsCache = new Map();
      this.resultsCacheVersion = this.currentVersion;
    }
    const key = cluster ?? '';
    let results = this.resultsCache.get(key);
    if (!results) {
      results = this.loaded(cluster).flatMap(state => state.results());
      this.resultsCache.set(key, results);
    }
    return results;
  }

  /** Namespace → team (`owner` label), merged over the clusters. */
  namespaceTeams(cluster?: string): Map<string, string> {
    const teams = new Map<string, string>();
    for (const state of this.loaded(cluster)) {
      for (const [namespace, team] of state.namespaceTeams)
        teams.set(namespace, team);
    }
    return teams;
  }

  /** A ClusterPolicy by name from the first cluster that has it. */
  clusterPolicy(
    name: string,
  ): { cluster: string; manifest: ClusterPolicyManifest } | undefined {
    for (const state of this.loaded()) {
      const manifest = state.policies.get(name);
      if (manifest) return { cluster: state.cluster, manifest };
    }
    return undefined;
  }

  /**
   * The compliance overview of the given cluster (all when omitted) narrowed
   * to `namespaces` and `severities` (all when omitted), memoised per index
   * version so repeated page views do not re-aggregate every result.
   */
  overview(options: {
    cluster?: string;
    namespaces?: string[];
    severities?: PolicySeverity[];
  }): ComplianceOverview {
    if (this.overviewCacheVersion !== this.currentVersion) {
      this.overviewCache = new Map();
      this.overviewCacheVersion = this.currentVersion;
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
    let overview: ComplianceOverview;
    if (severities) {
      const wantedSeverities = new Set(severities);
      overview = buildComplianceOverview(
        this.results(options.cluster).filter(result =>
          isKept(result, wantedNamespaces, wantedSeverities),
        ),
        teams,
      );
    } else {
      // Combined from the namespaces' counts, of which a change recounts only its own.
      overview = ComplianceAggregate.overview(
        this.loaded(options.cluster).flatMap(state =>
          [...state.namespacesWithResults()]
            .filter(
              namespace => !wantedNamespaces || wantedNamespaces.has(namespace),
            )
            .map(namespace => state.aggregateOf(namespace)),
        ),
        teams,
      );
    }
    if (this.overviewCache.size >= MAX_CACHED_OVERVIEWS)
      this.overviewCache.clear();
    this.overviewCache.set(key, overview);
    return overview;
  }

  private follow<T>(
    resource: {
      subscribe(listener: (event: ResourceEvent<T>) => void): () => void;
    },
    apply: (state: ClusterPolicyState, event: ResourceEvent<T>) => void,
  ): void {
    this.unsubscribes.push(
      resource.subscribe(event => {
        apply(this.stateOf(event.cluster), event);
        this.currentVersion += 1;
      }),
    );
  }

  private stateOf(cluster: string): ClusterPolicyState {
    let state = this.states.get(cluster);
    if (!state) {
      state = new ClusterPolicyState(cluster);
      this.states.set(cluster, state);
    }
    return state;
  }

  /** The clusters with data, in config order. */
  private loaded(cluster?: string): ClusterPolicyState[] {
    return this.sources
      .clusterNames()
      .filter(name => !cluster || name === cluster)
      .flatMap(name => {
        const state = this.states.get(name);
        return state ? [state] : [];
      });
  }
}

function isKept(
  result: PolicyResult,
  namespaces: Set<string> | undefined,
  severities: Set<PolicySeverity>,
): boolean {
  if (!severities.has(result.severity)) return false;
  return !namespaces || namespaces.has(namespaceKeyOf(result));
}
