/** One requirement of a label selector. @public */
export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** Thrown for a selector string Kubernetes would reject. @public */
export class InvalidLabelSelectorError extends Error {
  constructor(selector: string, detail: string) {
    super(`invalid label selector "${selector}": ${detail}`);
    this.name = 'InvalidLabelSelectorError';
  }
}

/** Splits on the commas between requirements, not those inside `in (a,b)`. */
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
  return parts.map(p => p.trim()).filter(Boolean);
}

/**
 * Parses a Kubernetes label selector string (`a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`), as in `backstage.io/kubernetes-label-selector`.
 *
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitRequirements(selector).map(part => {
    let match = /^!\s*([\w./-]+)$/.exec(part);
    if (match) return { key: match[1], operator: 'DoesNotExist', values: [] };
    match = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part);
    if (match) {
      return {
        key: match[1],
        operator: match[2] === '!=' ? 'NotIn' : 'In',
        values: [match[3]],
      };
    }
    match = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (match) {
      const values = match[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean);
      return {
        key: match[1],
        operator: match[2] === 'in' ? 'In' : 'NotIn',
        values,
      };
    }
    match = /^([\w./-]+)$/.exec(part);
    if (match) return { key: match[1], operator: 'Exists', values: [] };
    throw new InvalidLabelSelectorError(selector, `cannot parse "${part}"`);
  });
}

/** Whether labels satisfy every requirement. @public */
export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string>,
): boolean {
  return requirements.every(req => {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    switch (req.operator) {
      case 'In':
        return has && req.values.includes(labels[req.key]);
      case 'NotIn':
        return !has || !req.values.includes(labels[req.key]);
      case 'Exists':
        return has;
      default:
        return !has;
    }
  });
}
