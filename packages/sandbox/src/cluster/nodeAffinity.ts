import type {
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodSpec,
} from './podSpec';

function matchesRequirement(
  requirement: NodeSelectorRequirement,
  labels: Record<string, string>,
): boolean {
  const present = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return present && values.includes(value);
    case 'NotIn':
      return !present || !values.includes(value);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
      return present && Number(value) > Number(values[0]);
    case 'Lt':
      return present && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/**
 * Whether a node matches a node selector term (every expression; `matchFields` can only
 * select `metadata.name`).
 *
 * @param term - the term
 * @param nodeName - the node's name
 * @param labels - the node's labels
 */
export function matchesTerm(
  term: NodeSelectorTerm,
  nodeName: string,
  labels: Record<string, string>,
): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every(r => matchesRequirement(r, labels)) &&
    fields.every(r => matchesRequirement(r, { 'metadata.name': nodeName }))
  );
}

/**
 * Whether a node satisfies the pod's `nodeSelector` and required node affinity (any term).
 *
 * @param spec - the pod spec
 * @param nodeName - the node's name
 * @param labels - the node's labels
 */
export function matchesNodeSelection(
  spec: PodSpec,
  nodeName: string,
  labels: Record<string, string>,
): boolean {
  for (const [key, value] of Object.entries(spec.nodeSelector ?? {})) {
    if (labels[key] !== value) return false;
  }
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms;
  if (terms && terms.length > 0) {
    return terms.some(term => matchesTerm(term, nodeName, labels));
  }
  return true;
}

/**
 * The sum of the weights of the pod's preferred node affinity terms the node matches.
 *
 * @param spec - the pod spec
 * @param nodeName - the node's name
 * @param labels - the node's labels
 */
export function preferredAffinityWeight(
  spec: PodSpec,
  nodeName: string,
  labels: Record<string, string>,
): number {
  const preferred =
    spec.affinity?.nodeAffinity
      ?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return preferred.reduce(
    (sum, p) =>
      sum +
      (p.preference && matchesTerm(p.preference, nodeName, labels)
        ? p.weight ?? 0
        : 0),
    0,
  );
}
