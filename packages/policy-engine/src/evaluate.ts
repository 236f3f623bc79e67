/**
 * Evaluation of Kyverno `validate` rules of ClusterPolicies/Policies against
 * one resource, producing Kyverno-style rule results.
 */
import { autogenRules, KyvernoRule } from './autogen';
import { ConditionError, evaluateConditions } from './conditions';
import { evaluateJmespath, UnknownKeyError } from './jmespath';
import { ruleSelects } from './match';
import { matchPattern, PatternOutcome, PatternSyntaxError } from './pattern';
import {
  evaluatePodSecurity,
  formatPodSecurityChecks,
  PodSecurityError,
  PodSecurityExclude,
  podOf,
} from './pss';
import type {
  EvaluationContext,
  KubeResource,
  PolicySeverity,
  RuleResult,
} from './types';
import {
  substitute,
  substituteDeep,
  UnsupportedVariableError,
  VariableScope,
  VariableSubstitutionError,
} from './variables';
import { matchesAny } from './wildcard';

const SEVERITIES: readonly PolicySeverity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
];

/** validate sub-features the embedded engine does not implement. */
const UNSUPPORTED_VALIDATE_FEATURES = ['cel', 'manifests', 'assert'] as const;

/** Prefix of every message for a feature the engine does not implement. */
export const UNSUPPORTED_PREFIX = 'unsupported by the embedded engine: ';

/** Whether a resource is a policy the engine evaluates. @public */
export function isKyvernoPolicy(policy: KubeResource): boolean {
  return (
    typeof policy?.apiVersion === 'string' &&
    /^kyverno\.io\/(v1|v2beta1)$/.test(policy.apiVersion) &&
    (policy.kind === 'ClusterPolicy' || policy.kind === 'Policy')
  );
}

/** The name results carry: `<ns>/<name>` for a namespaced Policy. @public */
export function policyDisplayName(policy: KubeResource): string {
  return policy.kind === 'Policy' && policy.metadata.namespace
    ? `${policy.metadata.namespace}/${policy.metadata.name}`
    : policy.metadata.name;
}

type Override = { action?: string; namespaces?: string[] };

function normalizeAction(action: unknown): boolean | undefined {
  if (typeof action !== 'string') return undefined;
  const a = action.toLowerCase();
  if (a === 'enforce') return true;
  if (a === 'audit') return false;
  return undefined;
}

function overrideAction(
  overrides: unknown,
  namespace: string,
): boolean | undefined {
  if (!Array.isArray(overrides)) return undefined;
  for (const o of overrides as Override[]) {
    if (o?.namespaces?.length && matchesAny(o.namespaces, namespace)) {
      const action = normalizeAction(o.action);
      if (action !== undefined) return action;
    }
  }
  return undefined;
}

/**
 * Effective failure action, most specific first: the rule's
 * `validate.failureActionOverrides` for the resource's namespace, the rule's
 * `validate.failureAction`, the policy's `spec.validationFailureActionOverrides`,
 * the policy's `spec.validationFailureAction`, else Audit. Case-insensitive.
 */
function isEnforce(
  spec: Record<string, unknown>,
  rule: KyvernoRule,
  namespace: string,
): boolean {
  return (
    overrideAction(rule.validate?.failureActionOverrides, namespace) ??
    normalizeAction(rule.validate?.failureAction) ??
    overrideAction(spec.validationFailureActionOverrides, namespace) ??
    normalizeAction(spec.validationFailureAction) ??
    false
  );
}

interface RuleOutcome {
  result: RuleResult['result'];
  message: string;
}

/** A rule `error` with Kyverno's wording: `<what>: <cause>`. */
function errorOutcome(what: string, e: Error): RuleOutcome {
  return { result: 'error', message: `${what}: ${e.message}` };
}

/**
 * Maps the engine's exceptions to rule outcomes: unsupported constructs are
 * `skip` naming the construct, substitution and syntax problems `error`
 * (as Kyverno reports them). Anything else is a bug and propagates.
 */
