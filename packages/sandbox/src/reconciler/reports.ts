import type { KubernetesObject } from '@internal/kube-model';
import {
  buildPolicyReport,
  evaluatePolicies,
  MANAGED_BY_LABEL,
} from '@internal/policy-engine';
import { stableStringify } from '../cluster/hashing';
import type { ClusterStore } from '../store/ClusterStore';
import { refOf } from './tracking';

/** The report API groups Kyverno can write (wgpolicyk8s.io PolicyReports, openreports.io Reports). */
export type ReportApiGroup = 'wgpolicyk8s.io' | 'openreports.io';

const REPORT_TYPES: Record<
  ReportApiGroup,
  { apiVersion: string; kinds: [string, string] }
> = {
  'wgpolicyk8s.io': {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kinds: ['PolicyReport', 'ClusterPolicyReport'],
  },
  'openreports.io': {
    apiVersion: 'openreports.io/v1alpha1',
    kinds: ['Report', 'ClusterReport'],
  },
};

/** Kinds Kyverno's background scan does not report on. */
const UNREPORTED_KINDS = new Set([
  'PolicyReport',
  'ClusterPolicyReport',
  'Report',
  'ClusterReport',
  'EphemeralReport',
  'ClusterEphemeralReport',
  'Event',
  'ClusterPolicy',
  'Policy',
  'Lease',
  'Node',
]);

/** The report minus what changes on every evaluation (timestamps), for "did anything change". */
function comparable(report: KubernetesObject): string {
  const results = (
    (report.results as Array<Record<string, unknown>> | undefined) ?? []
  ).map(({ timestamp: _t, ...rest }) => rest);
  return stableStringify({
    labels: report.metadata.labels,
    ownerReferences: report.metadata.ownerReferences,
    scope: report.scope,
    results,
    summary: report.summary,
  });
}

/**
 * Kyverno's background scan: one PolicyReport (or ClusterPolicyReport for cluster-scoped
 * objects) per resource the policies select, named by the resource UID, in every configured
 * API group. Reports are rewritten only when their results change, so timestamps stay stable,
 * and removed when their resource is gone or no longer selected.
 */
export class PolicyReporter {
  /** uid → fingerprint of (resource version, policy set, namespace labels) last evaluated. */
  private readonly evaluated = new Map<string, string>();

  constructor(
    private readonly store: ClusterStore,
    private readonly apiGroups: ReportApiGroup[],
  ) {}

  /** Brings every report in line with the current objects and policies. */
  update(policies: KubernetesObject[], now: Date): void {
    const policyFingerprint = stableStringify(
      policies.map(p => [p.metadata.name, p.metadata.resourceVersion]),
    );
    const namespaceLabels = new Map(
      this.store
        .listShared({ kind: 'Namespace' })
        .map(ns => [ns.metadata.name, ns.metadata.labels ?? {}]),
    );
    const wanted = new Set<string>();
    const seen = new Set<string>();
    for (const obj of this.store.all()) {
      const uid = obj.metadata.uid;
      if (!uid || UNREPORTED_KINDS.has(obj.kind)) continue;
      seen.add(uid);
      const labels = obj.metadata.namespace
        ? namespaceLabels.get(obj.metadata.namespace) ?? {}
        : undefined;
      const fingerprint = `${
        obj.metadata.resourceVersion
      }|${policyFingerprint}|${stableStringify(labels)}`;
      if (this.evaluated.get(uid) === fingerprint) {
        if (this.hasReport(obj)) wanted.add(uid);
        continue;
      }
      this.evaluated.set(uid, fingerprint);
      const results =
        policies.length > 0
          ? evaluatePolicies(
              policies,
              obj,
              labels ? { namespaceLabels: labels } : {},
            )
          : [];
      if (results.length === 0) continue;
      wanted.add(uid);
      for (const apiGroup of this.apiGroups) {
        const report = buildPolicyReport(obj, results, {
          now,
          apiGroup,
        }) as KubernetesObject;
        const existing = this.store.get(refOf(report));
        if (!existing || comparable(existing) !== comparable(report))
          this.store.apply(report);
      }
    }
    for (const uid of this.evaluated.keys())
      if (!seen.has(uid)) this.evaluated.delete(uid);
    this.removeStaleReports(wanted);
  }

  private hasReport(obj: KubernetesObject): boolean {
    const group = this.apiGroups[0];
    if (!group) return false;
    const { apiVersion, kinds } = REPORT_TYPES[group];
    return !!this.store.get({
      apiVersion,
      kind: obj.metadata.namespace ? kinds[0] : kinds[1],
      namespace: obj.metadata.namespace,
      name: obj.metadata.uid ?? '',
    });
  }

  private removeStaleReports(wanted: Set<string>): void {
    for (const group of this.apiGroups) {
      const { apiVersion, kinds } = REPORT_TYPES[group];
      for (const kind of kinds) {
        for (const report of this.store.list({ kind, apiVersion })) {
          const managed =
            report.metadata.labels?.['app.kubernetes.io/managed-by'] ===
            MANAGED_BY_LABEL['app.kubernetes.io/managed-by'];
          if (managed && !wanted.has(report.metadata.name))
            this.store.delete(refOf(report));
        }
      }
    }
  }
}
