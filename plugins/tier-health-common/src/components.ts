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
  WorkloadInfo,
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
  /** What each workload or pod object was matched to; inventory objects are replaced, never changed. */
  private readonly matched = new WeakMap<object, CatalogComponent | null>();
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

  /**
   * The component claiming an inventory workload (by its labels, else its pod template's) or pod,
   * remembered per object: a new inventory version re-matches only the objects that changed.
   */
  matchObject(object: {
    namespace: string;
    labels: Record<string, string>;
    templateLabels?: Record<string, string>;
  }): CatalogComponent | undefined {
    const known = this.matched.get(object);
    if (known !== undefined) return known ?? undefined;
    const found =
      this.match(object.labels, object.namespace) ??
      (object.templateLabels
        ? this.match(object.templateLabels, object.namespace)
        : undefined);
    this.matched.set(object, found ?? null);
    return found;
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

/**
 * The components of a cluster and which component each pod of the inventory belongs to. Each
 * component is summed up when first read: one entity's question pays for its own component and
 * those beside it on its nodes, not for every component of the cluster. @public
 */
export interface ComponentModel {
  /** Every component, by tier, then name. */
  readonly components: ComponentHealth[];
  /** Component key of `inventory.pods[i]`. */
  readonly podComponentKeys: string[];
  /** The component with this key (the same object as in `components`). */
  component(key: string): ComponentHealth | undefined;
}

interface Accumulator {
  key: string;
  name: string;
  entity?: CatalogComponent;
  workloads: Map<string, WorkloadHealth>;
  /** The listed workloads and the pods that make up the component, in inventory order. */
  workloadInfos: WorkloadInfo[];
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

/** Component key of every listed workload (by `namespace/Kind/name`). */
type WorkloadComponents = Map<string, string>;

/**
 * Gathers workloads and pods into components (see {@link buildComponents}): the workloads first,
 * so a pod joins its controller's component; a pod whose controller is not listed is a workload of
 * its own. Run on one component's own workloads and pods it gives that component alone.
 */
function accumulate(
  workloads: WorkloadInfo[],
  pods: PodInfo[],
  matcher: CatalogComponentMatcher,
  nodeReady: Map<string, boolean>,
) {
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
        workloadInfos: [],
        pods: [],
        priorityClassNames: new Set(),
      };
      accumulators.set(key, acc);
    }
    return acc;
  };

  for (const w of workloads) {
    const entity = matcher.matchObject(w);
    const key = workloadKey(w.kind, w.namespace, w.name);
    const acc = accumulatorFor(entity, key, w.name);
    acc.workloads.set(key, {
      kind: w.kind,
      namespace: w.namespace,
      name: w.name,
      desired: w.desiredReplicas,
      ready: 0,
    });
    acc.workloadInfos.push(w);
    if (w.priorityClassName) acc.priorityClassNames.add(w.priorityClassName);
    componentOfWorkload.set(key, acc);
  }

  const podComponentKeys = pods.map(pod => {
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
      const entity = matcher.matchObject(pod);
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
  const workloadComponents: WorkloadComponents = new Map();
  for (const [key, acc] of componentOfWorkload)
    workloadComponents.set(key, acc.key);
  return { accumulators, podComponentKeys, workloadComponents };
}

/** The key {@link accumulate} gives a pod, with the workloads' keys it gave them. */
function componentKeyOfPod(
  pod: PodInfo,
  workloadComponents: WorkloadComponents,
  matcher: CatalogComponentMatcher,
): string {
  const owned =
    pod.owner &&
    workloadComponents.get(
      workloadKey(pod.owner.kind, pod.owner.namespace, pod.owner.name),
    );
  if (owned) return owned;
  const baseName = pod.owner?.name ?? pod.labels.component ?? pod.name;
  return (
    matcher.matchObject(pod)?.entityRef ??
    workloadKey(pod.owner?.kind ?? 'Pod', pod.namespace, baseName)
  );
}

function summarize(
  acc: Accumulator,
  nodeReady: Map<string, boolean>,
  priorityClassTiers: Record<string, Tier>,
): ComponentHealth {
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
}

/** Everything a model of one inventory is made of, kept to derive the next version's from. */
interface ModelState {
  inventory: ClusterInventory;
  matcher: CatalogComponentMatcher;
  priorityClassTiers: Record<string, Tier>;
  nodeReady: Map<string, boolean>;
  accumulators: Map<string, Accumulator>;
  podComponentKeys: string[];
  workloadComponents: WorkloadComponents;
  /** Components already summed up; shared with later versions while their inputs stay. */
  summarized: Map<string, ComponentHealth>;
}

function modelOf(state: ModelState): ComponentModel {
  const component = (key: string) => {
    let health = state.summarized.get(key);
    if (!health) {
      const acc = state.accumulators.get(key);
      if (!acc) return undefined;
      health = summarize(acc, state.nodeReady, state.priorityClassTiers);
      state.summarized.set(key, health);
    }
    return health;
  };
  let components: ComponentHealth[] | undefined;
  return {
    podComponentKeys: state.podComponentKeys,
    component,
    get components() {
      if (!components) {
        components = [...state.accumulators.keys()].map(key => component(key)!);
        components.sort(
          (a, b) => a.tier - b.tier || a.name.localeCompare(b.name),
        );
      }
      return components;
    },
  };
}

function fullState(
  inventory: ClusterInventory,
  matcher: CatalogComponentMatcher,
  priorityClassTiers: Record<string, Tier>,
): ModelState {
  const nodeReady = new Map(inventory.nodes.map(n => [n.name, n.ready]));
  return {
    inventory,
    matcher,
    priorityClassTiers,
    nodeReady,
    ...accumulate(inventory.workloads, inventory.pods, matcher, nodeReady),
    summarized: new Map(),
  };
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
  catalog: CatalogComponent[] | CatalogComponentMatcher,
  priorityClassTiers: Record<string, Tier>,
): ComponentModel {
  const matcher =
    catalog instanceof CatalogComponentMatcher
      ? catalog
      : new CatalogComponentMatcher(catalog);
  return modelOf(fullState(inventory, matcher, priorityClassTiers));
}

/**
 * {@link buildComponents} for successive versions of one cluster's inventory, each derived from
 * the last where that is sound: with the same workload objects, only the components of pods that
 * were replaced, added or deleted, and of the pods on replaced nodes, are gathered and summed up
 * again (in the new inventory's order). A workload event, a node added or removed, another catalog,
 * a new component, a component made of pods alone gaining or losing a pod (its place in the
 * order follows its first pod), or most pods replaced at once builds the model from scratch.
 * Objects of an inventory are never changed in place; a new version replaces them.
 *
 * @public
 */
export class ComponentModelIndex {
  private last?: ModelState;

  /** The model of `inventory`; `matcher` and `priorityClassTiers` as for buildComponents. */
  modelOf(
    inventory: ClusterInventory,
    matcher: CatalogComponentMatcher,
    priorityClassTiers: Record<string, Tier>,
  ): ComponentModel {
    const last = this.last;
    const state =
      last?.inventory === inventory &&
      last.matcher === matcher &&
      last.priorityClassTiers === priorityClassTiers
        ? last
        : (last &&
            last.matcher === matcher &&
            last.priorityClassTiers === priorityClassTiers &&
            derive(last, inventory)) ||
          fullState(inventory, matcher, priorityClassTiers);
    this.last = state;
    return modelOf(state);
  }
}

/** `before`'s model updated to `inventory`, or undefined where only a full build is sound. */
function derive(
  before: ModelState,
  inventory: ClusterInventory,
): ModelState | undefined {
  const old = before.inventory;
  if (
    old.workloads.length !== inventory.workloads.length ||
    old.nodes.length !== inventory.nodes.length
  )
    return undefined;
  for (let i = 0; i < inventory.workloads.length; i++)
    if (old.workloads[i] !== inventory.workloads[i]) return undefined;

  const changedNodes = new Set<string>();
  for (let i = 0; i < inventory.nodes.length; i++) {
    const [was, is] = [old.nodes[i], inventory.nodes[i]];
    if (was === is) continue;
    if (was.name !== is.name) return undefined;
    changedNodes.add(is.name);
  }

  // Walk both pod lists in order: a pod is kept (the same object), replaced in place, deleted
  // (the next old pod is the current new one) or added. Components of every pod not kept are
  // gathered again, in the new inventory's order.
  const dirty = new Set<string>();
  /** Components that gained or lost a pod: where only a workload fixes their place in the order. */
  const regrouped = new Set<string>();
  const limit = Math.max(64, inventory.pods.length / 8);
  const oldPods = old.pods;
  const pods = inventory.pods;
  const podComponentKeys: string[] = new Array(pods.length);
  let keysChanged = oldPods.length !== pods.length;
  let i = 0;
  for (let j = 0; j < pods.length; j++) {
    const is = pods[j];
    if (i < oldPods.length && oldPods[i] === is) {
      podComponentKeys[j] = before.podComponentKeys[i++];
      if (changedNodes.size > 0 && is.nodeName && changedNodes.has(is.nodeName))
        dirty.add(podComponentKeys[j]);
      continue;
    }
    if (i + 1 < oldPods.length && oldPods[i + 1] === is) {
      // oldPods[i] was deleted
      dirty.add(before.podComponentKeys[i]);
      regrouped.add(before.podComponentKeys[i]);
      keysChanged = true;
      i += 1;
      j -= 1;
      continue;
    }
    const key = componentKeyOfPod(
      is,
      before.workloadComponents,
      before.matcher,
    );
    podComponentKeys[j] = key;
    dirty.add(key);
    if (i < oldPods.length) {
      const wasKey = before.podComponentKeys[i++];
      dirty.add(wasKey);
      if (wasKey !== key) {
        regrouped.add(wasKey);
        regrouped.add(key);
        keysChanged = true;
      }
    } else {
      regrouped.add(key);
      keysChanged = true;
    }
    // many pods replaced at once (every pod's owner resolved again after a ReplicaSet
    // changed hands): gathering everything once is cheaper than component by component
    if (dirty.size > limit) return undefined;
  }
  for (; i < oldPods.length; i++) {
    dirty.add(before.podComponentKeys[i]);
    regrouped.add(before.podComponentKeys[i]);
  }
  for (const key of regrouped) {
    // a component only pods make up takes its place in the order from its first pod
    const acc = before.accumulators.get(key);
    if (!acc || acc.workloadInfos.length === 0) return undefined;
  }

  const nodeReady =
    changedNodes.size > 0
      ? new Map(inventory.nodes.map(n => [n.name, n.ready]))
      : before.nodeReady;
  const podsOf = new Map<string, PodInfo[]>();
  if (dirty.size > 0) {
    for (const key of dirty) podsOf.set(key, []);
    for (let j = 0; j < pods.length; j++)
      podsOf.get(podComponentKeys[j])?.push(pods[j]);
  }
  const accumulators = new Map(before.accumulators);
  const summarized = new Map(before.summarized);
  for (const [key, members] of podsOf) {
    const acc = before.accumulators.get(key)!;
    const again = accumulate(
      acc.workloadInfos,
      members,
      before.matcher,
      nodeReady,
    ).accumulators;
    const rebuilt = again.get(key);
    if (again.size !== 1 || !rebuilt) return undefined;
    accumulators.set(key, rebuilt);
    summarized.delete(key);
  }
  return {
    ...before,
    inventory,
    nodeReady,
    podComponentKeys: keysChanged ? podComponentKeys : before.podComponentKeys,
    accumulators,
    summarized,
  };
}
