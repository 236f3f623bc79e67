import type { KubernetesObject } from '@internal/kube-model';
import { isPodReady, isPodSucceeded, isPodTerminated } from './podStatus';
import { desiredReplicas, templateHash, templateOf } from './workloads';

type Condition = {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string;
  lastUpdateTime?: string;
};

function observedGeneration(workload: KubernetesObject): number {
  return workload.metadata.generation ?? 1;
}

function keepTransitionTimes(
  next: Condition[],
  previous: unknown,
): Condition[] {
  const before =
    (previous as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  return next.map(c => {
    const old = before.find(p => p.type === c.type);
    return old && old.status === c.status && old.reason === c.reason
      ? {
          ...c,
          lastTransitionTime: old.lastTransitionTime,
          lastUpdateTime: old.lastUpdateTime ?? c.lastUpdateTime,
        }
      : c;
  });
}

function counts(pods: KubernetesObject[]) {
  const live = pods.filter(p => !isPodTerminated(p));
  const ready = live.filter(isPodReady).length;
  return { live: live.length, ready };
}

/**
 * ReplicaSet status from its pods.
 *
 * @param rs - the ReplicaSet
 * @param pods - the pods it owns
 */
export function replicaSetStatus(
  rs: KubernetesObject,
  pods: KubernetesObject[],
) {
  const { live, ready } = counts(pods);
  return {
    replicas: live,
    fullyLabeledReplicas: live,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: observedGeneration(rs),
  };
}

/**
 * Deployment status from the pods of its current ReplicaSet, with the Available and
 * Progressing conditions the deployment controller writes.
 *
 * @param deployment - the Deployment
 * @param replicaSet - its current ReplicaSet (name for messages)
 * @param pods - the pods of all its ReplicaSets
 * @param now - timestamp for changed conditions
 */
export function deploymentStatus(
  deployment: KubernetesObject,
  replicaSet: KubernetesObject | undefined,
  pods: KubernetesObject[],
  now: string,
) {
  const { live, ready } = counts(pods);
  const desired = desiredReplicas(deployment);
  const updated = replicaSet
    ? pods.filter(
        p =>
          !isPodTerminated(p) &&
          p.metadata.labels?.['pod-template-hash'] ===
            replicaSet.metadata.labels?.['pod-template-hash'],
      ).length
    : 0;
  const available = ready >= desired;
  const complete = available && updated === desired && live === desired;
  const conditions = keepTransitionTimes(
    [
      {
        type: 'Available',
        status: available ? 'True' : 'False',
        reason: available
          ? 'MinimumReplicasAvailable'
          : 'MinimumReplicasUnavailable',
        message: available
          ? 'Deployment has minimum availability.'
          : 'Deployment does not have minimum availability.',
        lastTransitionTime: now,
        lastUpdateTime: now,
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
        message: complete
          ? `ReplicaSet "${replicaSet?.metadata.name}" has successfully progressed.`
          : `ReplicaSet "${replicaSet?.metadata.name}" is progressing.`,
        lastTransitionTime: now,
        lastUpdateTime: now,
      },
    ],
    deployment.status,
  );
  return {
    observedGeneration: observedGeneration(deployment),
    replicas: live,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(live - ready > 0 ? { unavailableReplicas: live - ready } : {}),
    conditions,
  };
}

/**
 * StatefulSet status from its pods.
 *
 * @param sts - the StatefulSet
 * @param pods - the pods it owns
 */
export function statefulSetStatus(
  sts: KubernetesObject,
  pods: KubernetesObject[],
) {
  const { live, ready } = counts(pods);
  const revision = `${sts.metadata.name}-${templateHash(templateOf(sts))}`;
  return {
    observedGeneration: observedGeneration(sts),
    replicas: live,
    readyReplicas: ready,
    availableReplicas: ready,
    currentReplicas: live,
    updatedReplicas: live,
    currentRevision: revision,
    updateRevision: revision,
    collisionCount: 0,
  };
}

/**
 * DaemonSet status from its pods.
 *
 * @param ds - the DaemonSet
 * @param pods - the pods it owns
 * @param eligibleNodes - how many nodes should run one
 */
export function daemonSetStatus(
  ds: KubernetesObject,
  pods: KubernetesObject[],
  eligibleNodes: number,
) {
  const { live, ready } = counts(pods);
  return {
    observedGeneration: observedGeneration(ds),
    desiredNumberScheduled: eligibleNodes,
    currentNumberScheduled: live,
    updatedNumberScheduled: live,
    numberMisscheduled: 0,
    numberReady: ready,
    numberAvailable: ready,
    ...(eligibleNodes - ready > 0
      ? { numberUnavailable: eligibleNodes - ready }
      : {}),
  };
}

/**
 * Job status from its pods (they succeed as soon as they are placed).
 *
 * @param job - the Job
 * @param pods - the pods it owns
 * @param now - timestamp for start/completion
 */
export function jobStatus(
  job: KubernetesObject,
  pods: KubernetesObject[],
  now: string,
) {
  const previous = (job.status ?? {}) as {
    startTime?: string;
    completionTime?: string;
  };
  const succeeded = pods.filter(isPodSucceeded).length;
  const completions =
    (job.spec as { completions?: number } | undefined)?.completions ?? 1;
  const active = pods.filter(p => !isPodTerminated(p)).length;
  const complete = succeeded >= completions;
  const startTime = previous.startTime ?? now;
  return {
    startTime,
    active,
    succeeded,
    failed: 0,
    ready: 0,
    terminating: 0,
    uncountedTerminatedPods: {},
    ...(complete
      ? {
          completionTime: previous.completionTime ?? now,
          conditions: keepTransitionTimes(
            [
              {
                type: 'SuccessCriteriaMet',
                status: 'True',
                reason: 'CompletionsReached',
                message: 'Reached expected number of succeeded pods',
                lastTransitionTime: now,
              },
              {
                type: 'Complete',
                status: 'True',
                reason: 'CompletionsReached',
                message: 'Reached expected number of succeeded pods',
                lastTransitionTime: now,
              },
            ],
            job.status,
          ),
        }
      : {}),
  };
}
