/**
 * Kyverno conditions (`preconditions`, `deny.conditions`, foreach
 * `preconditions`): `{any: [...], all: [...]}` or the legacy plain list
 * (= all) of `{key, operator, value, message}`. Operators follow Kyverno's
 * operator handlers (docs: "Preconditions" → "Operators").
 */
import { compareQuantities } from '@internal/kube-model';
import { matchValuePattern } from './pattern';
import { parseDuration } from './quantity';
import { compareSemver, parseSemver } from './semver';
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

/** Every operator Kyverno documents, lower-cased (Equal/NotEqual are accepted aliases). @public */
export const CONDITION_OPERATORS: readonly string[] = [
  'Equals',
  'NotEquals',
  'In',
  'AnyIn',
  'AllIn',
  'NotIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThan',
  'GreaterThanOrEquals',
  'LessThan',
  'LessThanOrEquals',
  'DurationGreaterThan',
  'DurationGreaterThanOrEquals',
  'DurationLessThan',
  'DurationLessThanOrEquals',
];

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

/** Kyverno parses durations only from strings, and never "0". */
function duration(v: unknown): number | undefined {
  if (typeof v !== 'string' || v.trim() === '0') return undefined;
  return parseDuration(v);
}

const isNumber = (v: unknown): v is number => typeof v === 'number';

function parseFloatStrict(v: string): number | undefined {
  const t = v.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t))
    return undefined;
  return Number(t);
}

/** Equals: typed by the key, as Kyverno's EqualHandler. */
function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return value === key;
  if (isNumber(key)) {
    if (isNumber(value)) return key === value;
    if (typeof value === 'string') return parseFloatStrict(value) === key;
    return false;
  }
  if (typeof key === 'string') {
    const dk = duration(key);
    const dv = duration(value);
    if (dk !== undefined && dv !== undefined) return dk === dv;
    if (typeof value === 'string') {
      const cmp = compareQuantities(key, value);
      if (cmp !== undefined) return cmp === 0;
      return wildcardMatch(value, key);
    }
    return false;
  }
  if (typeof key === 'object' && key !== null) return deepEqual(key, value);
  return false;
}

/** Numeric comparison: numbers, durations, quantities, then semantic versions. */
function numericCompare(key: unknown, value: unknown): number | undefined {
  const asNumber = (v: unknown) => {
    if (isNumber(v)) return v;
    return typeof v === 'string' ? parseFloatStrict(v) : undefined;
  };
  const dk = duration(key);
  const dv = duration(value);
  if (dk !== undefined && dv !== undefined) return Math.sign(dk - dv);
  if (isNumber(key)) {
    const v = asNumber(value);
    return v === undefined ? undefined : Math.sign(key - v);
  }
  if (typeof key !== 'string') return undefined;
  if (typeof value === 'string') {
    const q = compareQuantities(key, value);
    if (q !== undefined) return q;
  }
  const k = parseFloatStrict(key);
  if (k !== undefined) {
    const v = asNumber(value);
    return v === undefined ? undefined : Math.sign(k - v);
  }
  const sk = parseSemver(key);
  if (sk) {
    const sv = typeof value === 'string' ? parseSemver(value) : undefined;
    return sv ? compareSemver(sk, sv) : undefined;
  }
  return undefined;
}

/** Deprecated Duration* operators: both sides durations (numbers are seconds). */
function durationCompare(key: unknown, value: unknown): number | undefined {
  const toNs = (v: unknown) => {
    if (isNumber(v)) return v * 1e9;
    return typeof v === 'string' ? parseDuration(v) : undefined;
  };
  const k = toNs(key);
  const v = toNs(value);
  return k === undefined || v === undefined ? undefined : Math.sign(k - v);
}

