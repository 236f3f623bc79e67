/**
 * How a catalog entity claims Kubernetes objects, with the Backstage Kubernetes plugin's rules:
 * the `backstage.io/kubernetes-label-selector` annotation, else the label
 * `backstage.io/kubernetes-id=<id>`, within the `backstage.io/kubernetes-namespace` annotation's
 * namespace when there is one (every namespace otherwise).
 */
import { compileLabelSelector, LabelSelectorError } from './labelSelector';

/** The catalog annotation (and object label) naming an entity's objects. @public */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** The object label the Kubernetes plugin matches `backstage.io/kubernetes-id` with. @public */
export const KUBERNETES_ID_LABEL = KUBERNETES_ID_ANNOTATION;
/** The catalog annotation limiting an entity's objects to one namespace. @public */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
/** The catalog annotation selecting an entity's objects by label selector. @public */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';

/**
 * Where an entity's objects live: a label selector and, optionally, one namespace (all
 * namespaces when absent).
 *
 * @public
 */
export interface EntityKubernetesTarget {
  labelSelector: string;
  namespace?: string;
}

/**
 * Resolves an entity's target from its annotations: the label selector annotation, else
 * `backstage.io/kubernetes-id=<id>`; the namespace annotation, else every namespace. Blank values
 * count as absent. `undefined` when the entity has neither a selector nor an id and so has no
 * Kubernetes objects.
 *
 * @public
 */
export function kubernetesTargetOfEntity(
  annotations: Record<string, string> | undefined,
): EntityKubernetesTarget | undefined {
  const selector = annotations?.[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  const id = annotations?.[KUBERNETES_ID_ANNOTATION]?.trim();
  const labelSelector = selector || (id ? `${KUBERNETES_ID_LABEL}=${id}` : '');
  if (!labelSelector) return undefined;
  const namespace = annotations?.[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
  return namespace ? { labelSelector, namespace } : { labelSelector };
}

/** What decides whether an object belongs to an entity: its namespace and labels. @public */
export interface ObjectPlacement {
  /** Absent (or empty) for cluster-scoped objects. */
  namespace?: string;
  labels?: Record<string, string>;
}

/**
 * A predicate for the objects of one target: in its namespace (when it names one) and matching
 * its label selector. Parse once, call per object.
 *
 * @throws LabelSelectorError when the target's selector is malformed.
 * @public
 */
export function compileEntityTarget(
  target: EntityKubernetesTarget,
): (object: ObjectPlacement) => boolean {
  const matchesLabels = compileLabelSelector(target.labelSelector);
  const namespace = target.namespace;
  return object =>
    (!namespace || object.namespace === namespace) &&
    matchesLabels(object.labels);
}

/**
 * Whether an entity with these annotations claims the object. An entity without a target, or with
 * a malformed selector, claims nothing: it errs on the side of showing less, and the catalog shows
 * the annotation for anyone to fix.
 *
 * @public
 */
export function entityClaimsObject(
  annotations: Record<string, string> | undefined,
  object: ObjectPlacement,
): boolean {
  const target = kubernetesTargetOfEntity(annotations);
  if (!target) return false;
  try {
    return compileEntityTarget(target)(object);
  } catch (error) {
    if (error instanceof LabelSelectorError) return false;
    throw error;
  }
}
