export { ClusterStore, type ListFilter } from './ClusterStore';
export type { KubeObject, ObjectRef } from './types';
export { groupOf } from './types';
export {
  parseFieldSelector,
  FieldSelectorError,
  type FieldMatcher,
} from './fieldSelector';
