import type { OwnedObject } from '@internal/kube-model';
import {
  deploymentOfReplicaSet,
  isInventoryPod,
  nodeFromKubernetes,
  ownedReplicaSet,
  podFromKubernetes,
  workloadOfKind,
  type KubernetesLists,
  type KubernetesObject,
} from './inventory';
import type {
  ClusterInventory,
  NodeInfo,
  PodInfo,
  WorkloadInfo,
} from './types';

/** The API lists an inventory is made of, by their `KubernetesLists` names. @public */
export type InventoryKind = keyof KubernetesLists;

/** One change of one kind's objects, as the cluster cache reports it. @public */
export type InventoryChange =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubernetesObject }
  | { type: 'SYNCED'; objects: ReadonlyArray<KubernetesObject> };

const WORKLOAD_KINDS = {
  deployments: 'Deployment',
  statefulSets: 'StatefulSet',
  daemonSets: 'DaemonSet',
} as const;

const sameOwners = (a: OwnedObject, b: OwnedObject) =>
  JSON.stringify(a.ownerReferences ?? []) ===
  JSON.stringify(b.ownerReferences ?? []);

const keyOf = (obj: KubernetesObject) =>
  `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;

/**
 * One cluster's {@link ClusterInventory}, kept current one event at a time: an added, modified or
 * deleted pod, node or workload changes only its own entry, instead of reducing every list again.
 * `inventory()` assembles the arrays the model reads once per `version()`. A pod owned by a
 * ReplicaSet counts towards the ReplicaSet's Deployment: resolved when the pod arrives, and for
 * every pod again only when a ReplicaSet changes hands (or arrives after its pods).
 *
 * Matches {@link inventoryFromKubernetes} for the same objects (see its tests).
 *
 * @public
 */
export class InventoryIndex {
  private readonly nodes = new Map<string, NodeInfo>();
  /** Pods with their direct controller, and as the model sees them (ReplicaSet → Deployment). */
  private readonly pods = new Map<
    string,
    { pod: PodInfo; resolved: PodInfo }
  >();
  /** A ReplicaSet came, went or changed owner since pods were last resolved. */
  private ownersChanged = false;
  /** Every ReplicaSet (`namespace/name`), for the roll-up of pods to their Deployment. */
  private readonly replicaSets = new Map<string, OwnedObject>();
  /** Every ReplicaSet as a workload; the ones no Deployment owns count as workloads. */
  private readonly replicaSetWorkloads = new Map<string, WorkloadInfo>();
  /** Workloads by kind (`ReplicaSet` holds the ones no Deployment owns), then `namespace/name`. */
  private readonly workloads = new Map<string, Map<string, WorkloadInfo>>(
    ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet'].map(kind => [
      kind,
      new Map(),
    ]),
  );
  private readonly priorityClasses = new Map<string, number>();
  private readonly syncedKinds = new Set<InventoryKind>();
  private currentVersion = 0;
  private assembled?: { version: number; inventory: ClusterInventory };

  /** Goes up by one with every change applied. */
  version(): number {
    return this.currentVersion;
  }

  /** Whether every kind has had its initial list (`SYNCED`). */
  synced(): boolean {
    return this.syncedKinds.size === 7;
  }

  /** Applies one change of one kind. */
  apply(kind: InventoryKind, change: InventoryChange): void {
    if (change.type === 'SYNCED') {
      this.clear(kind);
      for (const object of change.objects) this.put(kind, object);
      this.syncedKinds.add(kind);
    } else if (change.type === 'DELETED') {
      this.remove(kind, change.object);
    } else {
      this.put(kind, change.object);
    }
    this.currentVersion += 1;
  }

  /** The inventory as of now; the same object until the next change. */
  inventory(): ClusterInventory {
    if (this.assembled?.version === this.currentVersion)
      return this.assembled.inventory;
    if (this.ownersChanged) {
      // a ReplicaSet came, went or changed hands: resolve every pod's owner again
      for (const entry of this.pods.values())
        entry.resolved = this.resolve(entry.pod);
      const standalone = this.workloads.get('ReplicaSet')!;
      standalone.clear();
      for (const key of this.replicaSets.keys()) this.placeReplicaSet(key);
      this.ownersChanged = false;
    }
    const pods: PodInfo[] = new Array(this.pods.size);
    let i = 0;
    for (const entry of this.pods.values()) pods[i++] = entry.resolved;
    const inventory: ClusterInventory = {
      nodes: [...this.nodes.values()],
      pods,
      workloads: [...this.workloads.values()].flatMap(byKey => [
        ...byKey.values(),
      ]),
      priorityClasses: Object.fromEntries(this.priorityClasses),
    };
    this.assembled = { version: this.currentVersion, inventory };
    return inventory;
  }

  /** The pod with a ReplicaSet owner replaced by the Deployment that owns the ReplicaSet. */
  private resolve(pod: PodInfo): PodInfo {
    const owner = pod.owner;
    const deployment =
      owner?.kind === 'ReplicaSet'
        ? deploymentOfReplicaSet(owner.namespace, owner.name, this.replicaSets)
        : undefined;
    return deployment ? { ...pod, owner: deployment } : pod;
  }

  /** A ReplicaSet no Deployment owns is a workload of its own (when it wants replicas). */
  private placeReplicaSet(key: string) {
    const standalone = this.workloads.get('ReplicaSet')!;
    const owned = this.replicaSets.get(key);
    const workload = this.replicaSetWorkloads.get(key);
    if (
      owned &&
      workload &&
      workload.desiredReplicas > 0 &&
      !deploymentOfReplicaSet(
        owned.namespace ?? '',
        owned.name,
        this.replicaSets,
      )
    )
      standalone.set(key, workload);
    else standalone.delete(key);
  }

  private clear(kind: InventoryKind) {
    switch (kind) {
      case 'nodes':
        this.nodes.clear();
        return;
      case 'pods':
        this.pods.clear();
        return;
      case 'replicaSets':
        this.replicaSets.clear();
        this.replicaSetWorkloads.clear();
        this.workloads.get('ReplicaSet')!.clear();
        this.ownersChanged = true;
        return;
      case 'priorityClasses':
        this.priorityClasses.clear();
        return;
      default:
        this.workloads.get(WORKLOAD_KINDS[kind])!.clear();
    }
  }

  private remove(kind: InventoryKind, object: KubernetesObject) {
    const key = keyOf(object);
    switch (kind) {
      case 'nodes':
        this.nodes.delete(key);
        return;
      case 'pods':
        this.pods.delete(key);
        return;
      case 'replicaSets':
        this.replicaSets.delete(key);
        this.replicaSetWorkloads.delete(key);
        this.workloads.get('ReplicaSet')!.delete(key);
        this.ownersChanged = true;
        return;
      case 'priorityClasses':
        this.priorityClasses.delete(object.metadata?.name ?? '');
        return;
      default:
        this.workloads.get(WORKLOAD_KINDS[kind])!.delete(key);
    }
  }

  private put(kind: InventoryKind, object: KubernetesObject) {
    const key = keyOf(object);
    switch (kind) {
      case 'nodes':
        this.nodes.set(key, nodeFromKubernetes(object));
        return;
      case 'pods':
        // a pod that finished or belongs to a Job leaves the inventory, as in a full list
        if (isInventoryPod(object)) {
          const pod = podFromKubernetes(object, () => undefined);
          this.pods.set(key, { pod, resolved: this.resolve(pod) });
        } else {
          this.pods.delete(key);
        }
        return;
      case 'replicaSets': {
        const owned = ownedReplicaSet(object);
        if (!owned) return;
        const before = this.replicaSets.get(key);
        this.replicaSets.set(key, owned);
        this.replicaSetWorkloads.set(key, workloadOfKind('ReplicaSet', object));
        // status and scale changes are the common case: only this ReplicaSet is placed again
        if (!before || !sameOwners(before, owned)) this.ownersChanged = true;
        else this.placeReplicaSet(key);
        return;
      }
      case 'priorityClasses':
        if (object.metadata?.name)
          this.priorityClasses.set(
            object.metadata.name,
            Number(object.value ?? 0),
          );
        return;
      default: {
        const workload = workloadOfKind(WORKLOAD_KINDS[kind], object);
        const byKey = this.workloads.get(WORKLOAD_KINDS[kind])!;
        if (workload.desiredReplicas > 0) byKey.set(key, workload);
        else byKey.delete(key);
      }
    }
  }
}
