/** One servable resource type, as discovery announces it. */
export interface ResourceType {
  /** `` for the core group. */
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  /**
   * Where the objects come from: the store (default), or computed from pods/nodes (the metrics
   * API has no stored objects).
   */
  source?: 'store' | 'pod-metrics' | 'node-metrics';
}

/** Options that change which resource types are served. */
export interface ResourceRegistryOptions {
  /** Serve openreports.io/v1alpha1 reports and clusterreports. */
  openReports: boolean;
}

const READ_AND_WATCH = ['get', 'list', 'watch'];
// metrics.k8s.io has no watch (metrics-server serves get and list only).
const READ = ['get', 'list'];

function def(
  groupVersion: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  const [group, version] = groupVersion.includes('/')
    ? groupVersion.split('/')
    : ['', groupVersion];
  return {
    group,
    version,
    plural,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
    verbs: READ_AND_WATCH,
    ...extra,
  };
}

const BASE_RESOURCES: ResourceType[] = [
  def('v1', 'namespaces', 'Namespace', false, { shortNames: ['ns'] }),
  def('v1', 'nodes', 'Node', false, { shortNames: ['no'] }),
  def('v1', 'pods', 'Pod', true, { shortNames: ['po'], categories: ['all'] }),
  def('v1', 'services', 'Service', true, {
    shortNames: ['svc'],
    categories: ['all'],
  }),
  def('v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  def('v1', 'limitranges', 'LimitRange', true, { shortNames: ['limits'] }),
  def('v1', 'resourcequotas', 'ResourceQuota', true, { shortNames: ['quota'] }),
  def('v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  def('v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  def('v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, {
    shortNames: ['pvc'],
  }),
  def('apps/v1', 'deployments', 'Deployment', true, {
    shortNames: ['deploy'],
    categories: ['all'],
  }),
  def('apps/v1', 'replicasets', 'ReplicaSet', true, {
    shortNames: ['rs'],
    categories: ['all'],
  }),
  def('apps/v1', 'statefulsets', 'StatefulSet', true, {
    shortNames: ['sts'],
    categories: ['all'],
  }),
  def('apps/v1', 'daemonsets', 'DaemonSet', true, {
    shortNames: ['ds'],
    categories: ['all'],
  }),
  def(
    'autoscaling/v2',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
    true,
    { shortNames: ['hpa'], categories: ['all'] },
  ),
  def('batch/v1', 'jobs', 'Job', true, { categories: ['all'] }),
  def('batch/v1', 'cronjobs', 'CronJob', true, {
    shortNames: ['cj'],
    categories: ['all'],
  }),
  def('networking.k8s.io/v1', 'ingresses', 'Ingress', true, {
    shortNames: ['ing'],
  }),
  def('networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy', true, {
    shortNames: ['netpol'],
  }),
  def('scheduling.k8s.io/v1', 'priorityclasses', 'PriorityClass', false, {
    shortNames: ['pc'],
  }),
  def('rbac.authorization.k8s.io/v1', 'roles', 'Role', true),
  def('rbac.authorization.k8s.io/v1', 'rolebindings', 'RoleBinding', true),
  def('rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole', false),
  def(
    'rbac.authorization.k8s.io/v1',
    'clusterrolebindings',
    'ClusterRoleBinding',
    false,
  ),
  def('policy/v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, {
    shortNames: ['pdb'],
  }),
  def('metrics.k8s.io/v1beta1', 'pods', 'PodMetrics', true, {
    source: 'pod-metrics',
    verbs: READ,
  }),
  def('metrics.k8s.io/v1beta1', 'nodes', 'NodeMetrics', false, {
    source: 'node-metrics',
    verbs: READ,
  }),
  def('wgpolicyk8s.io/v1alpha2', 'policyreports', 'PolicyReport', true, {
    shortNames: ['polr'],
  }),
  def(
    'wgpolicyk8s.io/v1alpha2',
    'clusterpolicyreports',
    'ClusterPolicyReport',
    false,
    { shortNames: ['cpolr'] },
  ),
  def('kyverno.io/v1', 'clusterpolicies', 'ClusterPolicy', false, {
    shortNames: ['cpol'],
    categories: ['kyverno'],
  }),
  def('kyverno.io/v1', 'policies', 'Policy', true, {
    shortNames: ['pol'],
    categories: ['kyverno'],
  }),
  def('argoproj.io/v1alpha1', 'applications', 'Application', true, {
    shortNames: ['app', 'apps'],
  }),
  def('argoproj.io/v1alpha1', 'applicationsets', 'ApplicationSet', true, {
    shortNames: ['appset', 'appsets'],
  }),
  def('argoproj.io/v1alpha1', 'appprojects', 'AppProject', true, {
    shortNames: ['appproj', 'appprojs'],
  }),
  def('gateway.networking.k8s.io/v1', 'httproutes', 'HTTPRoute', true),
  def(
    'external-secrets.io/v1beta1',
    'externalsecrets',
    'ExternalSecret',
    true,
    { shortNames: ['es'] },
  ),
  def('monitoring.coreos.com/v1', 'servicemonitors', 'ServiceMonitor', true, {
    shortNames: ['smon'],
  }),
];

const OPEN_REPORTS: ResourceType[] = [
  def('openreports.io/v1alpha1', 'reports', 'Report', true, {
    shortNames: ['rep'],
  }),
  def('openreports.io/v1alpha1', 'clusterreports', 'ClusterReport', false, {
    shortNames: ['crep'],
  }),
];

/** `apps/v1` or `v1`. */
export function groupVersionOf(
  r: Pick<ResourceType, 'group' | 'version'>,
): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The resource types the sandbox serves, with lookups by group version and plural. */
export class ResourceRegistry {
  readonly resources: readonly ResourceType[];

  constructor(options: ResourceRegistryOptions) {
    this.resources = options.openReports
      ? [...BASE_RESOURCES, ...OPEN_REPORTS]
      : BASE_RESOURCES;
  }

  /** The resource type served at `/api/{version}` or `/apis/{group}/{version}` as `plural`. */
  find(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.resources.find(
      r => r.group === group && r.version === version && r.plural === plural,
    );
  }

  /** All resource types of one group version (empty when the group version is not served). */
  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.resources.filter(
      r => r.group === group && r.version === version,
    );
  }

  /** The served API groups (excluding core) with their versions, in table order. */
  groups(): Array<{ name: string; versions: string[] }> {
    const groups = new Map<string, string[]>();
    for (const r of this.resources) {
      if (!r.group) continue;
      const versions = groups.get(r.group) ?? [];
      if (!versions.includes(r.version)) versions.push(r.version);
      groups.set(r.group, versions);
    }
    return [...groups].map(([name, versions]) => ({ name, versions }));
  }
}
