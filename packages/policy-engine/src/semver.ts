/**
 * Semantic versions and ranges as Kyverno reads them (blang/semver): strict
 * `MAJOR.MINOR.PATCH[-pre][+build]` versions, ranges of space-separated
 * comparisons (AND) joined by `||` (OR), with `x` wildcards.
 */

/** @public */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  pre: string[];
}

const SEMVER_RE =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Parses a strict semantic version; `undefined` when it is not one. @public */
export function parseSemver(text: unknown): SemVer | undefined {
  if (typeof text !== 'string') return undefined;
  const m = SEMVER_RE.exec(text.trim());
  if (!m || text.trim().startsWith('v')) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    pre: m[4] ? m[4].split('.') : [],
  };
}

/** Orders two versions (pre-releases before the release). @public */
export function compareSemver(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  if (a.pre.length === 0 || b.pre.length === 0) {
    // a release sorts after its pre-releases
    if (a.pre.length === b.pre.length) return 0;
    return a.pre.length === 0 ? 1 : -1;
  }
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y))
      return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

type Comparator = (v: SemVer) => boolean;

function parseComparator(part: string): Comparator {
  const m = /^(>=|<=|!=|==|=|!|>|<)?\s*(.+)$/.exec(part);
  if (!m) throw new Error(`invalid semver range "${part}"`);
  const op = m[1] ?? '=';
  const text = m[2];
  const wildcard = /^(\d+|x|X|\*)(?:\.(\d+|x|X|\*))?(?:\.(\d+|x|X|\*))?$/.exec(
    text,
  );
  if (wildcard && /[xX*]/.test(text)) {
    // 1.2.x: >=1.2.0 <1.3.0 (blang expands wildcards only for = and !=-free ranges)
    const [maj, min] = [wildcard[1], wildcard[2]];
    const isNum = (s?: string) => s !== undefined && /^\d+$/.test(s);
    const lo: SemVer = {
      major: isNum(maj) ? Number(maj) : 0,
      minor: isNum(min) ? Number(min) : 0,
      patch: 0,
      pre: [],
    };
    let hi: SemVer | undefined;
    if (isNum(maj)) {
      hi = isNum(min)
        ? { major: lo.major, minor: lo.minor + 1, patch: 0, pre: [] }
        : { major: lo.major + 1, minor: 0, patch: 0, pre: [] };
    }
    const inside = (v: SemVer) =>
      compareSemver(v, lo) >= 0 && (!hi || compareSemver(v, hi) < 0);
    if (op === '=' || op === '==') return inside;
    if (op === '!=' || op === '!') return v => !inside(v);
    if (op === '>' || op === '>=') return v => compareSemver(v, lo) >= 0;
    return v => (hi ? compareSemver(v, hi) < 0 : true);
  }
  const version = parseSemver(text);
  if (!version) throw new Error(`invalid semver "${text}" in range`);
  return v => {
    const c = compareSemver(v, version);
    switch (op) {
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '!=':
      case '!':
        return c !== 0;
      default:
        return c === 0;
    }
  };
}

/**
 * Whether `version` satisfies `range` (`>1.0.0 <2.0.0 || >=3.0.0`, `1.2.x`).
 * Throws for an invalid version or range.
 *
 * @public
 */
export function semverSatisfies(version: string, range: string): boolean {
  const v = parseSemver(version);
  if (!v) throw new Error(`invalid semver "${version}"`);
  return range.split('||').some(alternative => {
    // blang allows "> 1.0.0" with a space after the operator
    const parts = alternative
      .trim()
      .replace(/(>=|<=|!=|==|=|!|>|<)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    if (parts.length === 0) throw new Error(`invalid semver range "${range}"`);
    return parts.map(parseComparator).every(c => c(v));
  });
}
