import {
  parseFieldSelector,
  type ClusterStore,
  type KubeObject,
} from '../store';
import { nodeMetrics, podMetrics } from './metrics';
import { groupVersionOf, type ResourceType } from './resources';

/** What a list or get request selects. */
export interface ReadRequest {
  resource: ResourceType;
  /** Undefined for cluster-scoped types and all-namespaces lists. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
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
): KubeObject[] {
  const { resource } = req;
  const apiVersion = groupVersionOf(resource);
  let objects: ReadonlyArray<KubeObject>;
  if (resource.source === 'pod-metrics' || resource.source === 'node-metrics') {
    const computed =
      resource.source === 'pod-metrics'
        ? podMetrics(store, req.namespace, req.labelSelector)
        : nodeMetrics(store, req.labelSelector);
    // Computed objects only have metadata, so PodMetrics/NodeMetrics accept metadata fields only.
    objects = computed.filter(
      parseFieldSelector(req.fieldSelector ?? '', resource.kind),
    );
  } else {
    objects = store.listShared({
      kind: resource.kind,
      apiVersion,
      namespace: resource.namespaced ? req.namespace : undefined,
      labelSelector: req.labelSelector,
      fieldSelector: req.fieldSelector,
    });
  }
  return objects.map(o =>
    o.apiVersion === apiVersion && o.kind === resource.kind
      ? o
      : { ...o, apiVersion, kind: resource.kind },
  );
}
