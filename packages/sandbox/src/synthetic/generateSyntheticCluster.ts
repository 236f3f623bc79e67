import type { KubernetesObject } from '@internal/kube-model';
import type { ClusterStore } from '../store';
import { seededRandom, seededSuffix, seededUuid } from './random';

/** The size of a synthetic cluster (`--scale nodes=N,namespaces=M,pods=P,reports=R`). */
export interface SyntheticScale {
  nodes: number;
  namespaces: number;
  pods: number;
  reports: number;
}

/** Thrown for a malformed `--scale` value. */
export class ScaleSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaleSpecError';
  }
}

/** Parses `nodes=3,namespaces=10,pods=300,reports=100`; missing keys get small defaults. */
export function parseScaleSpec(spec: string): SyntheticScale {
  const scale: SyntheticScale = {
    nodes: 3,
    namespaces: 5,
    pods: 50,
    reports: 0,
  };
  for (const part of spec.split(',').filter(Boolean)) {
    const [key, value] = part.split('=');
    if (!(key in scale) || !/^\d+$/.test(value ?? '')) {
      throw new ScaleSpecError(
        `bad --scale entry "${part}": expected nodes=N,namespaces=M,pods=P,reports=R with whole numbers`,
      );
    }
    scale[key as keyof SyntheticScale] = Number(value);
  }
  if (scale.nodes < 1 || scale.namespaces < 1) {
    throw new ScaleSpecError(
      '--scale needs at least one node and one namespace',
    );
  }
  return scale;
}

const POLICIES = [
  {
    name: 'require-labels',
    rule: 'check-workload-labels',
    category: 'Best Practices',
    severity: 'medium',
    failRate: 0.3,
  },
  {
    name: 'disallow-privileged-containers',
    rule: 'privileged-containers',
    category: 'Pod Security Standards (Baseline)',
    severity: 'high',
    failRate: 0.05,
  },
  {
    name: 'require-requests-limits',
    rule: 'validate-resources',
    category: 'Best Practices',
    severity: 'medium',
    failRate: 0.15,
  },
  {
    name: 'disallow-latest-tag',
    rule: 'validate-image-tag',
    category: 'Best Practices',
    severity: 'medium',
    failRate: 0.1,
  },
];

const TEAMS = [
  'payments',
  'search',
  'checkout',
  'identity',
  'catalog',
  'billing',
  'shipping',
  'notifications',
];
const PODS_PER_DEPLOYMENT = 3;

function timestamp(offsetSeconds: number): string {
  // Fixed base time so repeated runs produce identical objects.
  return new Date(Date.UTC(2026, 0, 1) + offsetSeconds * 1000)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
}

function nodes(
  count: number,
  podCount: number,
  random: () => number,
): KubernetesObject[] {
  // Size workers for the pods they will carry, so `kubectl top nodes` shows plausible percentages.
  const podsPerWorker = Math.ceil(podCount / Math.max(1, count - 1));
  const cores = Math.max(8, Math.ceil(podsPerWorker * 0.25));
  const memoryGi = Math.max(32, Math.ceil(podsPerWorker * 0.25));
  const maxPods = String(Math.max(110, Math.ceil(podsPerWorker * 1.2)));
  return Array.from({ length: count }, (_, i) => {
    const workerRole = i % 2 === 1 ? 'apps' : 'infra';
    const role = i === 0 ? 'control-plane' : workerRole;
    const name =
      i === 0
        ? 'control-plane'
        : `worker-${role}-${String(i).padStart(3, '0')}`;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        uid: seededUuid(random),
        creationTimestamp: timestamp(0),
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          ...(role === 'control-plane'
            ? { 'node-role.kubernetes.io/control-plane': '' }
            : { role }),
        },
      },
      spec:
        role === 'control-plane'
          ? {
              taints: [
                {
                  key: 'node-role.kubernetes.io/control-plane',
                  effect: 'NoSchedule',
                },
              ],
            }
          : {},
      status: {
        capacity: {
          cpu: String(cores),
          memory: `${memoryGi}Gi`,
          pods: maxPods,
        },
        allocatable: {
          cpu: `${cores * 1000 - 200}m`,
          memory: `${memoryGi - 1}Gi`,
          pods: maxPods,
        },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            lastTransitionTime: timestamp(0),
          },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.31.0',
          osImage: 'sandbox',
          architecture: 'amd64',
          operatingSystem: 'linux',
        },
      },
    };
  });
}

/**
 * Fills `store` with a deterministic synthetic cluster for benchmarks: nodes (one tainted control
 * plane, then alternating apps/infra workers), team namespaces, Deployments of three pods with
 * their ReplicaSets spread round-robin over namespaces and workers, one ArgoCD Application per
 * namespace, the Kyverno ClusterPolicies, and `reports` PolicyReports (one per pod, as Kyverno
 * writes them) with pass/fail results.
 */
