/**
 * Kyverno `validate.pattern` matching: value patterns on scalars, map and array
 * patterns, and the anchors `(key)`, `=(key)`, `^(key)`, `X(key)`, `<(key)`.
 *
 * Outcomes are three-valued like Kyverno's: `pass`, `fail` (with the JSON-pointer
 * style path Kyverno prints, e.g. `/spec/containers/0/image/`), and `skip` when a
 * conditional/global anchor did not hold, so the pattern does not apply.
 */
import { compareScalars, isComparable } from './quantity';
import { wildcardMatch } from './wildcard';

/** @public */
export type PatternOutcome =
  | { status: 'pass' }
  | { status: 'fail'; path: string; reason: string }
  | { status: 'skip'; path: string; reason: string };

/**
 * Thrown for patterns that cannot be evaluated at all (unknown anchor, empty
 * array, operator without a comparable operand). The evaluator turns it into
 * an `error` result.
 *
 * @public
 */
export class PatternSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternSyntaxError';
  }
}

/** @public */
export type AnchorType =
  | 'none'
  | 'conditional'
  | 'equality'
  | 'existence'
  | 'negation'
  | 'global';

/** @public */
export interface ParsedKey {
  anchor: AnchorType;
  key: string;
}

const ANCHOR_RE = /^(=|\^|X|<|\+)?\((.*)\)$/;

/**
 * Splits a pattern map key into its anchor and the plain key.
 * `+(key)` (add-if-not-present) is a mutate anchor and is rejected here.
 *
 * @public
 */
