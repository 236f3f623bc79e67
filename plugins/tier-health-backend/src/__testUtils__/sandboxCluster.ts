import {
  ClusterSimulator,
  ClusterStore,
  KubeApiServer,
  type KubeObject,
} from '@internal/sandbox';

export const TOKEN = 'tier-health-test-token';
const TOLERATE_CONTROL_PLANE = [
  {
    key: 'node-role.kubernetes.io/control-plane',
    operator: 'Exists',
    effect: 'NoSchedule',
  },
];
const PREFER_INFRA = {
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: 100,
        preference: {
          matchExpressions: [
            { key: 'role', operator: 'In', values: ['infra'] },
          ],
        },
      },
    ],
  },
};

function workload(
  kind: 'Deployment' | 'StatefulSet',
  namespace: string,
  name: string,
  id: string,
  replicas: number,
  podSpec: Record<string, unknown>,
): KubeObject {
  const labels = { 'backstage.io/kubernetes-id': id, app: name };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'main',
              image: `example/${name}:1.0.0`,
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
          ...podSpec,
        },
      },
    },
  };
}

/**
 * The three-node platform, laid out by the sandbox's own simulator (scheduler, controllers,
 * kubelets): the kubeadm control plane, ArgoCD and Prometheus preferring role=infra and
 * tolerating the control-plane taint, the payments app pinned to role=apps.
 */
export function populateThreeNodeCluster(
  store: ClusterStore,
): ClusterSimulator {
  const simulator = new ClusterSimulator({ store });
  simulator.createDefaultTopology();
  store.apply({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'platform-infrastructure' },
    value: 1000000,
  });
  store.apply({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'platform-observability' },
    value: 10000,
  });
  store.apply({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'user-workloads' },
    value: 3000,
  });
  const tier2 = { tolerations: TOLERATE_CONTROL_PLANE, affinity: PREFER_INFRA };
  store.apply(
    workload('Deployment', 'argocd', 'argocd-server', 'argocd', 2, {
      priorityClassName: 'platform-infrastructure',
      ...tier2,
    }),
  );
  store.apply(
    workload('StatefulSet', 'monitoring', 'prometheus-main', 'prometheus', 1, {
      priorityClassName: 'platform-observability',
      ...tier2,
    }),
  );
  store.apply(
    workload('Deployment', 'team-a', 'payments-api', 'payments-api', 1, {
      priorityClassName: 'user-workloads',
      nodeSelector: { role: 'apps' },
    }),
  );
  simulator.reconcileWorkloads();
  return simulator;
}

export async function startSandboxCluster() {
  const store = new ClusterStore();
  const simulator = populateThreeNodeCluster(store);
  const server = new KubeApiServer({ store, token: TOKEN, port: 0 });
  await server.start();
  return { store, simulator, server };
}

export const CATALOG_ENTITIES = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'argocd',
      title: 'Argo CD',
      annotations: {
        'backstage.io/kubernetes-id': 'argocd',
        'backstage.io/kubernetes-namespace': 'argocd',
        'idp.platform/tier': '2',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:platform-team',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'prometheus',
      title: 'Prometheus',
      annotations: {
        'backstage.io/kubernetes-id': 'prometheus',
        'idp.platform/tier': '2',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:platform-team',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:team-a' },
  },
];
