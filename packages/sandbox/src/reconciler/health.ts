import type { KubernetesObject } from '@internal/kube-model';

/** ArgoCD health statuses. */
export type HealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/** ArgoCD's ordering: an Application is as healthy as its least healthy resource. */
const HEALTH_ORDER: HealthStatus[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

/** The worse of two health statuses. */
export function worseHealth(a: HealthStatus, b: HealthStatus): HealthStatus {
  return HEALTH_ORDER.indexOf(a) >= HEALTH_ORDER.indexOf(b) ? a : b;
}

/** A resource's health with ArgoCD's explanation. */
export interface ResourceHealth {
  status: HealthStatus;
  message?: string;
}

type PodStatus = {
  phase?: string;
  conditions?: Array<{
    type: string;
    status: string;
    reason?: string;
    message?: string;
  }>;
  containerStatuses?: Array<{
    name: string;
    ready?: boolean;
    state?: { waiting?: { reason?: string; message?: string } };
  }>;
};

/** Kinds ArgoCD has a built-in health check for and that are not reported Healthy by default. */
const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
]);

function podProblem(pods: KubernetesObject[]): ResourceHealth | undefined {
  for (const pod of pods) {
    const status = (pod.status ?? {}) as PodStatus;
    const crashing = status.containerStatuses?.find(
      c => c.state?.waiting?.reason === 'CrashLoopBackOff',
    );
    if (crashing) {
      return {
        status: 'Degraded',
        message: `Pod ${pod.metadata.name}: back-off restarting failed container ${crashing.name}`,
      };
    }
  }
  for (const pod of pods) {
    const status = (pod.status ?? {}) as PodStatus;
    if (status.phase === 'Pending') {
      const scheduled = status.conditions?.find(
        c => c.type === 'PodScheduled' && c.status === 'False',
      );
      return {
        status: 'Progressing',
        message: `Pod ${pod.metadata.name} is Pending${
          scheduled?.message ? `: ${scheduled.message}` : ''
        }`,
      };
    }
  }
  return undefined;
}

/**
 * The health ArgoCD would assess for one live resource; undefined for kinds without a health
 * check (ConfigMaps, RBAC, ...), which do not count towards the Application's health.
 *
 * @param obj - the live object (undefined when it should exist but does not → Missing)
 * @param pods - the pods the resource owns (directly or through ReplicaSets)
 */
export function resourceHealth(
  obj: KubernetesObject | undefined,
  pods: KubernetesObject[],
): ResourceHealth | undefined {
  if (!obj) return { status: 'Missing' };
  const status = (obj.status ?? {}) as Record<
    string,
    number | string | undefined | unknown[]
  >;
  const spec = (obj.spec ?? {}) as {
    replicas?: number;
    paused?: boolean;
    suspend?: boolean;
  };
  if (WORKLOAD_KINDS.has(obj.kind)) {
    if (spec.paused)
      return { status: 'Suspended', message: 'Deployment is paused' };
    const problem = podProblem(pods);
    if (problem?.status === 'Degraded') return problem;
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const desired =
      obj.kind === 'DaemonSet'
        ? Number(status.desiredNumberScheduled ?? 0)
        : replicas;
    const available =
      obj.kind === 'DaemonSet'
        ? Number(status.numberAvailable ?? 0)
        : Number(status.availableReplicas ?? 0);
    if (available >= desired && !problem) return { status: 'Healthy' };
    return (
      problem ?? {
        status: 'Progressing',
        message: `Waiting for rollout to finish: ${available} of ${desired} replicas are available...`,
      }
    );
  }
  switch (obj.kind) {
    case 'Pod': {
      const podStatus = status as PodStatus;
      if (podStatus.phase === 'Succeeded') return { status: 'Healthy' };
      if (podStatus.phase === 'Failed') return { status: 'Degraded' };
      return (
        podProblem([obj]) ??
        (podStatus.phase === 'Running'
          ? { status: 'Healthy' }
          : { status: 'Progressing' })
      );
    }
    case 'Job': {
      if (spec.suspend) return { status: 'Suspended' };
      const conditions = (status.conditions ?? []) as Array<{
        type: string;
        status: string;
        message?: string;
      }>;
      if (conditions.some(c => c.type === 'Failed' && c.status === 'True'))
        return { status: 'Degraded' };
      if (conditions.some(c => c.type === 'Complete' && c.status === 'True'))
        return { status: 'Healthy', message: 'Job completed' };
      return podProblem(pods) ?? { status: 'Progressing' };
    }
    case 'CronJob':
      return spec.suspend ? { status: 'Suspended' } : { status: 'Healthy' };
    case 'PersistentVolumeClaim':
      return status.phase === 'Bound'
        ? { status: 'Healthy' }
        : { status: 'Progressing' };
    case 'Service':
    case 'Ingress':
    case 'HTTPRoute':
    case 'HorizontalPodAutoscaler':
    case 'PodDisruptionBudget':
      return { status: 'Healthy' };
    default:
      return undefined;
  }
}
