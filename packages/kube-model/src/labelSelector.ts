/**
 * Kubernetes label selectors, in both forms: the string form of `?labelSelector=` and
 * `backstage.io/kubernetes-label-selector` (`a=b,c!=d,e in (f,g),h notin (i),j,!k`, plus `a>1`,
 * `a<1`), and the object form of `spec.selector` (`matchLabels` / `matchExpressions`).
 *
 * Semantics follow `k8s.io/apimachinery/pkg/labels`: keys must be qualified names, values valid
 * label values; `!=` and `notin` also match objects without the key; an empty selector matches
 * everything.
 */

/** Thrown for a label selector the Kubernetes API server would reject. @public */
export class LabelSelectorError extends Error {
  constructor(selector: string, detail: string) {
    super(`invalid label selector "${selector}": ${detail}`);
    this.name = 'LabelSelectorError';
  }
}

/** Operator of a label selector requirement. @public */
export type LabelSelectorOperator =
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'Gt'
  | 'Lt';

/**
 * One requirement of a label selector (`a=b` is `In [b]`, `a!=b` is `NotIn [b]`).
 *
 * @public
 */
export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values: string[];
}

/** The object form of a label selector, as in `spec.selector`. @public */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

/** A predicate over an object's labels (`undefined` labels are no labels). @public */
export type LabelMatcher = (
  labels: Record<string, string> | undefined,
) => boolean;

// Same character rules as the API server: qualified names for keys, label values for values.
const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const INTEGER = /^[+-]?\d+$/;

/** Whether `key` is a valid label key (an optional DNS-subdomain prefix and a name). @public */
export function isValidLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return NAME_PART.test(key);
  const prefix = key.slice(0, slash);
  return (
    prefix.length <= 253 &&
    DNS_SUBDOMAIN.test(prefix) &&
    NAME_PART.test(key.slice(slash + 1))
  );
}

/** Whether `value` is a valid label value (empty, or at most 63 name characters). @public */
export function isValidLabelValue(value: string): boolean {
  return value === '' || NAME_PART.test(value);
}

type Token =
  | { type: 'word'; text: string }
  | { type: 'op'; text: '=' | '==' | '!=' | '!' | '>' | '<' }
  | { type: 'punct'; text: '(' | ')' | ',' };

const WHITESPACE = ' \t\r\n';
const SPECIAL = `${WHITESPACE}(),=!<>`;

