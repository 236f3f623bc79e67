import type { KubernetesObject } from '@internal/kube-model';
import { shortHash, stableStringify } from './hashing';
import { matchesNodeSelection } from './nodeAffinity';
import { nodeTaints, UNREACHABLE_TAINT_KEY } from './nodes';
import type { PodSpec, Toleration } from './podSpec';
import { clone } from './objects';
import { firstUntoleratedTaint } from './tolerations';

/** A workload's `spec.template`. */
export interface PodTemplate {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: PodSpec;
}

/** One pod a controller wants to exist. */
export interface PodSlot {
  name: string;
  namespace: string;
  owner: KubernetesObject;
  template: PodTemplate;
  /** Labels the controller adds (pod-template-hash, controller-revision-hash, ...). */
  controllerLabels: Record<string, string>;
  /** Bound at creation (DaemonSet pods target one node each). */
  nodeName?: string;
  /** Crash keys (`namespace/Kind/name`) of the workloads this pod belongs to. */
  workloadKeys: string[];
  runsToCompletion: boolean;
  /** Extra tolerations the controller adds (DaemonSets tolerate node problems). */
  extraTolerations: Toleration[];
}

/** The crash key of a workload: `namespace/Kind/name`. */
export function workloadKey(
  namespace: string | undefined,
  kind: string,
  name: string,
): string {
  return `${namespace ?? ''}/${kind}/${name}`;
}

/** The pod template of a workload object. */
export function templateOf(workload: KubernetesObject): PodTemplate {
  return ((workload.spec as { template?: PodTemplate } | undefined)?.template ??
    {}) as PodTemplate;
}

/** `spec.replicas`, defaulting to 1 like the API server. */
export function desiredReplicas(workload: KubernetesObject): number {
  const replicas = (workload.spec as { replicas?: number } | undefined)
    ?.replicas;
  return typeof replicas === 'number' && replicas >= 0
    ? Math.floor(replicas)
    : 1;
}

/** The 10-character hash of a pod template, as in `pod-template-hash`. */
export function templateHash(template: PodTemplate): string {
  return shortHash(stableStringify(template), 10);
}

function ownerReference(owner: KubernetesObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * The ReplicaSet a Deployment's current template calls for: `<deployment>-<hash>`, owned by
 * the Deployment, with `pod-template-hash` added to selector and template labels.
 *
 * @param deployment - the Deployment as stored (needs its uid)
 */
export function desiredReplicaSet(
  deployment: KubernetesObject,
): KubernetesObject {
  const template = templateOf(deployment);
  const hash = templateHash(template);
  const spec = (deployment.spec ?? {}) as {
    selector?: { matchLabels?: Record<string, string> };
  };
  const templateLabels = {
    ...(template.metadata?.labels ?? {}),
    'pod-template-hash': hash,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      labels: templateLabels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(
          desiredReplicas(deployment),
        ),
        'deployment.kubernetes.io/revision': '1',
      },
      ownerReferences: [ownerReference(deployment)],
    },
    spec: {
      replicas: desiredReplicas(deployment),
      selector: {
        ...(spec.selector ?? {}),
        matchLabels: {
          ...(spec.selector?.matchLabels ?? {}),
          'pod-template-hash': hash,
        },
      },
      template: {
        ...clone(template),
        metadata: { ...(template.metadata ?? {}), labels: templateLabels },
      },
    },
  };
}

/** A generated pod name that was never used before (evicted pods are replaced under new names). */
function freshName(
  base: string,
  slot: string,
  namespace: string,
  retired: ReadonlySet<string>,
): string {
  for (let incarnation = 0; ; incarnation++) {
    const name = `${base}-${shortHash(
      `${namespace}/${base}/${slot}/${incarnation}`,
      5,
    )}`;
    if (!retired.has(`${namespace}/${name}`)) return name;
  }
}

/**
 * The pods a pod-owning controller wants (ReplicaSet, StatefulSet, DaemonSet, Job).
 *
 * @param controller - the controller object as stored
 * @param context - nodes (for DaemonSets), retired pod names, the owning Deployment if any
 */
