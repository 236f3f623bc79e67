import {
  compileEntityTarget,
  KUBERNETES_ID_LABEL,
  type ObjectPlacement,
} from '@internal/kube-model';
import { DEFAULT_TIER } from './tiers';
import type {
  Availability,
  CatalogComponent,
  ClusterInventory,
  ComponentHealth,
  PodInfo,
  Tier,
  TierSource,
  WorkloadHealth,
} from './types';

/** The pod label the Backstage Kubernetes plugin matches `backstage.io/kubernetes-id` with. @public */
export { KUBERNETES_ID_LABEL } from '@internal/kube-model';

/**
 * Finds the catalog component that claims a workload or pod, as the Kubernetes plugin does: the
 * entity's label selector, else its `backstage.io/kubernetes-id` label, within its namespace
 * annotation when it has one. The first entity by ref wins when several claim the same labels.
 *
 * @public
 */
export class CatalogComponentMatcher {
  private readonly byId = new Map<string, CatalogComponent[]>();
  private readonly bySelector: Array<{
    component: CatalogComponent;
    matches: (object: ObjectPlacement) => boolean;
  }> = [];

  constructor(components: CatalogComponent[]) {
    const sorted = [...components].sort((a, b) =>
      a.entityRef.localeCompare(b.entityRef),
    );
    for (const component of sorted) {
      // A blank selector is no selector, as in kubernetesTargetOfEntity: the id decides.
      const labelSelector = component.labelSelector?.trim();
      if (labelSelector) {
        try {
          this.bySelector.push({
            component,
            matches: compileEntityTarget({
              labelSelector,
              namespace: component.namespace,
            }),
          });
        } catch {
          // An entity with a malformed selector claims nothing; the catalog shows its annotation.
        }
      } else if (component.kubernetesId) {
        const list = this.byId.get(component.kubernetesId) ?? [];
        list.push(component);
        this.byId.set(component.kubernetesId, list);
      }
    }
  }

  match(
    labels: Record<string, string>,
    namespace: string,
  ): CatalogComponent | undefined {
    const inNamespace = (c: CatalogComponent) =>
      !c.namespace || c.namespace === namespace;
    for (const { component, matches } of this.bySelector) {
      if (matches({ namespace, labels })) return component;
    }
    const id = labels[KUBERNETES_ID_LABEL];
    return id === undefined ? undefined : this.byId.get(id)?.find(inNamespace);
  }
}

/** The components of a cluster and which component each pod of the inventory belongs to. @public */
export interface ComponentModel {
  components: ComponentHealth[];
  /** Component key of `inventory.pods[i]`. */
  podComponentKeys: string[];
}

interface Accumulator {
  key: string;
  name: string;
  entity?: CatalogComponent;
  workloads: Map<string, WorkloadHealth>;
  pods: PodInfo[];
  priorityClassNames: Set<string>;
}

const workloadKey = (kind: string, namespace: string, name: string) =>
  `${namespace}/${kind}/${name}`;
const entityName = (entityRef: string) =>
  entityRef.slice(entityRef.lastIndexOf('/') + 1);

/** Whether a workload has what it wants, some of it, or nothing. @public */
export function workloadAvailability(
  desired: number,
  ready: number,
): Availability {
  if (ready >= desired) return 'available';
  return ready === 0 ? 'unavailable' : 'degraded';
}

/** A component is as available as its least available workload. @public */
export function componentAvailability(
  workloads: Array<{ desired: number; ready: number }>,
): Availability {
  const states = workloads.map(w => workloadAvailability(w.desired, w.ready));
  if (states.includes('unavailable')) return 'unavailable';
  return states.includes('degraded') ? 'degraded' : 'available';
}

function resolveTier(
  acc: Accumulator,
  priorityClassTiers: Record<string, Tier>,
): { tier: Tier; tierSource: TierSource } {
  if (acc.entity?.tier)
    return { tier: acc.entity.tier, tierSource: 'annotation' };
  if (
    acc.pods.some(
      p => p.namespace === 'kube-system' && p.labels.tier === 'control-plane',
    )
  ) {
    return { tier: 1, tierSource: 'controlPlane' };
  }
  const mapped = [...acc.priorityClassNames]
    .map(name => priorityClassTiers[name])
    .filter((tier): tier is Tier => tier !== undefined);
  if (mapped.length > 0)
    return { tier: Math.min(...mapped) as Tier, tierSource: 'priorityClass' };
  return { tier: DEFAULT_TIER, tierSource: 'default' };
}

/**
 * Groups workloads and pods into components (catalog entities, or the workload itself when no
 * entity claims it) and measures their availability. A pod counts as ready only when its node is
 * Ready too: a lost node's pods may still say Ready until the node controller catches up.
 * Tier: the entity's annotation, else tier 1 for kubeadm control-plane pods, else the most
 * critical tier of its pods' PriorityClasses through `priorityClassTiers`, else tier 4.
 *
 * @public
 */