function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < selector.length) {
    const c = selector[i];
    if (WHITESPACE.includes(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c });
      i++;
    } else if ((c === '!' || c === '=') && selector[i + 1] === '=') {
      tokens.push({ type: 'op', text: c === '!' ? '!=' : '==' });
      i += 2;
    } else if (c === '=' || c === '!' || c === '>' || c === '<') {
      tokens.push({ type: 'op', text: c });
      i++;
    } else {
      let j = i;
      while (j < selector.length && !SPECIAL.includes(selector[j])) j++;
      tokens.push({ type: 'word', text: selector.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/**
 * Parses a label selector string into its requirements. An empty selector has none (and so
 * matches everything).
 *
 * @throws LabelSelectorError on invalid syntax, keys or values.
 * @public
 */
export function parseLabelSelector(
  selector: string,
): LabelSelectorRequirement[] {
  const tokens = tokenize(selector);
  const requirements: LabelSelectorRequirement[] = [];
  let pos = 0;
  const fail = (detail: string): never => {
    throw new LabelSelectorError(selector, detail);
  };
  const word = (what: string): string => {
    const t = tokens[pos++];
    return t?.type === 'word' ? t.text : fail(`expected ${what}`);
  };
  const key = (what: string): string => {
    const k = word(what);
    return isValidLabelKey(k) ? k : fail(`invalid label key "${k}"`);
  };
  const value = (v: string): string =>
    isValidLabelValue(v) ? v : fail(`invalid label value "${v}"`);

  while (pos < tokens.length) {
    const first = tokens[pos];
    if (first.type === 'op' && first.text === '!') {
      pos++;
      const k = key('a label key after "!"');
      requirements.push({ key: k, operator: 'DoesNotExist', values: [] });
    } else {
      const k = key('a label key');
      const next = tokens[pos];
      if (!next || (next.type === 'punct' && next.text === ',')) {
        requirements.push({ key: k, operator: 'Exists', values: [] });
      } else if (next.type === 'op') {
        pos++;
        if (next.text === '!') fail(`unexpected "!" after "${k}"`);
        // An empty value (`a=`) is valid: it matches a label with an empty value.
        const v = value(tokens[pos]?.type === 'word' ? word('a value') : '');
        if (next.text === '>' || next.text === '<') {
          if (!INTEGER.test(v)) {
            fail(`"${next.text}" needs an integer value, got "${v}"`);
          }
          requirements.push({
            key: k,
            operator: next.text === '>' ? 'Gt' : 'Lt',
            values: [v],
          });
        } else {
          requirements.push({
            key: k,
            operator: next.text === '!=' ? 'NotIn' : 'In',
            values: [v],
          });
        }
      } else if (
        next.type === 'word' &&
        (next.text === 'in' || next.text === 'notin')
      ) {
        pos++;
        const parsed = parseValueSet(tokens, pos, fail);
        pos = parsed.end;
        requirements.push({
          key: k,
          operator: next.text === 'in' ? 'In' : 'NotIn',
          values: parsed.values.map(value),
        });
      } else {
        fail(`unexpected "${next.text}" after "${k}"`);
      }
    }
    const sep = tokens[pos];
    if (sep) {
      if (sep.type !== 'punct' || sep.text !== ',') {
        fail(`expected "," but found "${sep.text}"`);
      }
      pos++;
      if (pos >= tokens.length) fail('trailing ","');
    }
  }
  return requirements;
}

// `(a,b)`; like the API server, `(a,)` and `(,a)` also select the empty value.
function parseValueSet(
  tokens: Token[],
  start: number,
  fail: (detail: string) => never,
): { values: string[]; end: number } {
  let pos = start;
  const open = tokens[pos++];
  if (open?.type !== 'punct' || open.text !== '(') {
    fail('expected "(" after set operator');
  }
  const values: string[] = [];
  let expectValue = true;
  for (;;) {
    const t = tokens[pos++];
    if (!t) return fail('unclosed value set');
    if (t.type === 'word' && expectValue) {
      values.push(t.text);
      expectValue = false;
    } else if (t.type === 'punct' && t.text === ',') {
      if (expectValue) values.push('');
      expectValue = true;
    } else if (t.type === 'punct' && t.text === ')') {
      if (values.length === 0) return fail('empty value set');
      if (expectValue) values.push('');
      break;
    } else {
      return fail(`unexpected "${t.text}" in value set`);
    }
  }
  return { values: [...new Set(values)], end: pos };
}

/**
 * Converts the object form of a label selector into requirements (`matchLabels` entries become
 * `In` with one value).
 *
 * @throws LabelSelectorError for an unknown operator, or values where the operator needs none
 *   (or none where it needs some), as `metav1.LabelSelectorAsSelector` does.
 * @public
 */
export function labelSelectorRequirements(
  selector: LabelSelector,
): LabelSelectorRequirement[] {
  const requirements: LabelSelectorRequirement[] = Object.entries(
    selector.matchLabels ?? {},
  ).map(([key, value]) => ({ key, operator: 'In', values: [String(value)] }));
  for (const expression of selector.matchExpressions ?? []) {
    requirements.push(expressionRequirement(expression));
  }
  return requirements;
}

function expressionRequirement(expression: {
  key: string;
  operator: string;
  values?: string[];
}): LabelSelectorRequirement {
  const values = (expression.values ?? []).map(String);
  const fail = (detail: string): never => {
    throw new LabelSelectorError(JSON.stringify(expression), detail);
  };
  switch (expression.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        fail(`values must be non-empty for "${expression.operator}"`);
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        fail(`values must be empty for "${expression.operator}"`);
      }
      break;
    default:
      fail(`"${expression.operator}" is not a valid label selector operator`);
  }
  return {
    key: expression.key,
    operator: expression.operator as LabelSelectorOperator,
    values,
  };
}

function requirementMatches(
  requirement: LabelSelectorRequirement,
  labels: Record<string, string>,
  matchValue: (expected: string, actual: string) => boolean,
): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const actual = labels[requirement.key];
  switch (requirement.operator) {
    case 'In':
      return has && requirement.values.some(v => matchValue(v, actual));
    case 'NotIn':
      return !has || !requirement.values.some(v => matchValue(v, actual));
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || !INTEGER.test(actual)) return false;
      const bound = Number(requirement.values[0]);
      const n = Number(actual);
      return requirement.operator === 'Gt' ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

const equals = (expected: string, actual: string) => expected === actual;

/**
 * Whether `labels` satisfy every requirement.
 *
 * @public
 */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  requirements: readonly LabelSelectorRequirement[],
): boolean {
  const actual = labels ?? {};
  return requirements.every(r => requirementMatches(r, actual, equals));
}

/**
 * Parses a label selector string into a predicate over labels.
 *
 * @throws LabelSelectorError on invalid syntax, keys or values.
 * @public
 */
export function compileLabelSelector(selector: string): LabelMatcher {
  const requirements = parseLabelSelector(selector);
  return labels => matchesLabelSelector(labels, requirements);
}

/** Options of {@link matchesLabelSelectorObject}. @public */
export interface LabelSelectorObjectOptions {
  /**
   * Compares a `matchLabels` value with the label's value; equality by default. Kyverno, for
   * one, allows wildcards there.
   */
  matchLabelValue?: (expected: string, actual: string) => boolean;
}

/**
 * Whether `labels` satisfy the object form of a label selector; `{}` matches everything.
 *
 * @throws LabelSelectorError for an invalid `matchExpressions` entry.
 * @public
 */
export function matchesLabelSelectorObject(
  labels: Record<string, string> | undefined,
  selector: LabelSelector,
  options: LabelSelectorObjectOptions = {},
): boolean {
  const actual = labels ?? {};
  const matchLabelValue = options.matchLabelValue ?? equals;
  const expressions = (selector.matchExpressions ?? []).map(
    expressionRequirement,
  );
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) =>
      requirementMatches(
        { key, operator: 'In', values: [String(value)] },
        actual,
        matchLabelValue,
      ),
    ) && expressions.every(r => requirementMatches(r, actual, equals))
  );
}