export function desiredPods(
  controller: KubernetesObject,
  context: {
    nodes: KubernetesObject[];
    retired: ReadonlySet<string>;
    deployment?: KubernetesObject;
  },
): PodSlot[] {
  const namespace = controller.metadata.namespace ?? 'default';
  const name = controller.metadata.name;
  const template = templateOf(controller);
  const keys = [workloadKey(namespace, controller.kind, name)];
  if (context.deployment)
    keys.push(
      workloadKey(namespace, 'Deployment', context.deployment.metadata.name),
    );
  const slot = (podName: string, extra: Partial<PodSlot> = {}): PodSlot => ({
    name: podName,
    namespace,
    owner: controller,
    template,
    controllerLabels: {},
    workloadKeys: keys,
    runsToCompletion: false,
    extraTolerations: [],
    ...extra,
  });
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  switch (controller.kind) {
    case 'ReplicaSet': {
      const hash =
        template.metadata?.labels?.['pod-template-hash'] ??
        templateHash(template);
      return range(desiredReplicas(controller)).map(i =>
        slot(freshName(name, String(i), namespace, context.retired), {
          controllerLabels: { 'pod-template-hash': hash },
        }),
      );
    }
    case 'StatefulSet': {
      const revision = `${name}-${templateHash(template)}`;
      return range(desiredReplicas(controller)).map(i =>
        slot(`${name}-${i}`, {
          controllerLabels: {
            'controller-revision-hash': revision,
            'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
            'apps.kubernetes.io/pod-index': String(i),
          },
        }),
      );
    }
    case 'DaemonSet': {
      const revision = templateHash(template).slice(0, 10);
      const tolerations = daemonSetTolerations();
      const spec = template.spec ?? {};
      const allTolerations = [...(spec.tolerations ?? []), ...tolerations];
      return context.nodes
        .filter(
          node =>
            matchesNodeSelection(
              spec,
              node.metadata.name,
              node.metadata.labels ?? {},
            ) &&
            !firstUntoleratedTaint(nodeTaints(node), allTolerations, [
              'NoSchedule',
              'NoExecute',
            ]),
        )
        .map(node =>
          slot(
            freshName(name, node.metadata.name, namespace, context.retired),
            {
              nodeName: node.metadata.name,
              controllerLabels: {
                'controller-revision-hash': revision,
                'pod-template-generation': '1',
              },
              extraTolerations: tolerations,
            },
          ),
        );
    }
    case 'Job': {
      const completions =
        (controller.spec as { completions?: number } | undefined)
          ?.completions ?? 1;
      const uid = controller.metadata.uid ?? '';
      return range(Math.max(1, completions)).map(i =>
        slot(freshName(name, String(i), namespace, context.retired), {
          runsToCompletion: true,
          controllerLabels: {
            'batch.kubernetes.io/controller-uid': uid,
            'batch.kubernetes.io/job-name': name,
            'controller-uid': uid,
            'job-name': name,
          },
        }),
      );
    }
    default:
      return [];
  }
}

/** The tolerations the DaemonSet controller adds so its pods survive node problems. */
function daemonSetTolerations(): Toleration[] {
  return [
    {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
    },
    { key: UNREACHABLE_TAINT_KEY, operator: 'Exists', effect: 'NoExecute' },
    {
      key: 'node.kubernetes.io/disk-pressure',
      operator: 'Exists',
      effect: 'NoSchedule',
    },
    {
      key: 'node.kubernetes.io/memory-pressure',
      operator: 'Exists',
      effect: 'NoSchedule',
    },
    {
      key: 'node.kubernetes.io/pid-pressure',
      operator: 'Exists',
      effect: 'NoSchedule',
    },
    {
      key: 'node.kubernetes.io/unschedulable',
      operator: 'Exists',
      effect: 'NoSchedule',
    },
  ];
}

/** The default tolerations the API server adds to every pod (DefaultTolerationSeconds). */
const DEFAULT_TOLERATIONS: Toleration[] = [
  {
    key: 'node.kubernetes.io/not-ready',
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: 300,
  },
  {
    key: UNREACHABLE_TAINT_KEY,
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: 300,
  },
];

/**
 * The Pod a slot stands for, as the controller creates it (unbound unless the slot names a
 * node), with priority already resolved by the caller.
 *
 * @param slot - the slot
 * @param priority - resolved PriorityClass name and value
 */
export function buildPod(
  slot: PodSlot,
  priority: { className?: string; value: number },
): KubernetesObject {
  const spec: PodSpec = clone(slot.template.spec ?? {});
  const tolerations = [...(spec.tolerations ?? []), ...slot.extraTolerations];
  for (const toleration of DEFAULT_TOLERATIONS) {
    if (
      !tolerations.some(
        t => t.key === toleration.key && t.effect === toleration.effect,
      )
    ) {
      tolerations.push(toleration);
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: slot.name,
      namespace: slot.namespace,
      generateName:
        slot.owner.kind === 'StatefulSet'
          ? undefined
          : `${slot.owner.metadata.name}-`,
      labels: {
        ...(slot.template.metadata?.labels ?? {}),
        ...slot.controllerLabels,
      },
      ...(slot.template.metadata?.annotations
        ? { annotations: { ...slot.template.metadata.annotations } }
        : {}),
      ownerReferences: [ownerReference(slot.owner)],
    },
    spec: {
      ...spec,
      restartPolicy:
        spec.restartPolicy ?? (slot.runsToCompletion ? 'Never' : 'Always'),
      schedulerName:
        (spec.schedulerName as string | undefined) ?? 'default-scheduler',
      serviceAccountName:
        (spec.serviceAccountName as string | undefined) ?? 'default',
      ...(priority.className ? { priorityClassName: priority.className } : {}),
      priority: priority.value,
      tolerations,
      ...(slot.nodeName ? { nodeName: slot.nodeName } : {}),
    },
  };
}

/** Whether an existing pod still matches its slot's template (otherwise it is replaced). */
export function podMatchesSlot(pod: KubernetesObject, slot: PodSlot): boolean {
  const labels = pod.metadata.labels ?? {};
  const spec = pod.spec as PodSpec | undefined;
  if (slot.nodeName && spec?.nodeName !== slot.nodeName) return false;
  return Object.entries(slot.controllerLabels).every(
    ([k, v]) => labels[k] === v,
  );
}
