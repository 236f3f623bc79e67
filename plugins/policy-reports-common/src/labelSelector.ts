/**
 * Kubernetes label selectors in their string form, evaluated in memory so an
 * entity can be matched against the shared index instead of asking the
 * cluster on every page view.
 */

/** One requirement of a label selector. @public */
export type LabelRequirement =
  | { key: string; operator: 'in' | 'notin'; values: string[] }
  | { key: string; operator: 'exists' | 'doesnotexist' };

/** Thrown for a selector the Kubernetes API would also reject. @public */
export class InvalidLabelSelectorError extends Error {
  constructor(selector: string, reason: string) {
    super(`invalid label selector "${selector}": ${reason}`);
    this.name = 'InvalidLabelSelectorError';
  }
}

// Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`].
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(part => part.trim()).filter(Boolean);
}

const KEY = String.raw`[A-Za-z0-9][-A-Za-z0-9_./]*`;
const VALUE = String.raw`[-A-Za-z0-9_.]*`;
const SET_BASED = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s+\(([^)]*)\)$`);
const EQUALITY = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*(${VALUE})$`);
const EXISTS = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

/**
 * Parses `app=web,tier!=db,env in (dev,test),!legacy,team` into requirements.
 *
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitRequirements(selector).map(part => {
    const setBased = SET_BASED.exec(part);
    if (setBased) {
      return {
        key: setBased[1],
        operator: setBased[2] as 'in' | 'notin',
        values: setBased[3]
          .split(',')
          .map(value => value.trim())
          .filter(Boolean),
      };
    }
    const equality = EQUALITY.exec(part);
    if (equality) {
      return {
        key: equality[1],
        operator: equality[2] === '!=' ? 'notin' : 'in',
        values: [equality[3]],
      };
    }
    const exists = EXISTS.exec(part);
    if (exists) {
      return {
        key: exists[2],
        operator: exists[1] ? 'doesnotexist' : 'exists',
      };
    }
    throw new InvalidLabelSelectorError(selector, `cannot parse "${part}"`);
  });
}

/**
 * Whether `labels` satisfy every requirement, with the API server's semantics
 * (`notin` and `!=` also match objects without the key).
 *
 * @public
 */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  requirements: LabelRequirement[],
): boolean {
  const actual = labels ?? {};
  return requirements.every(requirement => {
    const has = Object.prototype.hasOwnProperty.call(actual, requirement.key);
    switch (requirement.operator) {
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case 'in':
        return has && requirement.values.includes(actual[requirement.key]);
      case 'notin':
        return !has || !requirement.values.includes(actual[requirement.key]);
      default:
        return false;
    }
  });
}
