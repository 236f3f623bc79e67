import type { KubernetesObject } from '@internal/kube-model';
import type { ClusterStore } from '../../store';

const CREATED = '2026-01-01T00:00:00Z';

function node(
  name: string,
  labels: Record<string, string>,
  ready = true,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, ...labels },
      creationTimestamp: CREATED,
    },
    spec: {},
    status: {
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      nodeInfo: { kubeletVersion: 'v1.31.0' },
    },
  };
}

function pod(
  namespace: string,
  name: string,
  nodeName: string,
  labels: Record<string, string>,
  owner?: KubernetesObject,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels,
      creationTimestamp: CREATED,
      ...(owner
        ? {
            ownerReferences: [
              {
                apiVersion: owner.apiVersion,
                kind: owner.kind,
                name: owner.metadata.name,
                uid: owner.metadata.uid!,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      nodeName,
      containers: [
        {
          name: 'main',
          image: 'nginx:1.27',
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.0.0.10',
      containerStatuses: [
        {
          name: 'main',
          ready: true,
          restartCount: 1,
          state: { running: { startedAt: CREATED } },
        },
      ],
    },
  };
}

/**
 * A small cluster for API tests: three nodes, namespaces `team-a` and `team-b` with pods (team-a's
 * owned by a Deployment → ReplicaSet chain tracked by Application `payments`), a PolicyReport, a
 * ClusterPolicyReport and a ClusterPolicy.
 */
export function populateTestCluster(store: ClusterStore): void {
  store.apply(
    node('control-plane', { 'node-role.kubernetes.io/control-plane': '' }),
  );
  store.apply(node('worker-infra', { role: 'infra' }));
  store.apply(node('worker-apps', { role: 'apps' }));
  for (const ns of ['team-a', 'team-b', 'argocd']) {
    store.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, creationTimestamp: CREATED },
      status: { phase: 'Active' },
    });
  }
  const tracking = {
    'app.kubernetes.io/instance': 'payments',
    'app.kubernetes.io/name': 'payments-api',
  };
  const deployment = store.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'payments-api',
      namespace: 'team-a',
      labels: tracking,
      creationTimestamp: CREATED,
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: tracking },
      template: { metadata: { labels: tracking } },
    },
    status: {
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
    },
  });
  const replicaSet = store.apply({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'payments-api-7d9f8',
      namespace: 'team-a',
      labels: tracking,
      creationTimestamp: CREATED,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'payments-api',
          uid: deployment.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: { replicas: 2 },
    status: { replicas: 2, readyReplicas: 2 },
  });
  const podA1 = store.apply(
    pod(
      'team-a',
      'payments-api-7d9f8-abcde',
      'worker-apps',
      tracking,
      replicaSet,
    ),
  );
  store.apply(
    pod(
      'team-a',
      'payments-api-7d9f8-fghij',
      'worker-infra',
      tracking,
      replicaSet,
    ),
  );
  store.apply(
    pod('team-b', 'search-0', 'worker-apps', {
      'app.kubernetes.io/name': 'search',
    }),
  );
  store.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'payments-api',
      namespace: 'team-a',
      labels: tracking,
      creationTimestamp: CREATED,
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.20',
      ports: [{ port: 80, protocol: 'TCP' }],
    },
  });
  store.apply({
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: {
      name: podA1.metadata.uid!,
      namespace: 'team-a',
      labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
      creationTimestamp: CREATED,
    },
    scope: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: podA1.metadata.name,
      namespace: 'team-a',
      uid: podA1.metadata.uid,
    },
    results: [
      {
        policy: 'require-labels',
        rule: 'check-labels',
        result: 'fail',
        severity: 'medium',
        category: 'Best Practices',
        message: 'label owner is required',
        scored: true,
        source: 'kyverno',
        timestamp: { seconds: 1767225600, nanos: 0 },
      },
      {
        policy: 'disallow-latest-tag',
        rule: 'validate-image-tag',
        result: 'pass',
        severity: 'medium',
        category: 'Best Practices',
        message: 'passed',
        scored: true,
        source: 'kyverno',
        timestamp: { seconds: 1767225600, nanos: 0 },
      },
    ],
    summary: { pass: 1, fail: 1, warn: 0, error: 0, skip: 0 },
  });
  store.apply({
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'ClusterPolicyReport',
    metadata: {
      name: 'ns-team-a',
      creationTimestamp: CREATED,
      labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
    },
    scope: { apiVersion: 'v1', kind: 'Namespace', name: 'team-a' },
    results: [],
    summary: { pass: 4, fail: 0, warn: 0, error: 0, skip: 0 },
  });
  store.apply({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'require-labels', creationTimestamp: CREATED },
    spec: { background: true, validationFailureAction: 'Audit' },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  });
  store.apply({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'payments',
      namespace: 'argocd',
      labels: { 'backstage-name': 'payments', team: 'a' },
      creationTimestamp: CREATED,
    },
    spec: {
      project: 'team-a',
      source: {
        repoURL: 'file:///gitops.git',
        path: 'K8s/apps/team-a/payments',
      },
      destination: { namespace: 'team-a' },
    },
    status: {
      sync: { status: 'Synced', revision: 'abc123' },
      health: { status: 'Healthy' },
    },
  });
}
