/**
 * Kubernetes label selectors in their string form, evaluated in memory so an
 * entity can be matched against the shared index instead of asking the
 * cluster on every page view. The implementation lives in `@internal/kube-model`;
 * these are the names this package has always exported.
 */

export {
  LabelSelectorError as InvalidLabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
} from '@internal/kube-model';
export type { LabelSelectorRequirement as LabelRequirement } from '@internal/kube-model';
