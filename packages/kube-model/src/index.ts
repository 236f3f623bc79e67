/**
 * Pure Kubernetes primitives shared by the sandbox, the policy engine and the plugins: label
 * selectors (string and object forms) and resource quantities. No IO, no dependencies.
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