export function generateSyntheticCluster(
  store: ClusterStore,
  scale: SyntheticScale,
): void {
  const random = seededRandom(42);
  const nodeObjects = nodes(scale.nodes, scale.pods, random);
  nodeObjects.forEach(n => store.apply(n));
  const workers = nodeObjects.length > 1 ? nodeObjects.slice(1) : nodeObjects;

  const namespaces = Array.from({ length: scale.namespaces }, (_, i) => {
    const team = TEAMS[i % TEAMS.length];
    return { name: `team-${team}-${String(i).padStart(3, '0')}`, team };
  });
  for (const ns of [{ name: 'argocd', team: 'platform' }, ...namespaces]) {
    store.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns.name,
        uid: seededUuid(random),
        creationTimestamp: timestamp(60),
        labels: {
          'app.kubernetes.io/part-of': 'idp',
          owner: ns.team,
          'business-unit': 'retail',
          environment: 'dev',
        },
      },
      status: { phase: 'Active' },
    });
  }

  for (const policy of POLICIES) {
    store.apply({
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: policy.name,
        uid: seededUuid(random),
        creationTimestamp: timestamp(30),
        annotations: {
          'policies.kyverno.io/severity': policy.severity,
          'policies.kyverno.io/category': policy.category,
        },
      },
      spec: {
        validationFailureAction: 'Audit',
        background: true,
        rules: [{ name: policy.rule }],
      },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded' }],
      },
    });
  }

  namespaces.forEach((ns, i) => {
    store.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: ns.name,
        namespace: 'argocd',
        uid: seededUuid(random),
        creationTimestamp: timestamp(120),
        labels: { 'backstage-name': ns.name, team: ns.team },
      },
      spec: {
        project: ns.team,
        source: {
          repoURL: 'file:///sandbox/gitops.git',
          path: `K8s/apps/${ns.team}/${ns.name}`,
          targetRevision: 'HEAD',
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: ns.name,
        },
      },
      status: {
        sync: {
          status: i % 17 === 5 ? 'OutOfSync' : 'Synced',
          revision: '0'.repeat(40),
        },
        health: { status: i % 23 === 7 ? 'Degraded' : 'Healthy' },
      },
    });
  });

  const deployments = Math.ceil(scale.pods / PODS_PER_DEPLOYMENT);
  const pods: KubernetesObject[] = [];
  for (let d = 0; d < deployments; d++) {
    const ns = namespaces[d % namespaces.length];
    const name = `svc-${String(d).padStart(5, '0')}`;
    const replicas = Math.min(
      PODS_PER_DEPLOYMENT,
      scale.pods - d * PODS_PER_DEPLOYMENT,
    );
    const labels = {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/instance': ns.name,
      'backstage.io/kubernetes-id': name,
      owner: ns.team,
    };
    const container = {
      name: 'app',
      image: `registry.example.com/${ns.team}/${name}:1.${d % 10}.0`,
      resources: {
        requests: {
          cpu: `${50 + (d % 5) * 50}m`,
          memory: `${64 * (1 + (d % 4))}Mi`,
        },
        limits: { cpu: '1', memory: '1Gi' },
      },
    };
    const deploymentUid = seededUuid(random);
    const hash = seededSuffix(random, 10);
    const rsName = `${name}-${hash}`;
    const rsUid = seededUuid(random);
    const status = {
      replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      updatedReplicas: replicas,
      observedGeneration: 1,
    };
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace: ns.name,
        uid: deploymentUid,
        creationTimestamp: timestamp(300),
        labels,
      },
      spec: {
        replicas,
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: { metadata: { labels }, spec: { containers: [container] } },
      },
      status,
    });
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: ns.name,
        uid: rsUid,
        creationTimestamp: timestamp(300),
        labels: { ...labels, 'pod-template-hash': hash },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name,
            uid: deploymentUid,
            controller: true,
          },
        ],
      },
      spec: {
        replicas,
        selector: {
          matchLabels: {
            'app.kubernetes.io/name': name,
            'pod-template-hash': hash,
          },
        },
      },
      status: {
        replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
      },
    });
    for (let r = 0; r < replicas; r++) {
      const podIndex = d * PODS_PER_DEPLOYMENT + r;
      const node = workers[podIndex % workers.length];
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${rsName}-${seededSuffix(random, 5)}`,
          namespace: ns.name,
          uid: seededUuid(random),
          creationTimestamp: timestamp(310),
          labels: { ...labels, 'pod-template-hash': hash },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rsName,
              uid: rsUid,
              controller: true,
            },
          ],
        },
        spec: {
          nodeName: node.metadata.name,
          priorityClassName: 'user-workloads',
          containers: [container],
        },
        status: {
          phase: 'Running',
          podIP: `10.${(podIndex >> 16) & 255}.${(podIndex >> 8) & 255}.${
            podIndex & 255
          }`,
          startTime: timestamp(310),
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [
            {
              name: 'app',
              ready: true,
              restartCount: 0,
              image: container.image,
              state: { running: { startedAt: timestamp(312) } },
            },
          ],
        },
      });
    }
  }
  pods.forEach(p => store.apply(p));

  for (let i = 0; i < Math.min(scale.reports, pods.length); i++) {
    store.apply(policyReportFor(pods[i], random));
  }
}

function policyReportFor(
  pod: KubernetesObject,
  random: () => number,
): KubernetesObject {
  const results = POLICIES.map(policy => {
    const failed = random() < policy.failRate;
    return {
      policy: policy.name,
      rule: policy.rule,
      result: failed ? 'fail' : 'pass',
      severity: policy.severity,
      category: policy.category,
      message: failed
        ? `validation error: rule ${policy.rule} failed for Pod ${pod.metadata.name}`
        : `validation rule '${policy.rule}' passed.`,
      properties: {},
      scored: true,
      source: 'kyverno',
      resources: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          name: pod.metadata.name,
          namespace: pod.metadata.namespace,
          uid: pod.metadata.uid,
        },
      ],
      timestamp: {
        seconds: Math.floor(Date.UTC(2026, 0, 1) / 1000) + 400,
        nanos: 0,
      },
    };
  });
  const count = (r: string) => results.filter(x => x.result === r).length;
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: {
      name: pod.metadata.uid!,
      namespace: pod.metadata.namespace,
      uid: seededUuid(random),
      creationTimestamp: timestamp(400),
      labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          name: pod.metadata.name,
          uid: pod.metadata.uid!,
        },
      ],
    },
    scope: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      uid: pod.metadata.uid,
    },
    results,
    summary: {
      pass: count('pass'),
      fail: count('fail'),
      warn: 0,
      error: 0,
      skip: 0,
    },
  };
}
