/**
 * Evaluation of Kyverno `validate` rules of ClusterPolicies/Policies against
 * one resource, producing Kyverno-style rule results.
 */
import { autogenRules, KyvernoRule } from './autogen';
import { ConditionError, preconditionsMet } from './conditions';
import { ruleSelects } from './match';
import { matchPattern, PatternOutcome, PatternSyntaxError } from './pattern';
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
const UNSUPPORTED_VALIDATE_FEATURES = [
  'deny',
  'foreach',
  'cel',
  'podSecurity',
  'manifests',
  'assert',
] as const;

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
function failureMessage(message: string, detail: string): string {
  if (message === '') return `validation error: ${detail}`;
  if (message.endsWith('.')) return `validation error: ${message} ${detail}`;
  return `validation error: ${message}. ${detail}`;
}

interface RuleOutcome {
  result: RuleResult['result'];
  message: string;
}

function evaluatePatterns(
  rule: KyvernoRule,
  scope: VariableScope,
  message: string,
): RuleOutcome {
  const validate = rule.validate!;
  if (
    containsReference(validate.pattern) ||
    containsReference(validate.anyPattern)
  ) {
    return {
      result: 'skip',
      message: `${UNSUPPORTED_PREFIX}pattern reference $(...)`,
    };
  }
  if (validate.pattern !== undefined) {
    const pattern = substituteDeep(validate.pattern, scope);
    const outcome = matchPattern(scope.object, pattern);
    return toOutcome(rule.name, outcome, message);
  }
  if (Array.isArray(validate.anyPattern) && validate.anyPattern.length > 0) {
    const failures: string[] = [];
    let skipped = 0;
    for (let i = 0; i < validate.anyPattern.length; i++) {
      const pattern = substituteDeep(validate.anyPattern[i], scope);
      const outcome = matchPattern(scope.object, pattern);
      if (outcome.status === 'pass') {
        return {
          result: 'pass',
          message: `validation rule '${rule.name}' anyPattern[${i}] passed.`,
        };
      }
      if (outcome.status === 'skip') {
        skipped++;
      } else {
        failures.push(`rule ${rule.name}[${i}] failed at path ${outcome.path}`);
      }
    }
    if (failures.length === 0 && skipped > 0) {
      return {
        result: 'skip',
        message: `rule ${rule.name} skipped: no anyPattern applies (conditional anchors not met)`,
      };
    }
    return {
      result: 'fail',
      message: failureMessage(message, failures.join(' ')),
    };
  }
  return {
    result: 'error',
    message: `rule ${rule.name}: validate has neither pattern nor anyPattern`,
  };
}

function toOutcome(
  ruleName: string,
  outcome: PatternOutcome,
  message: string,
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
          `rule ${ruleName} failed at path ${outcome.path}`,
        ),
      };
  }
}

/** Evaluates one (possibly generated) rule that already selects the resource. */
function evaluateSelectedRule(
  rule: KyvernoRule,
  scope: VariableScope,
): RuleOutcome {
  const validate = rule.validate!;
  const rawMessage =
    typeof validate.message === 'string' ? validate.message : '';
  const message = String(substitute(rawMessage, scope, true));
  if (Array.isArray(rule.context) && rule.context.length > 0) {
    return { result: 'skip', message: `${UNSUPPORTED_PREFIX}context` };
  }
  if (
    Array.isArray(rule.celPreconditions) &&
    rule.celPreconditions.length > 0
  ) {
    return { result: 'skip', message: `${UNSUPPORTED_PREFIX}celPreconditions` };
  }
  try {
    if (!preconditionsMet(rule.preconditions, scope)) {
      return { result: 'skip', message: 'preconditions not met' };
    }
  } catch (e) {
    if (e instanceof UnsupportedVariableError) {
      return {
        result: 'skip',
        message: `${UNSUPPORTED_PREFIX}precondition variable {{${e.expression}}}`,
      };
    }
    if (e instanceof ConditionError) {
      return { result: 'error', message: `rule ${rule.name}: ${e.message}` };
    }
    throw e;
  }
  for (const feature of UNSUPPORTED_VALIDATE_FEATURES) {
    if (validate[feature] !== undefined && validate[feature] !== null) {
      return { result: 'skip', message: `${UNSUPPORTED_PREFIX}${feature}` };
    }
  }
  try {
    return evaluatePatterns(rule, scope, message);
  } catch (e) {
    if (e instanceof UnsupportedVariableError) {
      return {
        result: 'skip',
        message: `${UNSUPPORTED_PREFIX}pattern variable {{${e.expression}}}`,
      };
    }
    if (e instanceof PatternSyntaxError) {
      return {
        result: 'error',
        message: `rule ${rule.name}: invalid pattern: ${e.message}`,
      };
    }
    throw e;
  }
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
  const scope: VariableScope = {
    object: resource,
    operation,
    namespace: resource.metadata?.namespace,
  };
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