function guard(
  ruleName: string,
  what: string,
  run: () => RuleOutcome | null,
): RuleOutcome | null {
  try {
    return run();
  } catch (e) {
    if (e instanceof UnsupportedVariableError) {
      return {
        result: 'skip',
        message: `${UNSUPPORTED_PREFIX}${
          e.construct ?? `variable {{${e.expression}}}`
        }`,
      };
    }
    if (e instanceof VariableSubstitutionError) return errorOutcome(what, e);
    if (e instanceof ConditionError) return errorOutcome(`rule ${ruleName}`, e);
    if (e instanceof PatternSyntaxError) {
      return {
        result: 'error',
        message: `rule ${ruleName}: invalid pattern: ${e.message}`,
      };
    }
    if (e instanceof PodSecurityError)
      return errorOutcome(`rule ${ruleName}`, e);
    throw e;
  }
}

/** Whether a pattern uses Kyverno's `$(./../key)` references (not implemented). */
function containsReference(pattern: unknown): boolean {
  if (typeof pattern === 'string') return pattern.includes('$(');
  if (Array.isArray(pattern)) return pattern.some(containsReference);
  if (typeof pattern === 'object' && pattern !== null) {
    return Object.values(pattern).some(containsReference);
  }
  return false;
}

/** Kyverno's failure message: `validation error: <message>. rule <rule> failed at path <path>`. */
function failureMessage(
  rawMessage: string,
  scope: VariableScope,
  detail: string,
): string {
  // Substituted only for failures: most results pass, and a message may name
  // variables (`element`) that only exist where the failure happened.
  const message = rawMessage.includes('{{')
    ? String(substitute(rawMessage, scope, true))
    : rawMessage;
  if (message === '') return `validation error: ${detail}`;
  if (message.endsWith('.')) return `validation error: ${message} ${detail}`;
  return `validation error: ${message}. ${detail}`;
}

/** The part of a rule that is evaluated per resource or per foreach element. */
interface Validation {
  pattern?: unknown;
  anyPattern?: unknown;
  deny?: { conditions?: unknown } | null;
  foreach?: unknown;
}

function evaluatePatterns(
  ruleName: string,
  validation: Validation,
  scope: VariableScope,
  message: string,
): RuleOutcome {
  if (
    containsReference(validation.pattern) ||
    containsReference(validation.anyPattern)
  ) {
    return {
      result: 'skip',
      message: `${UNSUPPORTED_PREFIX}pattern reference $(...)`,
    };
  }
  if (validation.pattern !== undefined && validation.pattern !== null) {
    const pattern = substituteDeep(validation.pattern, scope);
    const outcome = matchPattern(scope.object, pattern);
    return toOutcome(ruleName, outcome, message, scope);
  }
  const anyPattern = validation.anyPattern;
  if (Array.isArray(anyPattern) && anyPattern.length > 0) {
    const failures: string[] = [];
    let skipped = 0;
    for (let i = 0; i < anyPattern.length; i++) {
      const pattern = substituteDeep(anyPattern[i], scope);
      const outcome = matchPattern(scope.object, pattern);
      if (outcome.status === 'pass') {
        return {
          result: 'pass',
          message: `validation rule '${ruleName}' anyPattern[${i}] passed.`,
        };
      }
      if (outcome.status === 'skip') skipped++;
      else
        failures.push(`rule ${ruleName}[${i}] failed at path ${outcome.path}`);
    }
    if (failures.length === 0 && skipped > 0) {
      return {
        result: 'skip',
        message: `rule ${ruleName} skipped: no anyPattern applies (conditional anchors not met)`,
      };
    }
    return {
      result: 'fail',
      message: failureMessage(message, scope, failures.join(' ')),
    };
  }
  return {
    result: 'error',
    message: `rule ${ruleName}: anyPattern must be a non-empty list`,
  };
}

function toOutcome(
  ruleName: string,
  outcome: PatternOutcome,
  message: string,
  scope: VariableScope,
): RuleOutcome {
  switch (outcome.status) {
    case 'pass':
      return {
        result: 'pass',
        message: `validation rule '${ruleName}' passed.`,
      };
    case 'skip':
      return {
        result: 'skip',
        message: `rule ${ruleName} skipped: ${outcome.reason} at path ${outcome.path}`,
      };
    default:
      return {
        result: 'fail',
        message: failureMessage(
          message,
          scope,
          `rule ${ruleName} failed at path ${outcome.path}`,
        ),
      };
  }
}

/**
 * `deny`: the rule fails when the conditions hold. The failure message is
 * the rule's message joined with the messages of the deciding conditions,
 * variables substituted (Kyverno's `getDenyMessage`).
 */
