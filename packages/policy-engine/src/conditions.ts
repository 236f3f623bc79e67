/**
 * Kyverno `preconditions`: `{any: [...], all: [...]}` (or the legacy plain list,
 * meaning `all`) of `{key, operator, value}` conditions.
 */
import { compareScalars, isComparable } from './quantity';
import { substituteDeep, VariableScope } from './variables';
import { wildcardMatch } from './wildcard';

/** @public */
export interface Condition {
  key?: unknown;
  operator?: string;
  value?: unknown;
  message?: string;
}

/** Thrown for malformed conditions (unknown operator). */
export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null
  ) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(k =>
      deepEqual(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
      ),
    )
  );
}

/** Scalar equality: exact, numeric for quantities/durations, wildcards in `value`. */
function scalarEquals(key: unknown, value: unknown): boolean {
  if (deepEqual(key, value)) return true;
  if (
    (typeof key === 'string' || typeof key === 'number') &&
    (typeof value === 'string' || typeof value === 'number') &&
    isComparable(key) &&
    isComparable(value)
  ) {
    return compareScalars(key, value) === 0;
  }
  if (
    typeof value === 'string' &&
    (typeof key === 'string' ||
      typeof key === 'number' ||
      typeof key === 'boolean')
  ) {
    return wildcardMatch(value, String(key));
  }
  return false;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const contains = (set: unknown[], item: unknown) =>
  set.some(s => scalarEquals(item, s));

/**
 * Evaluates one condition whose key/value are already substituted.
 *
 * @public
 */
export function evaluateCondition(c: Condition): boolean {
  const key = c.key ?? null;
  const value = c.value ?? null;
  const keys = asList(key);
  const values = asList(value);
  const op = (c.operator ?? '').toLowerCase();
  const compare = () => {
    const r = compareScalars(key, value);
    if (r === undefined) return undefined;
    return r;
  };
  switch (op) {
    case 'equals':
    case 'equal':
      return scalarEquals(key, value);
    case 'notequals':
    case 'notequal':
      return !scalarEquals(key, value);
    case 'in':
    case 'allin':
      return keys.every(k => contains(values, k));
    case 'anyin':
      return keys.some(k => contains(values, k));
    case 'notin':
    case 'allnotin':
      return keys.every(k => !contains(values, k));
    case 'anynotin':
      return keys.some(k => !contains(values, k));
    case 'greaterthan': {
      const r = compare();
      return r !== undefined && r > 0;
    }
    case 'greaterthanorequals': {
      const r = compare();
      return r !== undefined && r >= 0;
    }
    case 'lessthan': {
      const r = compare();
      return r !== undefined && r < 0;
    }
    case 'lessthanorequals': {
      const r = compare();
      return r !== undefined && r <= 0;
    }
    default:
      throw new ConditionError(`unknown precondition operator "${c.operator}"`);
  }
}

/**
 * Whether a rule's preconditions hold. Variables in keys and values are
 * resolved first; unsupported variables throw `UnsupportedVariableError`.
 *
 * @public
 */
export function preconditionsMet(
  preconditions: unknown,
  scope: VariableScope,
): boolean {
  if (preconditions === undefined || preconditions === null) return true;
  const run = (list: unknown): Condition[] =>
    (Array.isArray(list) ? list : []).map(
      c => substituteDeep(c, scope) as Condition,
    );
  if (Array.isArray(preconditions)) {
    return run(preconditions).every(evaluateCondition);
  }
  if (typeof preconditions !== 'object') {
    throw new ConditionError(
      'preconditions must be a list or an {any, all} object',
    );
  }
  const { any, all } = preconditions as { any?: unknown; all?: unknown };
  const anyList = run(any);
  const allList = run(all);
  const anyOk = anyList.length === 0 || anyList.some(evaluateCondition);
  const allOk = allList.every(evaluateCondition);
  return anyOk && allOk;
}
