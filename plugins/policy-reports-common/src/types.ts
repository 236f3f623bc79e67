import type { KubernetesObject, ObjectReference } from '@internal/kube-model';
/**
 * Wire types of the Kyverno report API groups and the one normalised model the
 * backend indexes and the frontend renders.
 */

/** Outcome of one rule for one resource, as Kyverno reports it. @public */
export type PolicyResultStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

/** Severity from the policy annotation `policies.kyverno.io/severity`. @public */
export type PolicySeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Every result status, in the order the UI shows them. @public */
export const POLICY_RESULT_STATUSES: readonly PolicyResultStatus[] = [
  'fail',
  'error',
  'warn',
  'pass',
  'skip',
];

/** Every severity, worst first. @public */
export const POLICY_SEVERITIES: readonly PolicySeverity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
];

/** A reference to a Kubernetes object as reports carry it (`scope`, `results[].resources[]`). @public */
export type KubernetesObjectReference = Partial<ObjectReference>;

/**
 * One result entry of a `wgpolicyk8s.io/v1alpha2` PolicyReport or an
 * `openreports.io/v1alpha1` Report; both groups share this shape.
 *
 * @public
 */
export interface RawReportResult {
  policy?: string;
  rule?: string;
  result?: string;
  severity?: string;
  category?: string;
  message?: string;
  source?: string;
  scored?: boolean;
  properties?: Record<string, string>;
  resources?: KubernetesObjectReference[];
  timestamp?: { seconds?: number | string; nanos?: number };
}

/**
 * A PolicyReport / ClusterPolicyReport (`wgpolicyk8s.io/v1alpha2`) or a
 * Report / ClusterReport (`openreports.io/v1alpha1`) as listed from a cluster.
 *
 * @public
 */
export interface RawPolicyReport extends KubernetesObject {
  scope?: KubernetesObjectReference;
  results?: RawReportResult[];
  summary?: Partial<Record<PolicyResultStatus, number>>;
}

/** The Kubernetes object a result is about, after owner roll-up. @public */
export type ReportedResource = ObjectReference;

/**
 * One policy result for one resource in one cluster: the single model both
 * API groups and both report scopes are normalised to.
 *
 * @public
 */
export interface PolicyResult {
  cluster: string;
  policy: string;
  rule: string;
  result: PolicyResultStatus;
  /** `info` when the policy carries no severity annotation. */
  severity: PolicySeverity;
  /** Empty when the policy carries no category annotation. */
  category: string;
  message: string;
  /** ISO 8601; empty when the report carries no timestamp. */
  timestamp: string;
  /** The resource the report was written for (a Pod, a ReplicaSet, a Namespace …). */
  resource: ReportedResource;
  /**
   * The top-level workload the resource belongs to through ownerReferences
   * (Pod → ReplicaSet → Deployment); the resource itself when it has no owner.
   */
  owner: ReportedResource;
  /** The API group the report came from. */
  reportApiGroup: 'wgpolicyk8s.io' | 'openreports.io';
}

/** Counts of results per status. @public */
export type ResultCounts = Record<PolicyResultStatus, number>;

/** Counts of results per status and per severity. @public */
export interface ResultSummary {
  total: number;
  byResult: ResultCounts;
  /** Counts of failing results (fail + error) per severity. */
  failingBySeverity: Record<PolicySeverity, number>;
  /** pass / (pass + fail + warn + error), 0–100; `undefined` when nothing was evaluated. */
  compliancePercent?: number;
  /** The worst severity among failing results; `undefined` when nothing fails. */
  worstFailingSeverity?: PolicySeverity;
}

/** The state of one cluster's index, sent with every response. @public */
export interface ClusterStatus {
  cluster: string;
  /**
   * True when the latest list, watch or poll of the cluster failed and the data shown is from an
   * earlier one, or when the data is outdated (the shared cluster cache's `ClusterFreshness`).
   */
  stale: boolean;
  /** ISO 8601 time the data was last known to match the cluster; absent when it never was. */
  lastSuccessfulRefresh?: string;
  /** Why the last refresh failed. */
  error?: string;
  /** How the cluster is followed when not by watch, e.g. "watch refused (403): polling every 10 s". */
  note?: string;
}