function goString(v: unknown): string {
  if (typeof v === 'string') return v;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The key as a list of strings, or undefined when its type is invalid for set operators. */
function keyList(key: unknown): string[] | undefined {
  if (Array.isArray(key)) return key.map(goString);
  if (typeof key === 'string' || isNumber(key) || typeof key === 'boolean') {
    return [goString(key)];
  }
  return undefined;
}

const RANGE_RE = /^\s*-?[\d.]+[a-zA-Z]*\s*!?-\s*-?[\d.]+[a-zA-Z]*\s*$/;

/**
 * The value of a set operator: an array, a scalar, a JSON array in a string,
 * or (Any/All operators) a range string such as `"1-10"`.
 */
type ValueSet =
  | { kind: 'list'; items: string[] }
  | { kind: 'range'; range: string }
  | undefined;

function valueSet(
  value: unknown,
  allowRange: boolean,
  strictJson: boolean,
): ValueSet {
  if (Array.isArray(value)) return { kind: 'list', items: value.map(goString) };
  if (isNumber(value) || typeof value === 'boolean') {
    return { kind: 'list', items: [goString(value)] };
  }
  if (typeof value !== 'string') return undefined;
  if (allowRange && RANGE_RE.test(value))
    return { kind: 'range', range: value };
  try {
    const parsed = JSON.parse(value);
    if (Array.isArray(parsed))
      return { kind: 'list', items: parsed.map(goString) };
  } catch {
    // not JSON
  }
  return strictJson ? undefined : { kind: 'list', items: [value] };
}

const wildcardEither = (a: string, b: string) =>
  wildcardMatch(a, b) || wildcardMatch(b, a);

function inRange(key: string, range: string): boolean {
  return matchValuePattern(
    parseFloatStrict(key) ?? key,
    range.replace(/\s+/g, ''),
  );
}

type SetMode = 'anyIn' | 'allIn' | 'anyNotIn' | 'allNotIn';

function setOperator(key: unknown, value: unknown, mode: SetMode): boolean {
  const keys = keyList(key);
  if (!keys) return false;
  if (typeof value === 'string' && keys.length === 1 && keys[0] === value) {
    return mode === 'anyIn' || mode === 'allIn';
  }
  const set = valueSet(value, true, false);
  if (!set) return false;
  const member = (k: string) =>
    set.kind === 'range'
      ? inRange(k, set.range)
      : set.items.some(v => wildcardEither(k, v));
  switch (mode) {
    case 'anyIn':
      return keys.some(member);
    case 'allIn':
      return keys.every(member);
    case 'anyNotIn':
      return keys.some(k => !member(k));
    default:
      return keys.every(k => !member(k));
  }
}

/** The deprecated In/NotIn: wildcards for a single key, exact set membership for a list key. */
function legacyIn(key: unknown, value: unknown): boolean | undefined {
  if (Array.isArray(key)) {
    const keys = key.map(goString);
    if (typeof value === 'string' && keys.length === 1 && keys[0] === value)
      return true;
    const set = valueSet(value, false, true);
    if (!set || set.kind !== 'list') return undefined;
    return keys.every(k => set.items.includes(k));
  }
  const keys = keyList(key);
  if (!keys) return undefined;
  const k = keys[0];
  if (Array.isArray(value))
    return value.map(goString).some(v => wildcardEither(k, v));
  if (typeof value === 'string') {
    if (wildcardMatch(value, k)) return true;
    const set = valueSet(value, false, true);
    if (!set || set.kind !== 'list') return undefined;
    return set.items.includes(k);
  }
  return undefined;
}

/**
 * Evaluates one condition whose key/value are already substituted.
 *
 * @public
 */
export function evaluateCondition(c: Condition): boolean {
  const key = c.key ?? null;
  const value = c.value ?? null;
  const op = (c.operator ?? '').toLowerCase();
  const cmp = () => numericCompare(key, value);
  const dcmp = () => durationCompare(key, value);
  const holds = (r: number | undefined, test: (n: number) => boolean) =>
    r !== undefined && test(r);
  switch (op) {
    case 'equals':
    case 'equal':
      return equals(key, value);
    case 'notequals':
    case 'notequal':
      return !equals(key, value);
    case 'in':
      return legacyIn(key, value) === true;
    case 'notin': {
      if (Array.isArray(key)) {
        const r = legacyIn(key, value);
        if (r === undefined) return false;
        const keys = key.map(goString);
        const set = valueSet(value, false, true);
        return set?.kind === 'list'
          ? keys.some(k => !set.items.includes(k))
          : false;
      }
      const r = legacyIn(key, value);
      return r === undefined ? false : !r;
    }
    case 'anyin':
      return setOperator(key, value, 'anyIn');
    case 'allin':
      return setOperator(key, value, 'allIn');
    case 'anynotin':
      return setOperator(key, value, 'anyNotIn');
    case 'allnotin':
      return setOperator(key, value, 'allNotIn');
    case 'greaterthan':
      return holds(cmp(), r => r > 0);
    case 'greaterthanorequals':
      return holds(cmp(), r => r >= 0);
    case 'lessthan':
      return holds(cmp(), r => r < 0);
    case 'lessthanorequals':
      return holds(cmp(), r => r <= 0);
    case 'durationgreaterthan':
      return holds(dcmp(), r => r > 0);
    case 'durationgreaterthanorequals':
      return holds(dcmp(), r => r >= 0);
    case 'durationlessthan':
      return holds(dcmp(), r => r < 0);
    case 'durationlessthanorequals':
      return holds(dcmp(), r => r <= 0);
    default:
      throw new ConditionError(`unknown condition operator "${c.operator}"`);
  }
}

/** The outcome of a condition block and the messages Kyverno joins into its result. */
export interface ConditionsOutcome {
  met: boolean;
  /** `; `-joined messages of the conditions that decided the outcome. */
  message: string;
}

function run(
  condition: unknown,
  scope: VariableScope,
): { ok: boolean; message?: string } {
  const c = condition as Condition;
  const key = substituteDeep(c?.key ?? null, scope);
  const value = substituteDeep(c?.value ?? null, scope);
  const ok = evaluateCondition({ key, value, operator: c?.operator });
  return {
    ok,
    message: typeof c?.message === 'string' ? c.message : undefined,
  };
}

const join = (messages: Array<string | undefined>) =>
  messages.filter((m): m is string => !!m).join('; ');

/**
 * Evaluates a condition block as Kyverno does: `any` holds when one of its
 * conditions holds (an `any` that is present but empty never holds), `all`
 * when every condition holds; both must hold. Variables in keys and values
 * are resolved first.
 *
 * @throws VariableSubstitutionError, UnsupportedVariableError, ConditionError
 * @public
 */
export function evaluateConditions(
  conditions: unknown,
  scope: VariableScope,
): ConditionsOutcome {
  if (conditions === undefined || conditions === null)
    return { met: true, message: '' };
  if (Array.isArray(conditions)) {
    for (const c of conditions) {
      const r = run(c, scope);
      if (!r.ok) return { met: false, message: join([r.message]) };
    }
    return { met: true, message: '' };
  }
  if (typeof conditions !== 'object') {
    throw new ConditionError(
      'conditions must be a list or an {any, all} object',
    );
  }
  const { any, all } = conditions as { any?: unknown; all?: unknown };
  const trueMessages: Array<string | undefined> = [];
  const falseMessages: Array<string | undefined> = [];
  let anyOk = true;
  if (any !== undefined && any !== null) {
    anyOk = false;
    for (const c of Array.isArray(any) ? any : []) {
      const r = run(c, scope);
      if (r.ok) {
        anyOk = true;
        trueMessages.push(r.message);
        break;
      }
      falseMessages.push(r.message);
    }
  }
  let allOk = true;
  for (const c of Array.isArray(all) ? all : []) {
    const r = run(c, scope);
    if (!r.ok) {
      allOk = false;
      falseMessages.push(r.message);
      break;
    }
    trueMessages.push(r.message);
  }
  const met = anyOk && allOk;
  return { met, message: join(met ? trueMessages : falseMessages) };
}

/**
 * Whether a rule's preconditions hold (see {@link evaluateConditions}).
 *
 * @public
 */
export function preconditionsMet(
  preconditions: unknown,
  scope: VariableScope,
): boolean {
  return evaluateConditions(preconditions, scope).met;
}
