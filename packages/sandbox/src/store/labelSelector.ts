/**
 * Label selectors for list requests. The parser lives in `@internal/kube-model`; the store
 * keeps its names: `parseLabelSelector` returns a predicate and throws `LabelSelectorError`.
 */
export {
  LabelSelectorError,
  compileLabelSelector as parseLabelSelector,
  type LabelMatcher,
} from '@internal/kube-model';
