import { parseLabelSelector, matchesLabelSelector } from './labelSelector';
import type { PolicyResult, ReportedResource } from './types';

/** The catalog annotations the Kubernetes plugin resolves an entity with. @public */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** @public */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
/** @public */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';

/**
 * Where an entity's objects live: a label selector and, optionally, one
 * namespace (all namespaces when absent).
 *
 * @public
 */
export interface EntityKubernetesTarget {
  labelSelector: string;
  namespace?: string;
}

/**
 * Resolves an entity's objects with the Kubernetes plugin's rules: the
 * `backstage.io/kubernetes-label-selector` annotation, else
 * `backstage.io/kubernetes-id=<id>`; the `backstage.io/kubernetes-namespace`
 * annotation, else every namespace. `undefined` when the entity has neither
 * annotation and so has no Kubernetes objects.
 *
 * @public
 */
export function kubernetesTargetOfEntity(
  annotations: Record<string, string> | undefined,
): EntityKubernetesTarget | undefined {
  const selector = annotations?.[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  const id = annotations?.[KUBERNETES_ID_ANNOTATION]?.trim();
  const labelSelector =
    selector || (id ? `${KUBERNETES_ID_ANNOTATION}=${id}` : '');
  if (!labelSelector) return undefined;
  const namespace = annotations?.[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
  return namespace ? { labelSelector, namespace } : { labelSelector };
}

/** An object the cluster listed, with the labels an entity selects it by. @public */
export interface LabelledObject extends ReportedResource {
  labels?: Record<string, string>;
}

/** Identity of an object: its UID, or kind/namespace/name when a report carries no UID. @public */
export function objectKey(object: ReportedResource): string {
  return (
    object.uid ?? `${object.kind}/${object.namespace ?? ''}/${object.name}`
  );
}

/**
 * The results of one cluster indexed by the objects they are about, so that
 * resolving an entity touches only the objects of its namespace and their
 * results instead of scanning every result on every page view.
 *
 * @public
 */
export class EntityResultIndex {
  private readonly resultsByObject = new Map<string, PolicyResult[]>();
  private readonly namespaceReportResults = new Map<string, PolicyResult[]>();
  private readonly objectsByNamespace = new Map<string, LabelledObject[]>();
  private readonly allObjects: LabelledObject[] = [];

  constructor(
    results: Iterable<PolicyResult>,
    objects: Iterable<LabelledObject>,
  ) {
    for (const object of objects) {
      this.allObjects.push(object);
      const namespace = object.namespace ?? '';
      const inNamespace = this.objectsByNamespace.get(namespace) ?? [];
      inNamespace.push(object);
      this.objectsByNamespace.set(namespace, inNamespace);
    }
    for (const result of results) {
      if (result.resource.kind === 'Namespace') {
        append(this.namespaceReportResults, result.resource.name, result);
        continue;
      }
      const resourceKey = objectKey(result.resource);
      append(this.resultsByObject, resourceKey, result);
      const ownerKey = objectKey(result.owner);
      if (ownerKey !== resourceKey) {
        append(this.resultsByObject, ownerKey, result);
      }
    }
  }

  /**
   * The results that belong to an entity: those about an object the entity's
   * selector matches, or about an object whose rolled-up owner it matches (a
   * Pod report counts for the entity that selects its Deployment), plus the
   * ClusterPolicyReport results of the namespaces those objects live in.
   *
   * @throws InvalidLabelSelectorError when the entity's selector is malformed.
   */
  select(target: EntityKubernetesTarget): PolicyResult[] {
    const requirements = parseLabelSelector(target.labelSelector);
    const namespaces = new Set<string>(
      target.namespace ? [target.namespace] : [],
    );
    const candidates = target.namespace
      ? this.objectsByNamespace.get(target.namespace) ?? []
      : this.allObjects;
    const selected = new Set<PolicyResult>();
    for (const object of candidates) {
      if (!matchesLabelSelector(object.labels, requirements)) continue;
      if (object.namespace) namespaces.add(object.namespace);
      for (const result of this.resultsByObject.get(objectKey(object)) ?? []) {
        selected.add(result);
      }
    }
    for (const namespace of namespaces) {
      for (const result of this.namespaceReportResults.get(namespace) ?? []) {
        selected.add(result);
      }
    }
    return [...selected];
  }
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

/**
 * The results that belong to an entity; see {@link EntityResultIndex.select}.
 * Builds a throwaway index, so callers that resolve many entities against the
 * same results should keep an {@link EntityResultIndex} instead.
 *
 * @throws InvalidLabelSelectorError when the entity's selector is malformed.
 * @public
 */
export function selectEntityResults(
  results: readonly PolicyResult[],
  objects: Iterable<LabelledObject>,
  target: EntityKubernetesTarget,
): PolicyResult[] {
  return new EntityResultIndex(results, objects).select(target);
}
