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
 * results instead of scanning every result on every page view. It is kept
 * current per change: the results of one report (a "result group") and one
 * object are replaced or removed without touching the rest.
 *
 * @public
 */
export class EntityResultIndex {
  private readonly resultsByObject = new Map<
    string,
    Map<string, PolicyResult[]>
  >();
  private readonly namespaceReportResults = new Map<
    string,
    Map<string, PolicyResult[]>
  >();
  private readonly objectsByNamespace = new Map<
    string,
    Map<string, LabelledObject>
  >();
  // Where each group's results were filed, so replacing a group removes exactly those.
  private readonly groupEntries = new Map<
    string,
    Array<Map<string, PolicyResult[]>>
  >();

  constructor(
    results: Iterable<PolicyResult> = [],
    objects: Iterable<LabelledObject> = [],
  ) {
    for (const object of objects) this.setObject(object);
    this.setResults('', results);
  }

  /** Adds an object, or replaces the one with the same identity (its labels changed). */
  setObject(object: LabelledObject): void {
    const namespace = object.namespace ?? '';
    let inNamespace = this.objectsByNamespace.get(namespace);
    if (!inNamespace) {
      inNamespace = new Map();
      this.objectsByNamespace.set(namespace, inNamespace);
    }
    inNamespace.set(objectKey(object), object);
  }

  /** Forgets an object (it was deleted); its results stay until their report goes. */
  removeObject(object: ReportedResource): void {
    const namespace = object.namespace ?? '';
    const inNamespace = this.objectsByNamespace.get(namespace);
    if (!inNamespace) return;
    inNamespace.delete(objectKey(object));
    if (inNamespace.size === 0) this.objectsByNamespace.delete(namespace);
  }

  /**
   * Replaces the results of one group (one report) with `results`; an empty
   * list removes the group.
   */
  setResults(group: string, results: Iterable<PolicyResult>): void {
    // Filed first and swapped in after, so a replaced group keeps its place
    // among the others (Map.set of a present key keeps its position).
    const filed = new Map<Map<string, PolicyResult[]>, PolicyResult[]>();
    const file = (
      index: Map<string, Map<string, PolicyResult[]>>,
      key: string,
      result: PolicyResult,
    ) => {
      let groups = index.get(key);
      if (!groups) {
        groups = new Map();
        index.set(key, groups);
      }
      const values = filed.get(groups);
      if (values) values.push(result);
      else filed.set(groups, [result]);
    };
    for (const result of results) {
      if (result.resource.kind === 'Namespace') {
        file(this.namespaceReportResults, result.resource.name, result);
        continue;
      }
      const resourceKey = objectKey(result.resource);
      file(this.resultsByObject, resourceKey, result);
      const ownerKey = objectKey(result.owner);
      if (ownerKey !== resourceKey) {
        file(this.resultsByObject, ownerKey, result);
      }
    }
    for (const groups of this.groupEntries.get(group) ?? []) {
      if (!filed.has(groups)) groups.delete(group);
    }
    for (const [groups, values] of filed) groups.set(group, values);
    if (filed.size > 0) this.groupEntries.set(group, [...filed.keys()]);
    else this.groupEntries.delete(group);
  }

  /** Removes the results of one group (its report was deleted). */
  removeResults(group: string): void {
    // Emptied per-object maps are kept: they are small and objects usually get results again.
    for (const groups of this.groupEntries.get(group) ?? []) {
      groups.delete(group);
    }
    this.groupEntries.delete(group);
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
    const candidates: Iterable<Map<string, LabelledObject>> = target.namespace
      ? [this.objectsByNamespace.get(target.namespace) ?? new Map()]
      : this.objectsByNamespace.values();
    const selected = new Set<PolicyResult>();
    const addAll = (groups: Map<string, PolicyResult[]> | undefined) => {
      for (const results of groups?.values() ?? []) {
        for (const result of results) selected.add(result);
      }
    };
    for (const inNamespace of candidates) {
      for (const [key, object] of inNamespace) {
        if (!belongsToEntity(object)) continue;
        if (object.namespace) namespaces.add(object.namespace);
        addAll(this.resultsByObject.get(key));
      }
    }
    for (const namespace of namespaces) {
      addAll(this.namespaceReportResults.get(namespace));
    }
    return [...selected];
  }
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