function evaluateDeny(
  ruleName: string,
  deny: { conditions?: unknown },
  scope: VariableScope,
  rawMessage: string,
): RuleOutcome {
  const outcome = evaluateConditions(deny.conditions ?? null, scope);
  if (!outcome.met)
    return { result: 'pass', message: `validation rule '${ruleName}' passed.` };
  const joined = [rawMessage, outcome.message].filter(Boolean).join('; ');
  if (joined === '')
    return {
      result: 'fail',
      message: `validation error: rule ${ruleName} failed`,
    };
  return { result: 'fail', message: String(substitute(joined, scope, true)) };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The foreach list: a JMESPath expression, with or without `{{ }}`. */
function foreachList(list: unknown, scope: VariableScope): unknown[] {
  if (typeof list !== 'string' || list.trim() === '') {
    throw new ConditionError('foreach.list must be a JMESPath expression');
  }
  const expression = list.trim().replace(/^\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');
  const value = scope.query(expression);
  // Kyverno's EvaluateList: a result that is not a list is one element (null is skipped).
  if (!Array.isArray(value)) return [value];
  return value;
}

/**
 * `foreach` as Kyverno's validator runs it: every declaration's list is
 * evaluated (a missing key skips that declaration), each non-null element
 * gets `element`/`elementIndex` and, with `elementScope` (default) and a map
 * element, becomes the object the pattern applies to; per-element
 * preconditions that do not hold or cannot be evaluated skip the element;
 * the first element that does not pass decides. `null` when no element was
 * evaluated (Kyverno then reports nothing for the rule).
 */
function evaluateForeach(
  ruleName: string,
  declarations: unknown,
  scope: VariableScope,
  rawMessage: string,
  nesting: number,
): RuleOutcome | null {
  if (!Array.isArray(declarations)) {
    return {
      result: 'error',
      message: `rule ${ruleName}: foreach must be a list`,
    };
  }
  let applied = 0;
  let listError: Error | undefined;
  for (const declaration of declarations) {
    if (!isObject(declaration)) continue;
    let elements: unknown[];
    try {
      elements = foreachList(declaration.list, scope);
    } catch (e) {
      if (
        e instanceof VariableSubstitutionError &&
        e.cause instanceof UnknownKeyError
      )
        continue;
      if (
        e instanceof VariableSubstitutionError ||
        e instanceof ConditionError
      ) {
        listError = e;
        continue;
      }
      throw e;
    }
    if (Array.isArray(declaration.context) && declaration.context.length > 0) {
      const unsupported = unsupportedContext(declaration.context);
      if (unsupported)
        return {
          result: 'skip',
          message: `${UNSUPPORTED_PREFIX}${unsupported}`,
        };
    }
    for (let index = 0; index < elements.length; index++) {
      const element = elements[index];
      if (element === null || element === undefined) continue;
      if (declaration.elementScope === true && !isObject(element)) {
        return {
          result: 'error',
          message: `failed to process foreach: cannot use elementScope=true for elements that are not maps`,
        };
      }
      const elementScope =
        declaration.elementScope !== false && isObject(element);
      let elementVars = scope.withElement(
        element,
        index,
        nesting,
        elementScope,
      );
      const r = guard(ruleName, 'failed to evaluate preconditions', () => {
        elementVars = withContextVariables(elementVars, declaration.context);
        const pre = evaluateConditions(
          declaration.preconditions ?? null,
          elementVars,
        );
        return pre.met
          ? null
          : { result: 'skip', message: 'preconditions not met' };
      });
      if (r?.result === 'skip' && !r.message.startsWith(UNSUPPORTED_PREFIX))
        continue;
      if (r?.result === 'error') continue; // Kyverno skips elements whose preconditions fail to evaluate
      if (r) return r;
      const outcome = guard(ruleName, 'variable substitution failed', () =>
        evaluateValidation(
          ruleName,
          declaration as Validation,
          elementVars,
          rawMessage,
          nesting + 1,
        ),
      );
      if (outcome === null || outcome.result === 'skip') {
        if (outcome?.message.startsWith(UNSUPPORTED_PREFIX)) return outcome;
        continue;
      }
      if (outcome.result !== 'pass') {
        return {
          result: outcome.result,
          message: `validation failure: ${outcome.message}`,
        };
      }
      applied++;
    }
  }
  if (applied === 0) {
    if (listError) return errorOutcome('failed to evaluate list', listError);
    return null;
  }
  return { result: 'pass', message: `validation rule '${ruleName}' passed.` };
}

/** deny, else pattern/anyPattern, else foreach (Kyverno's order). */
function evaluateValidation(
  ruleName: string,
  validation: Validation,
  scope: VariableScope,
  rawMessage: string,
  nesting: number,
): RuleOutcome | null {
  if (validation.deny !== undefined && validation.deny !== null) {
    return evaluateDeny(ruleName, validation.deny, scope, rawMessage);
  }
  if (
    (validation.pattern !== undefined && validation.pattern !== null) ||
    (validation.anyPattern !== undefined && validation.anyPattern !== null)
  ) {
    return evaluatePatterns(ruleName, validation, scope, rawMessage);
  }
  if (validation.foreach !== undefined && validation.foreach !== null) {
    return evaluateForeach(
      ruleName,
      validation.foreach,
      scope,
      rawMessage,
      nesting,
    );
  }
  // An empty foreach body checks nothing (Kyverno skips the element).
  if (nesting > 0) return null;
  return {
    result: 'error',
    message: `rule ${ruleName}: validate has none of pattern, anyPattern, deny, foreach, podSecurity`,
  };
}

/** The first context entry the engine cannot load (ConfigMap, API call, image data, global context). */
function unsupportedContext(entries: unknown[]): string | undefined {
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    if (entry.variable !== undefined) continue;
    const kind = [
      'configMap',
      'apiCall',
      'imageRegistry',
      'globalReference',
    ].find(k => entry[k] !== undefined);
    return `context entry '${String(entry.name)}' (${
      kind ?? 'unknown source'
    })`;
  }
  return undefined;
}

/** Adds `context` entries of type `variable` (value, jmesPath, default) to the scope. */
function withContextVariables(
  scope: VariableScope,
  entries: unknown,
): VariableScope {
  if (!Array.isArray(entries)) return scope;
  let current = scope;
  for (const entry of entries) {
    if (
      !isObject(entry) ||
      !isObject(entry.variable) ||
      typeof entry.name !== 'string'
    )
      continue;
    const variable = entry.variable;
    let value: unknown =
      variable.value !== undefined
        ? substituteDeep(variable.value, current)
        : null;
    if (typeof variable.jmesPath === 'string') {
      const path = variable.jmesPath;
      try {
        value =
          variable.value !== undefined
            ? evaluateJmespath(path, value)
            : current.query(String(substitute(path, current)));
      } catch (e) {
        if (variable.default === undefined) throw e;
        value = null;
      }
    }
    if (
      (value === null || value === undefined) &&
      variable.default !== undefined
    ) {
      value = substituteDeep(variable.default, current);
    }
    current = current.withVariable(entry.name, value ?? null);
  }
  return current;
}

function evaluatePodSecurityRule(
  ruleName: string,
  podSecurity: Record<string, unknown>,
  resource: KubeResource,
): RuleOutcome {
  const pod = podOf(resource);
  if (!pod) {
    return {
      result: 'skip',
      message: `rule ${ruleName} skipped: ${resource.kind} has no Pod template`,
    };
  }
  const level = String(podSecurity.level ?? '');
  const version =
    typeof podSecurity.version === 'string' ? podSecurity.version : 'latest';
  const excludes = Array.isArray(podSecurity.exclude)
    ? (podSecurity.exclude as PodSecurityExclude[])
    : [];
  const failed = evaluatePodSecurity(pod, level, version, excludes);
  if (failed.length === 0) {
    return { result: 'pass', message: `Validation rule '${ruleName}' passed.` };
  }
  return {
    result: 'fail',
    message: `Validation rule '${ruleName}' failed. It violates PodSecurity "${level}:${version}": ${formatPodSecurityChecks(
      failed,
    )}`,
  };
}

/** Evaluates one (possibly generated) rule that already selects the resource. */
function evaluateSelectedRule(
  rule: KyvernoRule,
  base: VariableScope,
): RuleOutcome | null {
  const validate = rule.validate!;
  const rawMessage =
    typeof validate.message === 'string' ? validate.message : '';
  if (Array.isArray(rule.context) && rule.context.length > 0) {
    const unsupported = unsupportedContext(rule.context);
    if (unsupported)
      return { result: 'skip', message: `${UNSUPPORTED_PREFIX}${unsupported}` };
  }
  if (
    Array.isArray(rule.celPreconditions) &&
    rule.celPreconditions.length > 0
  ) {
    return { result: 'skip', message: `${UNSUPPORTED_PREFIX}celPreconditions` };
  }
  let scope = base;
  const pre = guard(rule.name, 'failed to load context', () => {
    scope = withContextVariables(base, rule.context);
    return null;
  });
  if (pre) return pre;
  const preconditions = guard(
    rule.name,
    'failed to evaluate preconditions',
    () => {
      const outcome = evaluateConditions(rule.preconditions ?? null, scope);
      if (outcome.met) return null;
      return {
        result: 'skip',
        message: ['preconditions not met', outcome.message]
          .filter(Boolean)
          .join('; '),
      };
    },
  );
  if (preconditions) return preconditions;
  for (const feature of UNSUPPORTED_VALIDATE_FEATURES) {
    if (validate[feature] !== undefined && validate[feature] !== null) {
      return { result: 'skip', message: `${UNSUPPORTED_PREFIX}${feature}` };
    }
  }
  if (isObject(validate.podSecurity)) {
    const podSecurity = validate.podSecurity;
    return guard(rule.name, 'podSecurity', () =>
      evaluatePodSecurityRule(
        rule.name,
        podSecurity,
        scope.object as KubeResource,
      ),
    );
  }
  return guard(rule.name, 'variable substitution failed', () =>
    evaluateValidation(rule.name, validate as Validation, scope, rawMessage, 0),
  );
}

/**
 * Evaluates every validate rule of every policy (kyverno.io/v1 ClusterPolicy
 * or Policy) against one resource; rules whose match/exclude do not select
 * the resource produce no result. Pod rules are also evaluated as their
 * auto-generated controller rules (`autogen-<rule>`, `autogen-cronjob-<rule>`).
 * Other objects in `policies` are ignored, as are namespaced Policies of
 * other namespaces and, for `operation: 'BACKGROUND'`, policies with
 * `spec.background: false`.
 *
 * @public
 */
export function evaluatePolicies(
  policies: KubeResource[],
  resource: KubeResource,
  context: EvaluationContext = {},
): RuleResult[] {
  const results: RuleResult[] = [];
  const operation = context.operation ?? 'BACKGROUND';
  const namespace = resource.metadata?.namespace ?? '';
  const scope = VariableScope.create({
    object: resource,
    operation,
    namespace: resource.metadata?.namespace,
    oldObject: context.oldObject,
    userName: context.userName,
  });
  for (const policy of policies) {
    if (!isKyvernoPolicy(policy)) continue;
    if (policy.kind === 'Policy' && policy.metadata.namespace !== namespace)
      continue;
    const spec = (policy.spec ?? {}) as Record<string, unknown>;
    if (operation === 'BACKGROUND' && spec.background === false) continue;
    const annotations = policy.metadata.annotations ?? {};
    const severity = annotations[
      'policies.kyverno.io/severity'
    ]?.toLowerCase() as PolicySeverity;
    const category = annotations['policies.kyverno.io/category'];
    const base = {
      policy: policyDisplayName(policy),
      ...(SEVERITIES.includes(severity) ? { severity } : {}),
      ...(category ? { category } : {}),
      scored: annotations['policies.kyverno.io/scored'] !== 'false',
    };
    const rules = Array.isArray(spec.rules)
      ? (spec.rules as KyvernoRule[])
      : [];
    for (const original of rules) {
      if (!original?.validate) continue;
      for (const rule of [original, ...autogenRules(original, annotations)]) {
        if (!ruleSelects(rule, resource, context)) continue;
        const outcome = evaluateSelectedRule(rule, scope);
        // A foreach with no element to check produces no result, as in Kyverno.
        if (outcome === null) continue;
        results.push({
          ...base,
          rule: rule.name,
          result: outcome.result,
          message: outcome.message,
          enforce: isEnforce(spec, rule, namespace),
        });
      }
    }
  }
  return results;
}

/**
 * Enforce-mode failures only, for admission-style rejection.
 *
 * @public
 */
export function enforceViolations(results: RuleResult[]): RuleResult[] {
  return results.filter(r => r.result === 'fail' && r.enforce);
}