export function parseKey(raw: string): ParsedKey {
  const m = ANCHOR_RE.exec(raw);
  if (!m) {
    return { anchor: 'none', key: raw };
  }
  const key = m[2];
  if (key === '') {
    throw new PatternSyntaxError(`empty anchor key "${raw}"`);
  }
  switch (m[1]) {
    case undefined:
      return { anchor: 'conditional', key };
    case '=':
      return { anchor: 'equality', key };
    case '^':
      return { anchor: 'existence', key };
    case 'X':
      return { anchor: 'negation', key };
    case '<':
      return { anchor: 'global', key };
    default:
      throw new PatternSyntaxError(
        `anchor "${raw}" is only valid in mutate rules, not in validate patterns`,
      );
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringForm(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

type Operator = '' | '!' | '>' | '>=' | '<' | '<=';

const RANGE_RE = /^(\S+?)\s*(!?-)\s*(\S+)$/;

function checkComparable(operand: string, pattern: string): void {
  if (!isComparable(operand)) {
    throw new PatternSyntaxError(
      `operand "${operand}" of pattern "${pattern}" is not a number, quantity or duration`,
    );
  }
}

/** One `|`/`&`-free pattern element, e.g. `>=2Gi`, `!*:latest`, `1-10`. */
function matchSingle(value: unknown, pattern: string): boolean {
  if (pattern === '*') {
    // "*": the field must be present (any value, even empty or a map).
    return value !== null && value !== undefined;
  }
  // The pattern is parsed before looking at the value so that a malformed
  // pattern is reported as an error whatever the resource holds.
  const range = RANGE_RE.exec(pattern);
  const isRange = !!range && isComparable(range[1]) && isComparable(range[3]);
  let op: Operator = '';
  if (!isRange) {
    for (const candidate of ['>=', '<=', '>', '<', '!'] as const) {
      if (pattern.startsWith(candidate)) {
        op = candidate;
        break;
      }
    }
  }
  const operand = pattern.slice(op.length).trim();
  if (op !== '' && op !== '!') checkComparable(operand, pattern);

  if (value === null || value === undefined || typeof value === 'object') {
    return false;
  }
  if (isRange) {
    const lo = compareScalars(value, range![1]);
    const hi = compareScalars(value, range![3]);
    if (lo === undefined || hi === undefined) return false;
    const inside = lo >= 0 && hi <= 0;
    return range![2] === '-' ? inside : !inside;
  }
  if (op === '' || op === '!') {
    let equal: boolean;
    const cmp = isComparable(operand)
      ? compareScalars(value, operand)
      : undefined;
    if (cmp !== undefined) {
      // "1Gi" equals "1024Mi", 80 equals "80": Kyverno compares numerically
      // whenever both sides are quantities/durations.
      equal = cmp === 0;
    } else {
      equal = wildcardMatch(operand, stringForm(value) ?? '');
    }
    return op === '!' ? !equal : equal;
  }
  const cmp = compareScalars(value, operand);
  if (cmp === undefined) return false;
  switch (op) {
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '<':
      return cmp < 0;
    default:
      return cmp <= 0;
  }
}

/**
 * Matches one scalar resource value against a scalar pattern value:
 * - string: `|` (OR) of `&` (AND) of elements; each element may carry an
 *   operator (`!`, `>`, `>=`, `<`, `<=`), be a range (`1-10`, `1!-10`) or a
 *   wildcard string (`*`, `?`); numbers/bools are compared via their string
 *   form, numeric operands numerically (quantities, durations);
 * - number: equal number, or a string holding that number;
 * - boolean: the same boolean only;
 * - null: absent, null, or the type's zero value (`""`, `0`, `false`).
 *
 * @public
 */
export function matchValuePattern(value: unknown, pattern: unknown): boolean {
  if (pattern === null || pattern === undefined) {
    return (
      value === null ||
      value === undefined ||
      value === '' ||
      value === 0 ||
      value === false
    );
  }
  if (typeof pattern === 'boolean') {
    return value === pattern;
  }
  if (typeof pattern === 'number') {
    if (typeof value === 'number') return value === pattern;
    if (typeof value === 'string' && value.trim() !== '') {
      return Number(value) === pattern;
    }
    return false;
  }
  if (typeof pattern === 'string') {
    return pattern
      .split('|')
      .some(alternative =>
        alternative
          .split('&')
          .every(element => matchSingle(value, element.trim())),
      );
  }
  throw new PatternSyntaxError(
    `unsupported pattern value ${JSON.stringify(pattern)}`,
  );
}

const PASS: PatternOutcome = { status: 'pass' };

function hasConditionalAnchor(pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some(hasConditionalAnchor);
  if (!isMap(pattern)) return false;
  return Object.entries(pattern).some(([k, v]) => {
    const m = ANCHOR_RE.exec(k);
    if (m && (m[1] === undefined || m[1] === '<')) return true;
    return hasConditionalAnchor(v);
  });
}

/**
 * Matches a resource (sub)tree against a Kyverno pattern.
 *
 * @param resource - the resource value at `path`
 * @param pattern - the pattern value at `path`
 * @param path - Kyverno-style path prefix, `/` for the root
 * @throws PatternSyntaxError for patterns that cannot be evaluated
 * @public
 */
export function matchPattern(
  resource: unknown,
  pattern: unknown,
  path: string = '/',
): PatternOutcome {
  if (Array.isArray(pattern)) {
    return matchArray(resource, pattern, path);
  }
  if (isMap(pattern)) {
    if (!isMap(resource)) {
      return {
        status: 'fail',
        path,
        reason:
          resource === undefined || resource === null
            ? 'field is missing'
            : 'expected a map',
      };
    }
    return matchMap(resource, pattern, path);
  }
  if (Array.isArray(resource)) {
    // A scalar pattern against an array value applies to every element
    // (Kyverno: `supplementalGroups: ">0"` checks each group).
    for (const element of resource) {
      if (!matchValuePattern(element, pattern)) {
        return {
          status: 'fail',
          path,
          reason: `value ${JSON.stringify(
            element,
          )} does not match ${JSON.stringify(pattern)}`,
        };
      }
    }
    return PASS;
  }
  return matchValuePattern(resource, pattern)
    ? PASS
    : {
        status: 'fail',
        path,
        reason: `value ${
          JSON.stringify(resource) ?? 'undefined'
        } does not match ${JSON.stringify(pattern)}`,
      };
}

function matchArray(
  resource: unknown,
  pattern: unknown[],
  path: string,
): PatternOutcome {
  if (pattern.length === 0) {
    throw new PatternSyntaxError(`empty array pattern at ${path}`);
  }
  if (!Array.isArray(resource)) {
    return {
      status: 'fail',
      path,
      reason:
        resource === undefined || resource === null
          ? 'field is missing'
          : 'expected an array',
    };
  }
  const first = pattern[0];
  if (!isMap(first) && !Array.isArray(first)) {
    // A scalar first element: every resource element must match it (the rest
    // of the pattern array is not consulted, as in Kyverno).
    return matchPattern(resource, first, path);
  }
  if (Array.isArray(first)) {
    // Arrays of arrays are compared position by position; the resource needs
    // at least as many elements.
    if (resource.length < pattern.length) {
      return {
        status: 'fail',
        path,
        reason: `expected at least ${pattern.length} elements, found ${resource.length}`,
      };
    }
    let applied = 0;
    let firstSkip: PatternOutcome | undefined;
    for (let i = 0; i < pattern.length; i++) {
      const outcome = matchPattern(resource[i], pattern[i], `${path}${i}/`);
      if (outcome.status === 'fail') return outcome;
      if (outcome.status === 'skip') firstSkip ??= outcome;
      else applied++;
    }
    if (applied === 0 && firstSkip) return firstSkip;
    return PASS;
  }
  // A map pattern (the first element) applies to every resource element. Elements skipped
  // by a conditional anchor are ignored; if every element was skipped the
  // skip propagates (Kyverno reports the rule as skipped, not passed).
  let applied = 0;
  let firstSkip: PatternOutcome | undefined;
  for (let i = 0; i < resource.length; i++) {
    const outcome = matchPattern(resource[i], pattern[0], `${path}${i}/`);
    if (outcome.status === 'fail') return outcome;
    if (outcome.status === 'skip') {
      firstSkip ??= outcome;
    } else {
      applied++;
    }
  }
  if (applied === 0 && firstSkip) return firstSkip;
  return PASS;
}

const hasWildcard = (s: string) => s.includes('*') || s.includes('?');

/** The entry of `map` whose key is `tag`, plain or anchored (`=(labels)`). */
function entryFor(
  map: Record<string, unknown>,
  tag: string,
): [string, unknown] | undefined {
  for (const [k, v] of Object.entries(map)) {
    if (k === tag) return [k, v];
    const m = ANCHOR_RE.exec(k);
    if (m && m[2] === tag) return [k, v];
  }
  return undefined;
}

/**
 * Kyverno expands wildcard keys in `metadata.labels` and
 * `metadata.annotations` patterns against the resource's keys before
 * matching (`X(*-snippet)` names every annotation ending in `-snippet`).
 * Kyverno takes one matching key; this takes every matching key, which is
 * the same for one match and deterministic for several. A wildcard key that
 * matches nothing stays literal (absent, so `X(...)`/`=(...)` pass and a
 * plain key fails).
 */
function expandMetadataWildcards(
  pattern: Record<string, unknown>,
  resource: Record<string, unknown>,
): Record<string, unknown> {
  const patternMeta = entryFor(pattern, 'metadata');
  const resourceMeta = resource.metadata;
  if (!patternMeta || !isMap(patternMeta[1]) || !isMap(resourceMeta)) {
    return pattern;
  }
  let metadata: Record<string, unknown> | undefined;
  for (const tag of ['labels', 'annotations']) {
    const patternTag = entryFor(patternMeta[1], tag);
    const resourceTag = resourceMeta[tag];
    if (!patternTag || !isMap(patternTag[1]) || !isMap(resourceTag)) continue;
    const keys = Object.keys(patternTag[1]);
    if (!keys.some(hasWildcard)) continue;
    const expanded: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patternTag[1])) {
      if (!hasWildcard(k)) {
        expanded[k] = v;
        continue;
      }
      const m = ANCHOR_RE.exec(k);
      const prefix = m ? `${m[1] ?? ''}(` : '';
      const suffix = m ? ')' : '';
      const bare = m ? m[2] : k;
      const matches = Object.keys(resourceTag).filter(rk =>
        wildcardMatch(bare, rk),
      );
      if (matches.length === 0) expanded[k] = v;
      for (const rk of matches) expanded[`${prefix}${rk}${suffix}`] = v;
    }
    metadata ??= { ...patternMeta[1] };
    metadata[patternTag[0]] = expanded;
  }
  return metadata ? { ...pattern, [patternMeta[0]]: metadata } : pattern;
}

function matchMap(
  resource: Record<string, unknown>,
  rawPattern: Record<string, unknown>,
  path: string,
): PatternOutcome {
  const pattern = expandMetadataWildcards(rawPattern, resource);
  const entries = Object.entries(pattern).map(([raw, value]) => ({
    ...parseKey(raw),
    value,
  }));
  // An explicit null counts as absent: the API server drops null fields, so a
  // manifest with `hostPath: null` is stored without hostPath.
  const present = (key: string) =>
    Object.prototype.hasOwnProperty.call(resource, key) &&
    resource[key] !== undefined &&
    resource[key] !== null;

  // Phase 1: conditions (global and conditional anchors). A failed condition
  // means this map is not subject to the rest of the pattern.
  for (const e of entries) {
    if (e.anchor !== 'conditional' && e.anchor !== 'global') continue;
    const childPath = `${path}${e.key}/`;
    const outcome = present(e.key)
      ? matchPattern(resource[e.key], e.value, childPath)
      : ({
          status: 'fail',
          path: childPath,
          reason: 'field is missing',
        } as const);
    if (outcome.status !== 'pass') {
      return {
        status: 'skip',
        path: childPath,
        reason: `${
          e.anchor === 'global' ? 'global' : 'conditional'
        } anchor mismatch`,
      };
    }
  }

  // Phase 2: everything else. Keys whose subtree holds conditions go first so
  // that a "does not apply" skip is reported in preference to a sibling
  // failure, as Kyverno orders them.
  const rest = entries.filter(
    e => e.anchor !== 'conditional' && e.anchor !== 'global',
  );
  rest.sort(
    (a, b) =>
      Number(hasConditionalAnchor(b.value)) -
      Number(hasConditionalAnchor(a.value)),
  );
  for (const e of rest) {
    const childPath = `${path}${e.key}/`;
    let outcome: PatternOutcome;
    switch (e.anchor) {
      case 'negation':
        outcome = present(e.key)
          ? {
              status: 'fail',
              path: childPath,
              reason: 'field must not be present',
            }
          : PASS;
        break;
      case 'equality':
        outcome = present(e.key)
          ? matchPattern(resource[e.key], e.value, childPath)
          : PASS;
        break;
      case 'existence':
        outcome = matchExistence(resource[e.key], e.value, childPath);
        break;
      default:
        outcome = matchPattern(resource[e.key], e.value, childPath);
    }
    if (outcome.status !== 'pass') return outcome;
  }
  return PASS;
}

function matchExistence(
  resource: unknown,
  pattern: unknown,
  path: string,
): PatternOutcome {
  if (!Array.isArray(pattern) || pattern.length !== 1) {
    throw new PatternSyntaxError(
      `existence anchor at ${path} needs a pattern array with exactly one element`,
    );
  }
  if (!Array.isArray(resource)) {
    return {
      status: 'fail',
      path,
      reason: 'existence anchor: expected an array',
    };
  }
  const found = resource.some(
    (element, i) =>
      matchPattern(element, pattern[0], `${path}${i}/`).status === 'pass',
  );
  return found
    ? PASS
    : { status: 'fail', path, reason: 'existence anchor: no element matches' };
}
