import type { KubernetesObject } from '@internal/kube-model';
import { nodeAddress } from './nodes';
import { podSpecOf, qosClass } from './podSpec';

/** What decides a pod's status besides its spec. */
export interface PodEnvironment {
  /** The node the pod is bound to (undefined when unbound or the node is gone). */
  node?: KubernetesObject;
  nodeReady: boolean;
  /** Why the scheduler could not place the pod, when unbound. */
  unschedulableMessage?: string;
  /** The pod's workload was broken through the control API. */
  crashed: boolean;
  /** Allocates the pod's IP when it has none yet. */
  allocateIp: () => string | undefined;
  /** The pod runs to completion (Job pods). */
  runsToCompletion: boolean;
  now: string;
}

type Condition = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: null;
};
type ContainerStatus = Record<string, unknown> & {
  name: string;
  restartCount?: number;
};

interface PodStatusShape {
  phase?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  startTime?: string;
  podIP?: string;
  [k: string]: unknown;
}

function keepTransitionTimes(
  next: Condition[],
  previous: Condition[] | undefined,
): Condition[] {
  return next.map(c => {
    const before = previous?.find(p => p.type === c.type);
    return before && before.status === c.status && before.lastTransitionTime
      ? { ...c, lastTransitionTime: before.lastTransitionTime }
      : c;
  });
}

/**
 * The status a kubelet (and the node lifecycle controller) would report for a pod:
 * Pending/Unschedulable when unbound, Succeeded for finished Job pods, Running otherwise;
 * crashed workloads show `CrashLoopBackOff` with a restart count that grows on every call;
 * pods on a not-ready node lose readiness.
 *
 * @param pod - the pod as stored (its previous status keeps start times and restart counts)
 * @param env - node, scheduling and crash state
 */
export function computePodStatus(
  pod: KubernetesObject,
  env: PodEnvironment,
): PodStatusShape {
  const spec = podSpecOf(pod);
  const previous = (pod.status as PodStatusShape | undefined) ?? {};
  const base = { qosClass: qosClass(spec) };
  if (!spec.nodeName || !env.node) {
    return {
      ...base,
      phase: 'Pending',
      conditions: keepTransitionTimes(
        [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: env.unschedulableMessage ?? 'waiting for the scheduler',
            lastProbeTime: null,
            lastTransitionTime: env.now,
          },
        ],
        previous.conditions,
      ),
    };
  }

  const startTime = previous.startTime ?? env.now;
  const ip = (previous.podIP as string | undefined) ?? env.allocateIp();
  const network = {
    hostIP: nodeAddress(env.node),
    podIP: ip,
    podIPs: ip ? [{ ip }] : undefined,
  };
  const previousContainers = new Map(
    (previous.containerStatuses ?? []).map(c => [c.name, c]),
  );
  const containers = spec.containers ?? [];
  const containerId = (name: string) =>
    `containerd://${pod.metadata.uid ?? pod.metadata.name}-${name}`;

  if (env.runsToCompletion) {
    const finishedAt =
      (previous.phase === 'Succeeded' &&
        previous.conditions?.[0]?.lastTransitionTime) ||
      env.now;
    return {
      ...base,
      ...network,
      phase: 'Succeeded',
      startTime,
      conditions: keepTransitionTimes(
        [
          {
            type: 'PodReadyToStartContainers',
            status: 'False',
            lastTransitionTime: env.now,
          },
          {
            type: 'Initialized',
            status: 'True',
            reason: 'PodCompleted',
            lastTransitionTime: env.now,
          },
          {
            type: 'Ready',
            status: 'False',
            reason: 'PodCompleted',
            lastTransitionTime: env.now,
          },
          {
            type: 'ContainersReady',
            status: 'False',
            reason: 'PodCompleted',
            lastTransitionTime: env.now,
          },
          { type: 'PodScheduled', status: 'True', lastTransitionTime: env.now },
        ],
        previous.conditions,
      ),
      containerStatuses: containers.map(c => ({
        name: c.name,
        image: c.image,
        imageID: c.image,
        containerID: containerId(c.name),
        ready: false,
        started: false,
        restartCount: previousContainers.get(c.name)?.restartCount ?? 0,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: startTime,
            finishedAt,
            containerID: containerId(c.name),
          },
        },
      })),
    };
  }

  const ready = env.nodeReady && !env.crashed;
  const notReadyReason = env.crashed ? 'ContainersNotReady' : 'NodeNotReady';
  const containerStatuses = containers.map(c => {
    const before = previousContainers.get(c.name);
    const restarts =
      (before?.restartCount ?? 0) + (env.crashed && env.nodeReady ? 1 : 0);
    const common = {
      name: c.name,
      image: c.image,
      imageID: c.image,
      containerID: containerId(c.name),
    };
    if (env.crashed) {
      return {
        ...common,
        ready: false,
        started: false,
        restartCount: restarts,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 5m0s restarting failed container=${c.name} pod=${
              pod.metadata.name
            }_${pod.metadata.namespace}(${pod.metadata.uid ?? ''})`,
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            finishedAt: env.now,
            containerID: containerId(c.name),
          },
        },
      };
    }
    const running =
      before?.state && (before.state as { running?: unknown }).running;
    return {
      ...common,
      ready,
      started: true,
      restartCount: restarts,
      state: { running: running ?? { startedAt: env.now } },
      ...(before?.lastState ? { lastState: before.lastState } : {}),
    };
  });
  const readiness = ready
    ? { status: 'True' }
    : { status: 'False', reason: notReadyReason };
  return {
    ...base,
    ...network,
    phase: 'Running',
    startTime,
    conditions: keepTransitionTimes(
      [
        {
          type: 'PodReadyToStartContainers',
          status: 'True',
          lastTransitionTime: env.now,
        },
        { type: 'Initialized', status: 'True', lastTransitionTime: env.now },
        { type: 'Ready', ...readiness, lastTransitionTime: env.now },
        { type: 'ContainersReady', ...readiness, lastTransitionTime: env.now },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: env.now },
      ],
      previous.conditions,
    ),
    containerStatuses,
  };
}

/** Whether the pod is Running with its Ready condition True. */
export function isPodReady(pod: KubernetesObject): boolean {
  const status = pod.status as PodStatusShape | undefined;
  return (
    status?.phase === 'Running' &&
    status.conditions?.find(c => c.type === 'Ready')?.status === 'True'
  );
}

/** Whether the pod has finished (Succeeded or Failed) and no longer holds node resources. */
export function isPodTerminated(pod: KubernetesObject): boolean {
  const phase = (pod.status as PodStatusShape | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Whether the pod is Succeeded. */
export function isPodSucceeded(pod: KubernetesObject): boolean {
  return (pod.status as PodStatusShape | undefined)?.phase === 'Succeeded';
}
