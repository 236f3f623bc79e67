export { ClusterStore, type ListFilter } from './ClusterStore';
export type { KubeObject, ObjectRef } from './types';
export { groupOf } from './types';
export {
  parseLabelSelector,
  LabelSelectorError,
  type LabelMatcher,
} from './labelSelector';
export {
  parseFieldSelector,
  FieldSelectorError,
  type FieldMatcher,
} from './fieldSelector';
