/*
 * main's policy-reports loader before issue 15 (commit 7fbfff1), kept verbatim as the OLD side of
 * benchmarks: every refresh listed every kind of a cluster and normalised every report.
 * The backend now reads the shared cluster cache (plugins/policy-reports-backend/src/service/PolicyReportIndex.ts).
 */
import type {
  ClusterDetails,
  KubernetesHttpClient,
  ListRequest,
} from '@internal/cluster-client';
import {
  normalizeReport,
  type LabelledObject,
  type OwnedObject,
  type PolicyResult,
  type RawPolicyReport,
} from '@internal/plugin-policy-reports-common';

/** A Kyverno ClusterPolicy as listed from a cluster (only what the detail page shows). */
export interface ClusterPolicyManifest {
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: {
    validationFailureAction?: string;
    rules?: Array<{
      name?: string;
      validate?: { failureAction?: string };
    }>;
  };
}

/** Everything the index keeps of one cluster, built once per refresh. */
export interface ClusterPolicyData {
  results: PolicyResult[];
  /** Workloads with their labels, for resolving entities by label selector. */
  objects: LabelledObject[];
  /** Namespace → its `owner` label. */
  namespaceTeams: Map<string, string>;
  policies: ClusterPolicyManifest[];
}

type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    ownerReferences?: OwnedObject['ownerReferences'];
  };
};

interface ReportType extends ListRequest {
  kind: string;
}

const REPORT_TYPES: ReportType[] = [
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
  },
  {
    group: 'openreports.io',
    version: 'v1alpha1',
    plural: 'clusterreports',
    kind: 'ClusterReport',
  },
];

// The kinds whose labels an entity selector is matched against and whose
// ownerReferences a Pod report is rolled up through.
const WORKLOAD_TYPES: ReportType[] = [
  { version: 'v1', plural: 'pods', kind: 'Pod' },
  { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet' },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment' },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet' },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet' },
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job' },
  { group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob' },
];

const CLUSTER_POLICIES: ListRequest = {
  group: 'kyverno.io',
  version: 'v1',
  plural: 'clusterpolicies',
};

/**
 * Which of `types` the cluster serves, asking discovery: a cluster without openreports.io (or without Kyverno at all)
 * contributes nothing for those types instead of failing the refresh.
 */
async function servedTypes<T extends ListRequest>(
  client: KubernetesHttpClient,
  types: T[],
): Promise<T[]> {
  const served = await Promise.all(
    types.map(type =>
      client.serves(type.group ?? '', type.version, type.plural),
    ),
  );
  return types.filter((_, i) => served[i]);
}

function toLabelledObject(
  item: KubeObject,
  kind: string,
  apiVersion: string,
): (LabelledObject & OwnedObject) | undefined {
  const metadata = item.metadata;
  if (!metadata?.name) return undefined;
  return {
    apiVersion: item.apiVersion ?? apiVersion,
    kind: item.kind ?? kind,
    name: metadata.name,
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    ...(metadata.uid ? { uid: metadata.uid } : {}),
    ...(metadata.labels ? { labels: metadata.labels } : {}),
    ...(metadata.ownerReferences
      ? { ownerReferences: metadata.ownerReferences }
      : {}),
  };
}

/**
 * Reads one cluster with one list per type (reports of both API groups and
 * scopes, workloads, Namespaces, ClusterPolicies) and normalises the reports
 * once, so requests only read the result.
 */
export async function loadClusterPolicyData(
  client: KubernetesHttpClient,
  cluster: ClusterDetails,
): Promise<ClusterPolicyData> {
  const [reportTypes, policyTypes] = await Promise.all([
    servedTypes(client, REPORT_TYPES),
    servedTypes(client, [CLUSTER_POLICIES]),
  ]);
  const [reportLists, workloadLists, namespaces, policies] = await Promise.all([
    Promise.all(reportTypes.map(type => client.list<RawPolicyReport>(type))),
    Promise.all(WORKLOAD_TYPES.map(type => client.list<KubeObject>(type))),
    client.list<KubeObject>({ version: 'v1', plural: 'namespaces' }),
    policyTypes.length > 0
      ? client.list<ClusterPolicyManifest>(CLUSTER_POLICIES)
      : Promise.resolve({ items: [] as ClusterPolicyManifest[] }),
  ]);

  const objects: Array<LabelledObject & OwnedObject> = [];
  workloadLists.forEach((list, i) => {
    const type = WORKLOAD_TYPES[i];
    const apiVersion = type.group
      ? `${type.group}/${type.version}`
      : type.version;
    for (const item of list.items) {
      const object = toLabelledObject(item, type.kind, apiVersion);
      if (object) objects.push(object);
    }
  });
  const byUid = new Map<string, OwnedObject>();
  for (const object of objects) if (object.uid) byUid.set(object.uid, object);
  const lookup = (uid: string) => byUid.get(uid);

  const results: PolicyResult[] = [];
  reportLists.forEach((list, i) => {
    const type = reportTypes[i];
    for (const report of list.items) {
      // Lists of custom resources may omit apiVersion/kind on items.
      const withType = {
        ...report,
        apiVersion: report.apiVersion ?? `${type.group}/${type.version}`,
        kind: report.kind ?? type.kind,
      };
      for (const result of normalizeReport(withType, cluster.name, lookup)) {
        results.push(result);
      }
    }
  });

  const namespaceTeams = new Map<string, string>();
  for (const namespace of namespaces.items) {
    const owner = namespace.metadata?.labels?.owner;
    if (namespace.metadata?.name && owner) {
      namespaceTeams.set(namespace.metadata.name, owner);
    }
  }

  // Ownership was only needed to roll results up; keep the labels, drop the rest.
  const labelled: LabelledObject[] = objects.map(
    ({ ownerReferences: _ownerReferences, ...object }) => object,
  );
  return {
    results,
    objects: labelled,
    namespaceTeams,
    policies: policies.items,
  };
}
