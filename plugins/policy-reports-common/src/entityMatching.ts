import {
  compileEntityTarget,
  objectKey,
  type EntityKubernetesTarget,
} from '@internal/kube-model';
import type { PolicyResult, ReportedResource } from './types';

export {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  kubernetesTargetOfEntity,
  objectKey,
} from '@internal/kube-model';
export type { EntityKubernetesTarget } from '@internal/kube-model';

/** An object the cluster listed, with the labels an entity selects it by. @public */
export interface LabelledObject extends ReportedResource {
  labels?: Record<string, string>;
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
    const belongsToEntity = compileEntityTarget(target);
    const namespaces = new Set<string>(
      target.namespace ? [target.namespace] : [],
    );
    const candidates = target.namespace
      ? this.objectsByNamespace.get(target.namespace) ?? []
      : this.allObjects;
    const selected = new Set<PolicyResult>();
    for (const object of candidates) {
      if (!belongsToEntity(object)) continue;
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
