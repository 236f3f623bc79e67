/**
 * The one Kubernetes object model shared by the sandbox, the policy engine, the GitOps repository
 * reader and the plugins: objects and their metadata, label selectors (string and object forms),
 * resource quantities, owner roll-up to workloads, and how a catalog entity claims objects (its
 * annotations). No IO, no dependencies.
 *
 * @packageDocumentation
 */
export {
  LabelSelectorError,
  compileLabelSelector,
  isValidLabelKey,
  isValidLabelValue,
  labelSelectorRequirements,
  matchesLabelSelector,
  matchesLabelSelectorObject,
  parseLabelSelector,
} from './labelSelector';
export type {
  LabelMatcher,
  LabelSelector,
  LabelSelectorObjectOptions,
  LabelSelectorOperator,
  LabelSelectorRequirement,
} from './labelSelector';
export {
  compareQuantities,
  parseQuantity,
  parseQuantityParts,
  quantityMilliValue,
  quantityValue,
  scaledQuantity,
} from './quantity';
export type { Quantity } from './quantity';
export { groupOfApiVersion } from './object';
export type { KubernetesObject, ObjectMeta, OwnerReference } from './object';
export {
  WORKLOAD_OWNER_KINDS,
  controllerReference,
  objectKey,
  ownedObjectOf,
  rollUpToWorkload,
} from './owners';
export type { ObjectReference, OwnedObject } from './owners';
export {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  compileEntityTarget,
  entityClaimsObject,
  kubernetesTargetOfEntity,
} from './entityTarget';
export type { EntityKubernetesTarget, ObjectPlacement } from './entityTarget';
