/**
 * Per-resource policy reports in the shape Kyverno writes them.
 */
import type { KubeResource, PolicyResultStatus, RuleResult } from './types';

/** Options for {@link buildPolicyReport}. @public */
export interface PolicyReportOptions {
  /** Timestamp of every result. */
  now: Date;
  /** `wgpolicyk8s.io` (default, PolicyReport v1alpha2) or `openreports.io` (Report v1alpha1). */
  apiGroup?: 'wgpolicyk8s.io' | 'openreports.io';
  /** `properties.process` of each result; Kyverno writes `background scan` or `admission review`. */
  process?: string;
}

/** The `summary` block. @public */
export type PolicyReportSummary = Record<PolicyResultStatus, number>;

/** The label Kyverno puts on the reports it manages. @public */
export const MANAGED_BY_LABEL = {
  'app.kubernetes.io/managed-by': 'kyverno',
} as const;

/**
 * Counts results per status.
 *
 * @public
 */
export function summarizeResults(results: RuleResult[]): PolicyReportSummary {
  const summary: PolicyReportSummary = {
    pass: 0,
    fail: 0,
    warn: 0,
    error: 0,
    skip: 0,
  };
  for (const r of results) summary[r.result] += 1;
  return summary;
}

/** Kubernetes-name-safe fallback for resources without a UID (e.g. manifests not yet applied). */
function fallbackName(resource: KubeResource): string {
  const raw = [
    resource.kind,
    resource.metadata.namespace,
    resource.metadata.name,
  ]
    .filter(Boolean)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return raw.slice(0, 253) || 'report';
}

/**
 * Builds the report Kyverno writes for one resource: a
 * `wgpolicyk8s.io/v1alpha2` PolicyReport (namespaced resource) or
 * ClusterPolicyReport (cluster-scoped), or the `openreports.io/v1alpha1`
 * Report / ClusterReport when `apiGroup` is `openreports.io`.
 *
 * The report is named by the resource's UID (a `<kind>-<ns>-<name>` fallback
 * when it has none), labelled `app.kubernetes.io/managed-by: kyverno`, owned
 * by the resource (ownerReference only when the UID is known), scoped to it,
 * and its results omit `resources` because `scope` is set. A resource is
 * namespaced iff `metadata.namespace` is set.
 *
 * @public
 */
export function buildPolicyReport(
  resource: KubeResource,
  results: RuleResult[],
  options: PolicyReportOptions,
): KubeResource {
  const openReports = options.apiGroup === 'openreports.io';
  const { name, namespace, uid } = resource.metadata;
  const namespaced = !!namespace;
  const kinds = openReports
    ? { namespaced: 'Report', cluster: 'ClusterReport' }
    : { namespaced: 'PolicyReport', cluster: 'ClusterPolicyReport' };
  const kind = namespaced ? kinds.namespaced : kinds.cluster;
  // Kyverno stamps whole seconds; nanos stays 0.
  const timestamp = {
    seconds: Math.floor(options.now.getTime() / 1000),
    nanos: 0,
  };
  const process = options.process ?? 'background scan';
  return {
    apiVersion: openReports
      ? 'openreports.io/v1alpha1'
      : 'wgpolicyk8s.io/v1alpha2',
    kind,
    metadata: {
      name: uid ?? fallbackName(resource),
      ...(namespaced ? { namespace } : {}),
      labels: { ...MANAGED_BY_LABEL },
      ...(uid
        ? {
            ownerReferences: [
              {
                apiVersion: resource.apiVersion,
                kind: resource.kind,
                name,
                uid,
              },
            ],
          }
        : {}),
    },
    scope: {
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      name,
      ...(namespaced ? { namespace } : {}),
      ...(uid ? { uid } : {}),
    },
    results: results.map(r => ({
      policy: r.policy,
      rule: r.rule,
      result: r.result,
      ...(r.severity ? { severity: r.severity } : {}),
      ...(r.category ? { category: r.category } : {}),
      message: r.message,
      properties: { process },
      scored: r.scored,
      source: 'kyverno',
      timestamp: { ...timestamp },
    })),
    summary: summarizeResults(results),
  };
}
