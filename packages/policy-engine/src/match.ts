/**
 * Kyverno rule `match` / `exclude` selection of a resource.
 *
 * Supported filter criteria: `kinds`, `name`, `names`, `namespaces`,
 * `annotations`, `selector`, `namespaceSelector`, `operations`, in the
 * `any` / `all` form and the legacy top-level `resources` form.
 */
import {
  LabelSelectorError,
  matchesLabelSelectorObject,
  type LabelSelector,
} from '@internal/kube-model';
import type { EvaluationContext, KubeResource } from './types';
import { matchesAny, wildcardMatch } from './wildcard';

/** A Kubernetes label selector (from `@internal/kube-model`). @public */
export type { LabelSelector };

/** Kyverno `ResourceDescription`. @public */
export interface ResourceDescription {
  kinds?: string[];
  name?: string;
  names?: string[];
  namespaces?: string[];
  annotations?: Record<string, string>;
  selector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  operations?: string[];
}

/** One element of `match.any` / `match.all`. @public */
export interface ResourceFilter {
  resources?: ResourceDescription;
  subjects?: unknown[];
  roles?: string[];
  clusterRoles?: string[];
}

/** A rule's `match` or `exclude` block. @public */
export interface MatchBlock extends ResourceFilter {
  any?: ResourceFilter[];
  all?: ResourceFilter[];
}

/** A parsed `kinds` entry. @public */
export interface KindSelector {
  group: string;
  version: string;
  kind: string;
  subresource: string;
}

// Every rule's kinds are parsed for every resource; the set of spellings is small.
const kindSelectors = new Map<string, KindSelector>();

const startsUpper = (s: string) => /^[A-Z]/.test(s);

/**
 * Parses a Kyverno kind selector: `Pod`, `v1/Pod`, `apps/v1/Deployment`,
 * `*\/Deployment` (any version), `Pod/status`, `apps/v1/Deployment/scale`.
 * A component starting with an upper-case letter is the kind; what follows it
 * is a subresource.
 *
 * @public
 */
export function parseKindSelector(input: string): KindSelector {
  let parsed = kindSelectors.get(input);
  if (!parsed) {
    parsed = parseKindSelectorUncached(input);
    if (kindSelectors.size > 1000) kindSelectors.clear();
    kindSelectors.set(input, parsed);
  }
  return { ...parsed };
}

function parseKindSelectorUncached(input: string): KindSelector {
  const parts = input.split('/');
  const kindIndex = parts.findIndex(
    (p, i) => i === parts.length - 1 || startsUpper(p),
  );
  const kind = parts[kindIndex];
  const subresource = parts.slice(kindIndex + 1).join('/');
  const before = parts.slice(0, kindIndex);
  let group = '*';
  let version = '*';
  if (before.length === 1) {
    // `v1/Pod` is version/kind; `*/Deployment` is "any group and version".
    version = before[0];
  } else if (before.length >= 2) {
    group = before[0];
    version = before[1];
  }
  return { group, version, kind, subresource };
}

function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const i = apiVersion.lastIndexOf('/');
  return i === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/**
 * Whether a `kinds` entry selects the resource. Entries with a subresource
 * (`Deployment/status`) select only subresource requests, which the engine
 * never sees, so they never select a whole resource.
 *
 * @public
 */
export function kindMatches(selector: string, resource: KubeResource): boolean {
  const sel = parseKindSelector(selector);
  if (sel.subresource !== '') return false;
  const { group, version } = splitApiVersion(resource.apiVersion ?? '');
  return (
    wildcardMatch(sel.kind, resource.kind) &&
    wildcardMatch(sel.version, version) &&
    wildcardMatch(sel.group, group)
  );
}

/**
 * Evaluates a label selector against labels (matchLabels values may use
 * wildcards, as Kyverno allows). A selector Kubernetes cannot build (unknown
 * operator, `In` without values, ...) selects nothing, as in Kyverno.
 *
 * @public
 */
export function selectorMatches(
  selector: LabelSelector,
  labels: Record<string, string>,
): boolean {
  try {
    return matchesLabelSelectorObject(labels, selector, {
      matchLabelValue: (pattern, value) => wildcardMatch(pattern, value),
    });
  } catch (error) {
    if (error instanceof LabelSelectorError) return false;
    throw error;
  }
}

