import { namespaceOfResult } from './normalize';
import type {
  PolicyResult,
  PolicyResultStatus,
  PolicySeverity,
  ReportedResource,
  ResultCounts,
  ResultSummary,
} from './types';
import { POLICY_SEVERITIES } from './types';

function emptyCounts(): ResultCounts {
  return { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
}

function emptySeverities(): Record<PolicySeverity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** Whether a result counts against compliance. @public */
export function isFailing(result: PolicyResultStatus): boolean {
  return result === 'fail' || result === 'error';
}

/**
 * Incrementally counts results, so large indexes are aggregated in one pass
 * without building intermediate arrays per group.
 */
class SummaryBuilder {
  private readonly byResult = emptyCounts();
  private readonly failingBySeverity = emptySeverities();
  private total = 0;

  add(result: PolicyResult): void {
    this.total += 1;
    this.byResult[result.result] += 1;
    if (isFailing(result.result)) this.failingBySeverity[result.severity] += 1;
  }

  /** Adds the counts of another builder (of other results). */
  merge(other: SummaryBuilder): void {
    this.total += other.total;
    for (const status of Object.keys(this.byResult) as PolicyResultStatus[]) {
      this.byResult[status] += other.byResult[status];
    }
    for (const severity of POLICY_SEVERITIES) {
      this.failingBySeverity[severity] += other.failingBySeverity[severity];
    }
  }

  build(): ResultSummary {
    const { pass, fail, warn, error } = this.byResult;
    // skip is left out: a skipped rule says nothing about compliance.
    const evaluated = pass + fail + warn + error;
    const worstFailingSeverity = POLICY_SEVERITIES.find(
      severity => this.failingBySeverity[severity] > 0,
    );
    return {
      total: this.total,
      byResult: { ...this.byResult },
      failingBySeverity: { ...this.failingBySeverity },
      ...(evaluated > 0
        ? { compliancePercent: Math.round((pass / evaluated) * 1000) / 10 }
        : {}),
      ...(worstFailingSeverity ? { worstFailingSeverity } : {}),
    };
  }
}

/**
 * Counts results by status and failing results by severity; compliance is
 * pass / (pass + fail + warn + error).
 *
 * @public
 */
export function summarizeResults(
  results: Iterable<PolicyResult>,
): ResultSummary {
  const builder = new SummaryBuilder();
  for (const result of results) builder.add(result);
  return builder.build();
}

/** What the results of a view are narrowed to; every field is optional. @public */
export interface PolicyResultFilter {
  result?: PolicyResultStatus[];
  severity?: PolicySeverity[];
  policy?: string[];
  category?: string[];
  cluster?: string[];
  /** Namespaces to keep; cluster-scoped results outside any namespace are dropped. */
  namespaces?: string[];
  /** Case-insensitive substring of policy, rule, message or resource name. */
  search?: string;
}

/** Keeps the results that satisfy every given field of `filter`. @public */
export function filterResults(
  results: readonly PolicyResult[],
  filter: PolicyResultFilter,
): PolicyResult[] {
  const namespaces = filter.namespaces && new Set(filter.namespaces);
  const search = filter.search?.trim().toLowerCase();
  const within = <T>(values: T[] | undefined, value: T) =>
    !values || values.length === 0 || values.includes(value);
  return results.filter(
    result =>
      within(filter.result, result.result) &&
      within(filter.severity, result.severity) &&
      within(filter.policy, result.policy) &&
      within(filter.category, result.category) &&
      within(filter.cluster, result.cluster) &&
      (!namespaces || namespaces.has(namespaceOfResult(result) ?? '')) &&
      (!search ||
        [
          result.policy,
          result.rule,
          result.message,
          result.resource.name,
          result.owner.name,
        ].some(text => text.toLowerCase().includes(search))),
  );
}

/** The results of one (rolled-up) workload or cluster-scoped object. @public */
export interface ResourceResults {
  cluster: string;
  resource: ReportedResource;
  summary: ResultSummary;
  results: PolicyResult[];
}

function resourceGroupKey(cluster: string, resource: ReportedResource): string {
  return `${cluster}|${resource.kind}|${resource.namespace ?? ''}|${
    resource.name
  }`;
}

/**
 * Groups results by the workload they roll up to (all Pods of a Deployment
 * under the Deployment), most failing first, then by name.
 *
 * @public
 */
export function groupResultsByResource(
  results: readonly PolicyResult[],
): ResourceResults[] {
  const groups = new Map<string, ResourceResults>();
  for (const result of results) {
    const key = resourceGroupKey(result.cluster, result.owner);
    let group = groups.get(key);
    if (!group) {
      group = {
        cluster: result.cluster,
        resource: result.owner,
        summary: summarizeResults([]),
        results: [],
      };
      groups.set(key, group);
    }
    group.results.push(result);
  }
  const failing = (group: ResourceResults) =>
    group.summary.byResult.fail + group.summary.byResult.error;
  return [...groups.values()]
    .map(group => ({ ...group, summary: summarizeResults(group.results) }))
    .sort(
      (a, b) =>
        failing(b) - failing(a) ||
        a.resource.name.localeCompare(b.resource.name),
    );
}

/** Compliance of one namespace. @public */
export interface NamespaceCompliance {
  namespace: string;
  /** The namespace's `owner` label; absent when it has none. */
  team?: string;
  summary: ResultSummary;
}

/** Compliance of one team (namespace `owner` label). @public */
export interface TeamCompliance {
  team: string;
  namespaces: string[];
  summary: ResultSummary;
}

/** Compliance against one policy. @public */
export interface PolicyCompliance {
  policy: string;
  category: string;
  severity: PolicySeverity;
  summary: ResultSummary;
  /** Distinct (rolled-up) resources failing the policy. */
  failingResources: number;
}

/** The cluster-wide picture. @public */
export interface ComplianceOverview {
  totals: ResultSummary;
  bySeverity: Array<{ severity: PolicySeverity; counts: ResultCounts }>;
  byNamespace: NamespaceCompliance[];
  byTeam: TeamCompliance[];
  byPolicy: PolicyCompliance[];
  topFailingPolicies: PolicyCompliance[];
  topFailingNamespaces: NamespaceCompliance[];
}

/** Namespace name → its `owner` label (the team). @public */
export type NamespaceTeams = ReadonlyMap<string, string>;

const NO_TEAM = '(no owner)';
const newSummaryBuilder = () => new SummaryBuilder();
const CLUSTER_SCOPED = '(cluster-scoped)';

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

interface PolicyEntry {
  builder: SummaryBuilder;
  category: string;
  severity: PolicySeverity;
  /** Keys of the (rolled-up) resources failing the policy. */
  failing: Set<string>;
}

/**
 * The additive part of a compliance overview of some results: counts per namespace, policy and
 * severity. Aggregates of disjoint result sets (one per namespace, say) combine into the overview
 * of their union with {@link ComplianceAggregate.overview}, so an index that keeps one aggregate
 * per namespace re-counts only the namespace a change touched.
 *
 * @public
 */
export class ComplianceAggregate {
  private readonly totals = new SummaryBuilder();
  private readonly bySeverity = new Map<PolicySeverity, ResultCounts>();
  private readonly byNamespace = new Map<string, SummaryBuilder>();
  private readonly byPolicy = new Map<string, PolicyEntry>();

  constructor(results: Iterable<PolicyResult> = []) {
    // The entry of the previous result is reused when the namespace repeats:
    // a report's results share it, so most lookups are skipped.
    let lastNamespace: string | undefined;
    let namespaceBuilder: SummaryBuilder | undefined;
    for (const result of results) {
      this.totals.add(result);
      let severityCounts = this.bySeverity.get(result.severity);
      if (!severityCounts) {
        severityCounts = emptyCounts();
        this.bySeverity.set(result.severity, severityCounts);
      }
      severityCounts[result.result] += 1;

      const namespace = namespaceOfResult(result) ?? CLUSTER_SCOPED;
      if (namespace !== lastNamespace || !namespaceBuilder) {
        lastNamespace = namespace;
        namespaceBuilder = getOrCreate(
          this.byNamespace,
          namespace,
          newSummaryBuilder,
        );
      }
      namespaceBuilder.add(result);

      let policyEntry = this.byPolicy.get(result.policy);
      if (!policyEntry) {
        policyEntry = {
          builder: new SummaryBuilder(),
          category: result.category,
          severity: result.severity,
          failing: new Set<string>(),
        };
        this.byPolicy.set(result.policy, policyEntry);
      }
      policyEntry.builder.add(result);
      if (isFailing(result.result)) {
        policyEntry.failing.add(resourceGroupKey(result.cluster, result.owner));
      }
    }
  }

  /**
   * The compliance overview of the union of `parts`, with the `top` most failing policies and
   * namespaces. The parts must not share a (cluster, namespace): failing resources are counted per
   * part and added up. A policy's category and severity are those of its first result, in the
   * order of `parts`.
   */
  static overview(
    parts: Iterable<ComplianceAggregate>,
    namespaceTeams: NamespaceTeams,
    top = 10,
  ): ComplianceOverview {
    const totals = new SummaryBuilder();
    const bySeverity = new Map<PolicySeverity, ResultCounts>();
    const byNamespace = new Map<string, SummaryBuilder>();
    const byPolicy = new Map<
      string,
      {
        builder: SummaryBuilder;
        category: string;
        severity: PolicySeverity;
        failing: number;
      }
    >();
    for (const part of parts) {
      totals.merge(part.totals);
      for (const [severity, counts] of part.bySeverity) {
        const merged = getOrCreate(bySeverity, severity, emptyCounts);
        for (const status of Object.keys(counts) as PolicyResultStatus[]) {
          merged[status] += counts[status];
        }
      }
      for (const [namespace, builder] of part.byNamespace) {
        getOrCreate(byNamespace, namespace, newSummaryBuilder).merge(builder);
      }
      for (const [policy, entry] of part.byPolicy) {
        const merged = getOrCreate(byPolicy, policy, () => ({
          builder: new SummaryBuilder(),
          category: entry.category,
          severity: entry.severity,
          failing: 0,
        }));
        merged.builder.merge(entry.builder);
        // a resource belongs to one namespace of one cluster, so parts never share one
        merged.failing += entry.failing.size;
      }
    }

    const byTeam = new Map<
      string,
      { builder: SummaryBuilder; namespaces: Set<string> }
    >();
    for (const [namespace, builder] of byNamespace) {
      const team = namespaceTeams.get(namespace) ?? NO_TEAM;
      const entry = getOrCreate(byTeam, team, () => ({
        builder: new SummaryBuilder(),
        namespaces: new Set<string>(),
      }));
      entry.builder.merge(builder);
      entry.namespaces.add(namespace);
    }

    const namespaces: NamespaceCompliance[] = [...byNamespace]
      .map(([namespace, builder]) => {
        const team = namespaceTeams.get(namespace);
        return {
          namespace,
          ...(team ? { team } : {}),
          summary: builder.build(),
        };
      })
      .sort((a, b) => a.namespace.localeCompare(b.namespace));
    const policies: PolicyCompliance[] = [...byPolicy]
      .map(([policy, entry]) => ({
        policy,
        category: entry.category,
        severity: entry.severity,
        summary: entry.builder.build(),
        failingResources: entry.failing,
      }))
      .sort((a, b) => a.policy.localeCompare(b.policy));
    const failingCount = (summary: ResultSummary) =>
      summary.byResult.fail + summary.byResult.error;
    const mostFailing = <T extends { summary: ResultSummary }>(items: T[]) =>
      items
        .filter(item => failingCount(item.summary) > 0)
        .sort((a, b) => failingCount(b.summary) - failingCount(a.summary))
        .slice(0, top);

    return {
      totals: totals.build(),
      bySeverity: POLICY_SEVERITIES.filter(severity =>
        bySeverity.has(severity),
      ).map(severity => ({ severity, counts: bySeverity.get(severity)! })),
      byNamespace: namespaces,
      byTeam: [...byTeam]
        .map(([team, entry]) => ({
          team,
          namespaces: [...entry.namespaces].sort(),
          summary: entry.builder.build(),
        }))
        .sort((a, b) => a.team.localeCompare(b.team)),
      byPolicy: policies,
      topFailingPolicies: mostFailing(policies),
      topFailingNamespaces: mostFailing(namespaces),
    };
  }
}

/**
 * Aggregates results into compliance per namespace, team, policy and
 * severity, plus the `top` most failing policies and namespaces.
 *
 * @public
 */
export function buildComplianceOverview(
  results: Iterable<PolicyResult>,
  namespaceTeams: NamespaceTeams,
  top = 10,
): ComplianceOverview {
  return ComplianceAggregate.overview(
    [new ComplianceAggregate(results)],
    namespaceTeams,
    top,
  );
}
