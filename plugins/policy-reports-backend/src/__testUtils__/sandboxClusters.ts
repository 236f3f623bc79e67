import {
  ClusterStore,
  KubeApiServer,
  type KubeObject,
} from '@internal/sandbox';

/** The bearer token of the test sandboxes. */
export const SANDBOX_TOKEN = 'policy-reports-test-token';

const TIMESTAMP = { seconds: 1767225600, nanos: 0 };

export function result(
  policy: string,
  rule: string,
  outcome: string,
  severity: string,
  message = `${policy}/${rule}: ${outcome}`,
) {
  return {
    policy,
    rule,
    result: outcome,
    severity,
    category: 'Best Practices',
    message,
    scored: true,
    source: 'kyverno',
    timestamp: TIMESTAMP,
  };
}

export function report(
  apiVersion: string,
  kind: string,
  resource: KubeObject,
  results: ReturnType<typeof result>[],
): KubeObject {
  const { name, namespace, uid } = resource.metadata;
  return {
    apiVersion,
    kind,
    metadata: {
      name: uid!,
      ...(namespace ? { namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
    },
    scope: {
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      name,
      ...(namespace ? { namespace } : {}),
      uid,
    },
    results,
  };
}

export function namespaceObject(name: string, owner: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: `ns-${name}`, labels: { owner } },
  };
}

export function deployment(
  name: string,
  ns: string,
  labels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, uid: `deploy-${name}`, labels },
  };
}

/**
 * The primary cluster: team-a (owned by payments) runs `web`, whose Pod and
 * ReplicaSet carry reports that only owner roll-up connects to the entity
 * (the Pod lacks the entity's label); team-b (owned by search) runs `api`,
 * reported through openreports.io; team-a's Namespace has a
 * ClusterPolicyReport. The ClusterPolicy `disallow-latest-tag` is installed.
 */
export function primaryClusterObjects(): KubeObject[] {
  const teamA = namespaceObject('team-a', 'payments');
  const teamB = namespaceObject('team-b', 'search');
  const web = deployment('web', 'team-a', {
    'backstage.io/kubernetes-id': 'web',
    'app.kubernetes.io/name': 'web',
  });
  const webReplicaSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'web-5d8f',
      namespace: 'team-a',
      uid: 'rs-web-5d8f',
      labels: { 'app.kubernetes.io/name': 'web', 'pod-template-hash': '5d8f' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: 'deploy-web',
          controller: true,
        },
      ],
    },
  };
  const webPod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-5d8f-x1',
      namespace: 'team-a',
      uid: 'pod-web-5d8f-x1',
      labels: { 'app.kubernetes.io/name': 'web', 'pod-template-hash': '5d8f' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-5d8f',
          uid: 'rs-web-5d8f',
          controller: true,
        },
      ],
    },
  };
  const api = deployment('api', 'team-b', { 'app.kubernetes.io/name': 'api' });
  return [
    teamA,
    teamB,
    web,
    webReplicaSet,
    webPod,
    api,
    report('wgpolicyk8s.io/v1alpha2', 'PolicyReport', webPod, [
      result(
        'disallow-latest-tag',
        'require-image-tag',
        'fail',
        'medium',
        'An image tag is required.',
      ),
      result('require-requests-limits', 'validate-resources', 'pass', 'medium'),
    ]),
    report('wgpolicyk8s.io/v1alpha2', 'PolicyReport', webReplicaSet, [
      result('require-workload-labels', 'check-labels', 'warn', 'low'),
    ]),
    report('openreports.io/v1alpha1', 'Report', api, [
      result(
        'disallow-privileged-containers',
        'privileged-containers',
        'fail',
        'high',
      ),
      result('disallow-latest-tag', 'require-image-tag', 'pass', 'medium'),
    ]),
    report('wgpolicyk8s.io/v1alpha2', 'ClusterPolicyReport', teamA, [
      result(
        'require-namespace-labels',
        'check-namespace-labels',
        'fail',
        'high',
      ),
    ]),
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: 'disallow-latest-tag',
        annotations: {
          'policies.kyverno.io/title': 'Disallow Latest Tag',
          'policies.kyverno.io/severity': 'medium',
          'policies.kyverno.io/category': 'Best Practices',
          'policies.kyverno.io/description': 'Images must be pinned.',
        },
      },
      spec: {
        validationFailureAction: 'Enforce',
        rules: [{ name: 'require-image-tag' }],
      },
    },
  ];
}

/** The secondary cluster: team `billing` runs `billing`, which uses a latest tag. */
export function secondaryClusterObjects(): KubeObject[] {
  const billing = deployment('billing', 'billing', {
    'backstage.io/kubernetes-id': 'billing',
  });
  return [
    namespaceObject('billing', 'billing'),
    billing,
    report('wgpolicyk8s.io/v1alpha2', 'PolicyReport', billing, [
      result(
        'disallow-latest-tag',
        'autogen-require-image-tag',
        'fail',
        'medium',
      ),
    ]),
  ];
}

/** A real sandbox Kubernetes API on a free port, holding `objects` in `store`, which tests change. */
export async function startSandboxCluster(
  objects: KubeObject[],
  options: { openReports: boolean },
): Promise<KubeApiServer & { store: ClusterStore }> {
  const store = new ClusterStore();
  objects.forEach(object => store.apply(object));
  const server = new KubeApiServer({
    store,
    token: SANDBOX_TOKEN,
    port: 0,
    openReports: options.openReports,
  });
  await server.start();
  return Object.assign(server, { store });
}
