import type { KubernetesObject } from '@internal/kube-model';
import { parseCpuMillis, parseMemoryBytes } from './quantity';

/** The parts of a container spec the simulator reads. */
export interface ContainerSpec {
  name: string;
  image?: string;
  resources?: {
    requests?: Record<string, string | number>;
    limits?: Record<string, string | number>;
  };
  [k: string]: unknown;
}

/** A toleration as it appears in `Pod.spec.tolerations`. */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal' | string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** A node selector requirement (`matchExpressions` entry). */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | string;
  values?: string[];
}

/** A node selector term: all expressions must match. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** The parts of a pod spec the simulator reads and writes. */
export interface PodSpec {
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  priority?: number;
  priorityClassName?: string;
  restartPolicy?: string;
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: {
        nodeSelectorTerms?: NodeSelectorTerm[];
      };
      preferredDuringSchedulingIgnoredDuringExecution?: Array<{
        weight: number;
        preference: NodeSelectorTerm;
      }>;
    };
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** CPU (millicores) and memory (bytes) a pod asks for. */
export interface ResourceAmounts {
  cpu: number;
  memory: number;
}

/** Per-container defaults from a namespace's LimitRange (`type: Container`). */
export interface ContainerDefaults {
  defaultRequest?: Record<string, string | number>;
  default?: Record<string, string | number>;
}

/** The pod spec of a Pod object (empty when missing). */
export function podSpecOf(pod: KubernetesObject): PodSpec {
  return (pod.spec as PodSpec | undefined) ?? {};
}

function containerAmount(
  container: ContainerSpec,
  resource: 'cpu' | 'memory',
  defaults: ContainerDefaults | undefined,
): number {
  // The API server defaults requests to limits, and LimitRange admission fills in the rest.
  const value =
    container.resources?.requests?.[resource] ??
    container.resources?.limits?.[resource] ??
    defaults?.defaultRequest?.[resource] ??
    defaults?.default?.[resource];
  return resource === 'cpu' ? parseCpuMillis(value) : parseMemoryBytes(value);
}

/**
 * What the scheduler reserves for a pod: the sum over its containers, or the largest init
 * container when that is bigger (init containers run one at a time before the others).
 *
 * @param spec - the pod spec
 * @param defaults - LimitRange container defaults of the pod's namespace
 */
export function podRequests(
  spec: PodSpec,
  defaults?: ContainerDefaults,
): ResourceAmounts {
  const sum = (resource: 'cpu' | 'memory') =>
    (spec.containers ?? []).reduce(
      (n, c) => n + containerAmount(c, resource, defaults),
      0,
    );
  const maxInit = (resource: 'cpu' | 'memory') =>
    (spec.initContainers ?? []).reduce(
      (n, c) => Math.max(n, containerAmount(c, resource, defaults)),
      0,
    );
  return {
    cpu: Math.max(sum('cpu'), maxInit('cpu')),
    memory: Math.max(sum('memory'), maxInit('memory')),
  };
}

/**
 * The pod's QoS class as the kubelet computes it.
 *
 * @param spec - the pod spec
 */
export function qosClass(
  spec: PodSpec,
): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [
    ...(spec.containers ?? []),
    ...(spec.initContainers ?? []),
  ];
  const hasAny = containers.some(
    c =>
      Object.keys(c.resources?.requests ?? {}).length > 0 ||
      Object.keys(c.resources?.limits ?? {}).length > 0,
  );
  if (!hasAny) return 'BestEffort';
  const guaranteed = containers.every(c =>
    (['cpu', 'memory'] as const).every(resource => {
      const limit = c.resources?.limits?.[resource];
      const request = c.resources?.requests?.[resource] ?? limit;
      return limit !== undefined && String(limit) === String(request);
    }),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
