import type {
  CachedResource,
  ClusterCacheService,
  ClusterFreshness,
  ResourceKind,
} from '@internal/cluster-client';
import type { KubernetesObject } from '@internal/kube-model';
import type { RawPolicyReport } from '@internal/plugin-policy-reports-common';

/** A Kyverno ClusterPolicy as the cluster serves it (only what the detail page shows). */
export interface ClusterPolicyManifest extends KubernetesObject {
  metadata: KubernetesObject['metadata'] & {
    annotations?: Record<string, string>;
  };
  spec?: {
    validationFailureAction?: string;
    rules?: Array<{
      name?: string;
      validate?: { failureAction?: string };
    }>;
  };
}

/** Both report API groups in both scopes; openreports.io is not installed everywhere. */
export const REPORT_KINDS: readonly ResourceKind[] = [
  {
    group: 'wgpolicyk8s.io',
    version: 'v1alpha2',
    plural: 'policyreports',
    kind: 'PolicyReport',
  },
  {
    group: 'wgpolicyk8s.io',
    version: 'v1alpha2',
    plural: 'clusterpolicyreports',
    kind: 'ClusterPolicyReport',
  },
  {
    group: 'openreports.io',
    version: 'v1alpha1',
    plural: 'reports',
    kind: 'Report',
    optional: true,
  },
  {
    group: 'openreports.io',
    version: 'v1alpha1',
    plural: 'clusterreports',
    kind: 'ClusterReport',
    optional: true,
  },
];

/**
 * The kinds whose labels an entity selector is matched against and whose ownerReferences a Pod
 * report is rolled up through.
 */
export const WORKLOAD_KINDS: readonly ResourceKind[] = [
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod' },
  { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet' },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment' },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet' },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet' },
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job' },
  { group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob' },
];

/** Namespaces carry the `owner` label that says which team owns them. */
export const NAMESPACE_KIND: ResourceKind = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  kind: 'Namespace',
};

/** Kyverno may be absent from a cluster: then there are no policies to show, which is no error. */
export const CLUSTER_POLICY_KIND: ResourceKind = {
  group: 'kyverno.io',
  version: 'v1',
  plural: 'clusterpolicies',
  kind: 'ClusterPolicy',
  optional: true,
};

/** Everything the index reads, as cached resources of the shared cluster cache. */
export interface PolicyReportSources {
  reports: ReadonlyArray<CachedResource<RawPolicyReport>>;
  workloads: ReadonlyArray<CachedResource<KubernetesObject>>;
  namespaces: CachedResource<KubernetesObject>;
  clusterPolicies: CachedResource<ClusterPolicyManifest>;
  /** The configured clusters, in config order. */
  clusterNames(): string[];
  /** How current each cluster's cached objects are, in config order. */
  freshness(now?: Date): ClusterFreshness[];
}

/** Registers every kind the policy reports read with the shared cluster cache (in plugin.ts). */
export function registerPolicyReportSources(
  cache: ClusterCacheService,
): PolicyReportSources {
  return {
    reports: REPORT_KINDS.map(kind => cache.register<RawPolicyReport>(kind)),
    workloads: WORKLOAD_KINDS.map(kind =>
      cache.register<KubernetesObject>(kind),
    ),
    namespaces: cache.register<KubernetesObject>(NAMESPACE_KIND),
    clusterPolicies: cache.register<ClusterPolicyManifest>(CLUSTER_POLICY_KIND),
    clusterNames: () => cache.clusterNames(),
    freshness: now => cache.freshness(now),
  };
}
