/**
 * Label selector strings (`backstage.io/kubernetes-label-selector`, component selectors). The
 * implementation lives in `@internal/kube-model`; these are the names this package exports.
 */
import {
  matchesLabelSelector,
  type LabelSelectorRequirement,
} from '@internal/kube-model';

export {
  LabelSelectorError as InvalidLabelSelectorError,
  parseLabelSelector,
} from '@internal/kube-model';

/** One requirement of a label selector. @public */
export type LabelRequirement = LabelSelectorRequirement;

/** Whether labels satisfy every requirement. @public */
export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string>,
): boolean {
  return matchesLabelSelector(labels, requirements);
}