export function buildComponents(
  inventory: ClusterInventory,
  catalog: CatalogComponent[],
  priorityClassTiers: Record<string, Tier>,
): ComponentModel {
  const matcher = new CatalogComponentMatcher(catalog);
  const nodeReady = new Map(inventory.nodes.map(n => [n.name, n.ready]));
  const accumulators = new Map<string, Accumulator>();
  const componentOfWorkload = new Map<string, Accumulator>();

  const accumulatorFor = (
    entity: CatalogComponent | undefined,
    fallbackKey: string,
    fallbackName: string,
  ) => {
    const key = entity?.entityRef ?? fallbackKey;
    let acc = accumulators.get(key);
    if (!acc) {
      acc = {
        key,
        name: entity
          ? entity.title ?? entityName(entity.entityRef)
          : fallbackName,
        entity,
        workloads: new Map(),
        pods: [],
        priorityClassNames: new Set(),
      };
      accumulators.set(key, acc);
    }
    return acc;
  };

  for (const w of inventory.workloads) {
    const entity =
      matcher.match(w.labels, w.namespace) ??
      matcher.match(w.templateLabels, w.namespace);
    const key = workloadKey(w.kind, w.namespace, w.name);
    const acc = accumulatorFor(entity, key, w.name);
    acc.workloads.set(key, {
      kind: w.kind,
      namespace: w.namespace,
      name: w.name,
      desired: w.desiredReplicas,
      ready: 0,
    });
    if (w.priorityClassName) acc.priorityClassNames.add(w.priorityClassName);
    componentOfWorkload.set(key, acc);
  }

  const podComponentKeys = inventory.pods.map(pod => {
    let acc: Accumulator;
    let workload: WorkloadHealth | undefined;
    const ownerKey =
      pod.owner &&
      workloadKey(pod.owner.kind, pod.owner.namespace, pod.owner.name);
    const owned = ownerKey ? componentOfWorkload.get(ownerKey) : undefined;
    if (owned && ownerKey) {
      acc = owned;
      workload = acc.workloads.get(ownerKey);
    } else {
      // Static pods, bare pods and pods whose controller was not listed: the pod is its own
      // workload wanting one replica; kubeadm's `component` label names the static ones.
      const entity = matcher.match(pod.labels, pod.namespace);
      const baseName = pod.owner?.name ?? pod.labels.component ?? pod.name;
      const kind = pod.owner?.kind ?? 'Pod';
      const key = workloadKey(kind, pod.namespace, baseName);
      acc = accumulatorFor(entity, key, baseName);
      workload = acc.workloads.get(key);
      if (workload) {
        workload.desired += 1;
      } else {
        workload = {
          kind,
          namespace: pod.namespace,
          name: baseName,
          desired: 1,
          ready: 0,
        };
        acc.workloads.set(key, workload);
      }
    }
    acc.pods.push(pod);
    if (pod.priorityClassName)
      acc.priorityClassNames.add(pod.priorityClassName);
    if (pod.ready && pod.nodeName && nodeReady.get(pod.nodeName) && workload)
      workload.ready += 1;
    return acc.key;
  });

  const components = [...accumulators.values()].map((acc): ComponentHealth => {
    const workloads = [...acc.workloads.values()];
    const problems: ComponentHealth['problems'] = [];
    const nodes = new Set<string>();
    const readyNodes = new Set<string>();
    for (const pod of acc.pods) {
      if (!pod.nodeName) {
        if (pod.problem) problems.push({ pod: pod.name, ...pod.problem });
        continue;
      }
      nodes.add(pod.nodeName);
      if (!nodeReady.get(pod.nodeName)) {
        problems.push({
          pod: pod.name,
          reason: 'NodeLost',
          message: `node ${pod.nodeName} is not Ready`,
        });
      } else if (pod.ready) {
        readyNodes.add(pod.nodeName);
      } else if (pod.problem) {
        problems.push({ pod: pod.name, ...pod.problem });
      }
    }
    return {
      key: acc.key,
      name: acc.name,
      entityRef: acc.entity?.entityRef,
      ...resolveTier(acc, priorityClassTiers),
      availability: componentAvailability(workloads),
      desired: workloads.reduce((sum, w) => sum + w.desired, 0),
      ready: workloads.reduce((sum, w) => sum + w.ready, 0),
      workloads,
      nodes: [...nodes].sort(),
      readyNodes: [...readyNodes].sort(),
      nodeBoundOnly: acc.pods.length > 0 && acc.pods.every(p => p.nodeBound),
      problems,
    };
  });
  components.sort((a, b) => a.tier - b.tier || a.name.localeCompare(b.name));
  return { components, podComponentKeys };
}
