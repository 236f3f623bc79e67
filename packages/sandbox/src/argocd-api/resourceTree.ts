import type { KubernetesObject } from '@internal/kube-model';
import type { ClusterStore } from '../store';

type Obj = Record<string, any>;

/** ArgoCD's tracking label: what an Application manages carries `app.kubernetes.io/instance=<app>`. */
export const TRACKING_LABEL = 'app.kubernetes.io/instance';
const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';

/** A node of `GET /api/v1/applications/{name}/resource-tree`. */
export interface ResourceNode {
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
  createdAt?: string;
  parentRefs?: Array<{
    group: string;
    kind: string;
    namespace?: string;
    name: string;
    uid?: string;
  }>;
  health: { status: string; message?: string };
}

function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : {
        group: apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
      };
}

function replicaHealth(obj: Obj): { status: string; message?: string } {
  const desired = obj.spec?.replicas ?? 1;
  const ready = obj.status?.readyReplicas ?? obj.status?.availableReplicas ?? 0;
  if (ready >= desired) return { status: 'Healthy' };
  if (ready === 0 && desired > 0)
    return { status: 'Degraded', message: `0/${desired} replicas ready` };
  return {
    status: 'Progressing',
    message: `${ready}/${desired} replicas ready`,
  };
}

function podHealth(pod: Obj): { status: string; message?: string } {
  const statuses: Obj[] = pod.status?.containerStatuses ?? [];
  const waiting = statuses.find(s => s.state?.waiting?.reason && !s.ready)
    ?.state.waiting;
  switch (pod.status?.phase) {
    case 'Succeeded':
      return { status: 'Healthy' };
    case 'Failed':
      return {
        status: 'Degraded',
        message: pod.status?.message ?? pod.status?.reason,
      };
    case 'Running':
      if (waiting && /BackOff|Err/.test(waiting.reason))
        return { status: 'Degraded', message: waiting.reason };
      return statuses.length > 0 && statuses.every(s => s.ready)
        ? { status: 'Healthy' }
        : { status: 'Progressing' };
    default:
      return { status: 'Progressing', message: waiting?.reason };
  }
}

/** A simplified ArgoCD health assessment; kinds without a health check count as Healthy. */
export function healthOf(obj: KubernetesObject): {
  status: string;
  message?: string;
} {
  const o = obj as Obj;
  switch (obj.kind) {
    case 'Pod':
      return podHealth(o);
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return replicaHealth(o);
    case 'DaemonSet': {
      const desired = o.status?.desiredNumberScheduled ?? 0;
      const ready = o.status?.numberReady ?? 0;
      return ready >= desired
        ? { status: 'Healthy' }
        : { status: 'Progressing' };
    }
    case 'Application':
      return { status: o.status?.health?.status ?? 'Unknown' };
    default:
      return { status: 'Healthy' };
  }
}

function isTrackedBy(obj: KubernetesObject, appName: string): boolean {
  if (obj.kind === 'Application' && obj.metadata.name === appName) return false;
  if (obj.metadata.labels?.[TRACKING_LABEL] === appName) return true;
  const trackingId = obj.metadata.annotations?.[TRACKING_ANNOTATION];
  return typeof trackingId === 'string' && trackingId.startsWith(`${appName}:`);
}

function toNode(
  obj: KubernetesObject,
  parents: KubernetesObject[],
): ResourceNode {
  const { group, version } = splitApiVersion(obj.apiVersion);
  return {
    group,
    version,
    kind: obj.kind,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    resourceVersion: obj.metadata.resourceVersion,
    createdAt: obj.metadata.creationTimestamp,
    ...(parents.length
      ? {
          parentRefs: parents.map(p => ({
            group: splitApiVersion(p.apiVersion).group,
            kind: p.kind,
            namespace: p.metadata.namespace,
            name: p.metadata.name,
            uid: p.metadata.uid,
          })),
        }
      : {}),
    health: healthOf(obj),
  };
}

/** The objects an Application manages directly (tracking label or tracking-id annotation). */
export function managedObjects(
  store: ClusterStore,
  appName: string,
): KubernetesObject[] {
  return store.allShared().filter(obj => isTrackedBy(obj, appName));
}

/**
 * The resource tree of an Application: its managed objects plus everything they own, transitively
 * through ownerReferences (a Deployment's ReplicaSets and their Pods), each with parentRefs.
 */
export function resourceTree(
  store: ClusterStore,
  appName: string,
): { nodes: ResourceNode[] } {
  const everything = store.allShared();
  const byUid = new Map<string, KubernetesObject>();
  const childrenOf = new Map<string, KubernetesObject[]>();
  for (const obj of everything) {
    if (obj.metadata.uid) byUid.set(obj.metadata.uid, obj);
    for (const owner of obj.metadata.ownerReferences ?? []) {
      const siblings = childrenOf.get(owner.uid) ?? [];
      siblings.push(obj);
      childrenOf.set(owner.uid, siblings);
    }
  }
  const ownersOf = (obj: KubernetesObject) =>
    (obj.metadata.ownerReferences ?? [])
      .map(ref => byUid.get(ref.uid))
      .filter((o): o is KubernetesObject => o !== undefined);
  const nodes: ResourceNode[] = [];
  const seen = new Set<string>();
  const visit = (obj: KubernetesObject, parents: KubernetesObject[]) => {
    const key =
      obj.metadata.uid ??
      `${obj.apiVersion}/${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    nodes.push(toNode(obj, parents));
    for (const child of childrenOf.get(obj.metadata.uid ?? '') ?? []) {
      visit(child, ownersOf(child));
    }
  };
  // Pods copy their Deployment's labels, so they are tracked too: start from the tracked objects
  // nobody owns, so owned ones are reached through their owners and keep their parentRefs.
  const tracked = everything.filter(o => isTrackedBy(o, appName));
  for (const obj of tracked.filter(o => ownersOf(o).length === 0))
    visit(obj, []);
  for (const obj of tracked) visit(obj, ownersOf(obj));
  return { nodes };
}