function operationMatches(
  operations: string[],
  context: EvaluationContext,
): boolean {
  const op = context.operation ?? 'BACKGROUND';
  if (op === 'BACKGROUND') {
    // A background scan looks at existing state, i.e. what was created or
    // updated; a DELETE-only filter must not select (or exclude) it.
    return operations.includes('CREATE') || operations.includes('UPDATE');
  }
  return operations.includes(op);
}

/** Namespace used for `namespaces`: a Namespace is "in" itself, as in Kyverno. */
function effectiveNamespace(resource: KubeResource): string {
  if (resource.kind === 'Namespace' && resource.apiVersion === 'v1') {
    return resource.metadata.name;
  }
  return resource.metadata.namespace ?? '';
}

function hasCriteria(d: ResourceDescription): boolean {
  return (
    (d.kinds?.length ?? 0) > 0 ||
    !!d.name ||
    (d.names?.length ?? 0) > 0 ||
    (d.namespaces?.length ?? 0) > 0 ||
    d.annotations !== undefined ||
    d.selector !== undefined ||
    d.namespaceSelector !== undefined ||
    (d.operations?.length ?? 0) > 0
  );
}

/**
 * Whether one resource filter selects the resource: every criterion given must
 * hold. A filter with no criteria selects nothing. User-info criteria
 * (`subjects`, `roles`, `clusterRoles`) can never be satisfied because the
 * engine has no requester identity, so such a filter selects nothing either
 * (in `exclude` this means "not excluded").
 *
 * @public
 */
export function filterMatches(
  filter: ResourceFilter,
  resource: KubeResource,
  context: EvaluationContext = {},
): boolean {
  if (
    (filter.subjects?.length ?? 0) > 0 ||
    (filter.roles?.length ?? 0) > 0 ||
    (filter.clusterRoles?.length ?? 0) > 0
  ) {
    return false;
  }
  const d = filter.resources ?? {};
  if (!hasCriteria(d)) return false;
  const meta = resource.metadata ?? { name: '' };
  if (d.kinds?.length && !d.kinds.some(k => kindMatches(k, resource)))
    return false;
  if (d.name && !wildcardMatch(d.name, meta.name ?? '')) return false;
  if (d.names?.length && !matchesAny(d.names, meta.name ?? '')) return false;
  if (
    d.namespaces?.length &&
    !matchesAny(d.namespaces, effectiveNamespace(resource))
  ) {
    return false;
  }
  if (d.annotations) {
    const annotations = meta.annotations ?? {};
    for (const [k, v] of Object.entries(d.annotations)) {
      if (!(k in annotations) || !wildcardMatch(String(v), annotations[k]))
        return false;
    }
  }
  if (d.selector && !selectorMatches(d.selector, meta.labels ?? {}))
    return false;
  if (d.namespaceSelector) {
    const nsLabels =
      context.namespaceLabels ??
      (resource.kind === 'Namespace' ? meta.labels ?? {} : {});
    if (!selectorMatches(d.namespaceSelector, nsLabels)) return false;
  }
  if (d.operations?.length && !operationMatches(d.operations, context))
    return false;
  return true;
}

/**
 * Whether a `match` or `exclude` block selects the resource: `any` needs one
 * filter, `all` needs every filter; the legacy form is a single filter. When
 * several forms are present all of them must hold. An empty block selects
 * nothing.
 *
 * @public
 */
export function blockMatches(
  block: MatchBlock | undefined,
  resource: KubeResource,
  context: EvaluationContext = {},
): boolean {
  if (!block) return false;
  const checks: boolean[] = [];
  if (block.any?.length) {
    checks.push(block.any.some(f => filterMatches(f, resource, context)));
  }
  if (block.all?.length) {
    checks.push(block.all.every(f => filterMatches(f, resource, context)));
  }
  if (block.resources || block.subjects || block.roles || block.clusterRoles) {
    checks.push(filterMatches(block, resource, context));
  }
  return checks.length > 0 && checks.every(Boolean);
}

/**
 * Whether a rule applies: its `match` selects the resource and its `exclude`
 * (if any) does not.
 *
 * @public
 */
export function ruleSelects(
  rule: { match?: MatchBlock; exclude?: MatchBlock },
  resource: KubeResource,
  context: EvaluationContext = {},
): boolean {
  return (
    blockMatches(rule.match, resource, context) &&
    !blockMatches(rule.exclude, resource, context)
  );
}
