import { createHash } from 'node:crypto';
import {
  quantityMilliValue,
  quantityValue,
  type KubernetesObject,
} from '@internal/kube-model';
import type { ClusterStore } from '../store';

type Obj = Record<string, any>;

// A stable fraction in [0.3, 0.8) per name: usage looks alive but every run prints the same.
function loadFactor(seed: string): number {
  const n = createHash('sha1').update(seed).digest().readUInt32BE(0);
  return 0.3 + (n / 0xffffffff) * 0.5;
}

const DEFAULT_CPU_MILLIS = 10;
const DEFAULT_MEMORY_BYTES = 32 * 1024 ** 2;

function containerUsage(podKey: string, container: Obj) {
  const factor = loadFactor(`${podKey}/${container.name}`);
  const cpu =
    quantityMilliValue(container.resources?.requests?.cpu) ??
    DEFAULT_CPU_MILLIS;
  const memory =
    quantityValue(container.resources?.requests?.memory) ??
    DEFAULT_MEMORY_BYTES;
  return {
    cpuMillis: Math.max(1, Math.round(cpu * factor)),
    memoryKi: Math.max(1, Math.round((memory * factor) / 1024)),
  };
}

const isRunning = (pod: Obj) => pod.status?.phase === 'Running';

/**
 * PodMetrics (metrics.k8s.io/v1beta1) for running pods: each container uses a deterministic
 * 30–80 % of its requests (10m CPU / 32Mi when it requests nothing).
 */
export function podMetrics(
  store: ClusterStore,
  namespace: string | undefined,
  labelSelector?: string,
): KubernetesObject[] {
  const now = new Date().toISOString();
  return store
    .listShared({ kind: 'Pod', apiVersion: 'v1', namespace, labelSelector })
    .filter(isRunning)
    .map(pod => ({
      kind: 'PodMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {
        name: pod.metadata.name,
        namespace: pod.metadata.namespace,
        creationTimestamp: now,
        labels: pod.metadata.labels,
      },
      timestamp: now,
      window: '30s',
      containers: ((pod as Obj).spec?.containers ?? []).map((c: Obj) => {
        const usage = containerUsage(
          `${pod.metadata.namespace}/${pod.metadata.name}`,
          c,
        );
        return {
          name: c.name,
          usage: { cpu: `${usage.cpuMillis}m`, memory: `${usage.memoryKi}Ki` },
        };
      }),
    }));
}

/** NodeMetrics: the sum of the running pods on each Ready node plus a fixed system overhead. */
export function nodeMetrics(
  store: ClusterStore,
  labelSelector?: string,
): KubernetesObject[] {
  const now = new Date().toISOString();
  const totals = new Map<string, { cpuMillis: number; memoryKi: number }>();
  for (const pod of store.listShared({ kind: 'Pod', apiVersion: 'v1' })) {
    const node = (pod as Obj).spec?.nodeName;
    if (!node || !isRunning(pod)) continue;
    const total = totals.get(node) ?? { cpuMillis: 100, memoryKi: 512 * 1024 };
    for (const c of (pod as Obj).spec?.containers ?? []) {
      const usage = containerUsage(
        `${pod.metadata.namespace}/${pod.metadata.name}`,
        c,
      );
      total.cpuMillis += usage.cpuMillis;
      total.memoryKi += usage.memoryKi;
    }
    totals.set(node, total);
  }
  return store
    .listShared({ kind: 'Node', apiVersion: 'v1', labelSelector })
    .filter(node =>
      ((node as Obj).status?.conditions ?? []).some(
        (c: Obj) => c.type === 'Ready' && c.status === 'True',
      ),
    )
    .map(node => {
      const total = totals.get(node.metadata.name) ?? {
        cpuMillis: 100,
        memoryKi: 512 * 1024,
      };
      return {
        kind: 'NodeMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: {
          name: node.metadata.name,
          creationTimestamp: now,
          labels: node.metadata.labels,
        },
        timestamp: now,
        window: '30s',
        usage: { cpu: `${total.cpuMillis}m`, memory: `${total.memoryKi}Ki` },
      };
    });
}
