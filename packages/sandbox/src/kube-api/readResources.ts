import type { KubernetesObject } from '@internal/kube-model';
import { parseFieldSelector, type ClusterStore, type ListPage } from '../store';
import { nodeMetrics, podMetrics } from './metrics';
import { groupVersionOf, type ResourceType } from './resources';

/** What a list or get request selects. */
export interface ReadRequest {
  resource: ResourceType;
  /** Undefined for cluster-scoped types and all-namespaces lists. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** One page of the list (position and size) instead of all of it. */
  page?: ListPage;
}

/**
 * The objects of a resource type, as served: from the store, or computed for the metrics API.
 * Items carry the served kind/apiVersion even when stored under another version of the group.
 * Returned objects may be shared with the store: serialize, do not mutate.
 *
 * @throws LabelSelectorError or FieldSelectorError for malformed selectors.
 */
export function readObjects(
  store: ClusterStore,
  req: ReadRequest,
): KubernetesObject[] {
  const { resource } = req;
  let objects: ReadonlyArray<KubernetesObject>;
  if (resource.source === 'pod-metrics' || resource.source === 'node-metrics') {
    const computed =
      resource.source === 'pod-metrics'
        ? podMetrics(store, req.namespace, req.labelSelector)
        : nodeMetrics(store, req.labelSelector);
    // Computed objects only have metadata, so PodMetrics/NodeMetrics accept metadata fields only.
    objects = pageOf(
      computed.filter(
        parseFieldSelector(req.fieldSelector ?? '', resource.kind),
      ),
      req.page,
    );
  } else {
    objects = store.listShared(
      {
        kind: resource.kind,
        apiVersion: groupVersionOf(resource),
        namespace: resource.namespaced ? req.namespace : undefined,
        labelSelector: req.labelSelector,
        fieldSelector: req.fieldSelector,
      },
      req.page,
    );
  }
  return objects.map(servedForm(resource));
}

/**
 * Gives objects the served kind/apiVersion (a shallow copy only when they differ: objects stored
 * under another version of the group).
 */
export function servedForm(
  resource: ResourceType,
): (obj: KubernetesObject) => KubernetesObject {
  const apiVersion = groupVersionOf(resource);
  return obj =>
    obj.apiVersion === apiVersion && obj.kind === resource.kind
      ? obj
      : { ...obj, apiVersion, kind: resource.kind };
}

// Computed lists are small and already in list order (namespace, then name).
function pageOf(
  objects: KubernetesObject[],
  page: ListPage | undefined,
): KubernetesObject[] {
  if (!page) return objects;
  const { after, limit = Infinity } = page;
  const start = after
    ? objects.findIndex(o => {
        const ns = o.metadata.namespace ?? '';
        return (
          ns > after.namespace ||
          (ns === after.namespace && o.metadata.name > after.name)
        );
      })
    : 0;
  if (start < 0) return [];
  return objects.slice(start, start + limit);
}
