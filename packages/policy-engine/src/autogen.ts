/**
 * Pod-controller rule auto-generation, as Kyverno does it: a rule written for
 * Pods is also applied to the controllers that embed a Pod template.
 */
import type { MatchBlock, ResourceFilter } from './match';
import { parseKindSelector } from './match';

/** A Kyverno ClusterPolicy/Policy rule (the fields the engine reads). @public */
export interface KyvernoRule {
  name: string;
  match?: MatchBlock;
  exclude?: MatchBlock;
  preconditions?: unknown;
  context?: unknown[];
  celPreconditions?: unknown[];
  validate?: {
    message?: string;
    pattern?: unknown;
    anyPattern?: unknown[];
    failureAction?: string;
    failureActionOverrides?: Array<{ action?: string; namespaces?: string[] }>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** The policy annotation restricting or disabling auto-generation. @public */
export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

/**
 * Kyverno's default controller list (used when the annotation is absent).
 *
 * @public
 */
export const DEFAULT_POD_CONTROLLERS: readonly string[] = [
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'CronJob',
];

/**
 * The controllers rules are generated for: the default list, `[]` for `none`,
 * or the known kinds listed in the annotation (comma separated).
 *
 * @public
 */
export function autogenControllers(
  annotations?: Record<string, string>,
): string[] {
  const value = annotations?.[AUTOGEN_ANNOTATION];
  if (value === undefined) return [...DEFAULT_POD_CONTROLLERS];
  if (value.trim().toLowerCase() === 'none') return [];
  const wanted = value.split(',').map(s => s.trim());
  return DEFAULT_POD_CONTROLLERS.filter(c => wanted.includes(c));
}

function filtersOf(block: MatchBlock | undefined): ResourceFilter[] {
  if (!block) return [];
  const out = [...(block.any ?? []), ...(block.all ?? [])];
  if (block.resources) out.push(block);
  return out;
}

function isPodKind(kind: string): boolean {
  const sel = parseKindSelector(kind);
  return (
    sel.kind === 'Pod' &&
    sel.subresource === '' &&
    ['*', ''].includes(sel.group)
  );
}

/**
 * Whether Kyverno would auto-generate controller rules for this rule: every
 * `match` filter selects only Pods by kind, and no `match`/`exclude` filter
 * uses `name`, `names`, `selector` or `annotations` (those describe the Pod's
 * own metadata, which a controller does not share, so Kyverno declines).
 *
 * @public
 */
export function canAutogen(rule: KyvernoRule): boolean {
  if (!rule.validate) return false;
  const matchFilters = filtersOf(rule.match);
  if (matchFilters.length === 0) return false;
  const okFilter = (f: ResourceFilter, kindsRequired: boolean) => {
    const r = f.resources ?? {};
    if (r.name || r.names?.length || r.selector || r.annotations) return false;
    if (!r.kinds?.length) return !kindsRequired;
    return r.kinds.every(isPodKind);
  };
  return (
    matchFilters.every(f => okFilter(f, true)) &&
    filtersOf(rule.exclude).every(f => okFilter(f, false))
  );
}

function withKinds(
  block: MatchBlock | undefined,
  kinds: string[],
): MatchBlock | undefined {
  if (!block) return undefined;
  const mapFilter = <T extends ResourceFilter>(f: T): T =>
    f.resources?.kinds?.length
      ? { ...f, resources: { ...f.resources, kinds } }
      : f;
  const out: MatchBlock = mapFilter({ ...block });
  if (block.any) out.any = block.any.map(mapFilter);
  if (block.all) out.all = block.all.map(mapFilter);
  return out;
}

function shiftVariables(
  value: unknown,
  specTo: string,
  metadataTo?: string,
): unknown {
  if (value === undefined) return undefined;
  let json = JSON.stringify(value).replaceAll('request.object.spec', specTo);
  if (metadataTo) json = json.replaceAll('request.object.metadata', metadataTo);
  return JSON.parse(json);
}

function generate(
  rule: KyvernoRule,
  name: string,
  kinds: string[],
  wrap: (pattern: unknown) => unknown,
  templatePath: string,
): KyvernoRule {
  const validate = { ...rule.validate! };
  if (validate.pattern !== undefined) validate.pattern = wrap(validate.pattern);
  if (Array.isArray(validate.anyPattern))
    validate.anyPattern = validate.anyPattern.map(wrap);
  // deny conditions and foreach lists read the Pod through variables: they
  // move to the template like preconditions do.
  for (const key of ['deny', 'foreach'] as const) {
    if (validate[key] !== undefined) {
      validate[key] = shiftVariables(
        validate[key],
        `request.object.${templatePath}.spec`,
        `request.object.${templatePath}.metadata`,
      );
    }
  }
  if (typeof validate.message === 'string') {
    // Only spec references move: `{{request.object.metadata.name}}` keeps naming
    // the controller, which is what a reader of its report expects.
    validate.message = shiftVariables(
      validate.message,
      `request.object.${templatePath}.spec`,
    ) as string;
  }
  return {
    ...rule,
    name,
    match: withKinds(rule.match, kinds),
    exclude: withKinds(rule.exclude, kinds),
    preconditions: shiftVariables(
      rule.preconditions,
      `request.object.${templatePath}.spec`,
      `request.object.${templatePath}.metadata`,
    ),
    validate,
  };
}

// Generated rules per rule object and controller list.
const generatedRules = new WeakMap<KyvernoRule, Map<string, KyvernoRule[]>>();

/**
 * The controller rules Kyverno would generate for a Pod rule: `autogen-<rule>`
 * for the controllers with `spec.template` (pattern moved under
 * `spec.template`, so Pod `metadata` patterns apply to `spec.template.metadata`)
 * and `autogen-cronjob-<rule>` for CronJob (under
 * `spec.jobTemplate.spec.template`). Empty when {@link canAutogen} is false or
 * the annotation disables it.
 *
 * @public
 */

export function autogenRules(
  rule: KyvernoRule,
  policyAnnotations?: Record<string, string>,
): KyvernoRule[] {
  // Generated once per rule object and controller list: the same policies
  // are evaluated against every resource.
  const key = policyAnnotations?.[AUTOGEN_ANNOTATION] ?? '';
  let byKey = generatedRules.get(rule);
  if (!byKey) {
    byKey = new Map();
    generatedRules.set(rule, byKey);
  }
  let rules = byKey.get(key);
  if (!rules) {
    rules = generateAutogenRules(rule, policyAnnotations);
    byKey.set(key, rules);
  }
  return rules;
}

function generateAutogenRules(
  rule: KyvernoRule,
  policyAnnotations?: Record<string, string>,
): KyvernoRule[] {
  if (!canAutogen(rule)) return [];
  const controllers = autogenControllers(policyAnnotations);
  const out: KyvernoRule[] = [];
  const templated = controllers.filter(c => c !== 'CronJob');
  if (templated.length > 0) {
    out.push(
      generate(
        rule,
        `autogen-${rule.name}`,
        templated,
        p => ({ spec: { template: p } }),
        'spec.template',
      ),
    );
  }
  if (controllers.includes('CronJob')) {
    out.push(
      generate(
        rule,
        `autogen-cronjob-${rule.name}`,
        ['CronJob'],
        p => ({ spec: { jobTemplate: { spec: { template: p } } } }),
        'spec.jobTemplate.spec.template',
      ),
    );
  }
  return out;
}
