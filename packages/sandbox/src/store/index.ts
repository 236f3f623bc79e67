import type { KubernetesObject } from '@internal/kube-model';

export {
  ClusterStore,
  DEFAULT_HISTORY_LIMIT,
  type ChangeEvent,
  type ChangeListener,
  type ChangeType,
  type ClusterStoreOptions,
  type ListFilter,
  type ListPage,
} from './ClusterStore';
export type { ObjectRef } from './types';
export {
  parseFieldSelector,
  FieldSelectorError,
  type FieldMatcher,
} from './fieldSelector';

/**
 * @deprecated The sandbox stores `KubernetesObject` from `@internal/kube-model`; this name stays
 * only until the plugins' sandbox test utilities import that type directly.
 */
export type KubeObject = KubernetesObject;
