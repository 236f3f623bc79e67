/** Thrown when a label selector string is not valid Kubernetes label-selector syntax. */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

/** A predicate over an object's labels. */
export type LabelMatcher = (
  labels: Record<string, string> | undefined,
) => boolean;

type Requirement = (labels: Record<string, string>) => boolean;

// Same character rules as the API server: qualified names for keys, label values for values.
const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateKey(key: string, selector: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk =
    prefix === undefined ||
    (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  if (!prefixOk || !NAME_PART.test(name)) {
    throw new LabelSelectorError(
      `unable to parse requirement: invalid label key "${key}" in selector "${selector}"`,
    );
  }
}

function validateValue(value: string, selector: string): void {
  if (value !== '' && !NAME_PART.test(value)) {
    throw new LabelSelectorError(
      `unable to parse requirement: invalid label value "${value}" in selector "${selector}"`,
    );
  }
}

type Token =
  | { type: 'word'; text: string }
  | { type: 'op'; text: '=' | '==' | '!=' | '!' | '>' | '<' }
  | { type: 'punct'; text: '(' | ')' | ',' };

function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < selector.length) {
    const c = selector[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c });
      i++;
    } else if (c === '!' && selector[i + 1] === '=') {
      tokens.push({ type: 'op', text: '!=' });
      i += 2;
    } else if (c === '=' && selector[i + 1] === '=') {
      tokens.push({ type: 'op', text: '==' });
      i += 2;
    } else if (c === '=' || c === '!' || c === '>' || c === '<') {
      tokens.push({ type: 'op', text: c });
      i++;
    } else {
      let j = i;
      while (j < selector.length && !' \t(),=!<>'.includes(selector[j])) j++;
      tokens.push({ type: 'word', text: selector.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/**
 * Parses a Kubernetes label selector (`a=b,c!=d,e in (f,g),h notin (i),j,!k`, also `gt`/`lt` via
 * `>`/`<`) into a predicate. An empty selector matches everything.
 *
 * @throws LabelSelectorError on invalid syntax, keys or values.
 */
export function parseLabelSelector(selector: string): LabelMatcher {
  const tokens = tokenize(selector);
  const requirements: Requirement[] = [];
  let pos = 0;
  const fail = (what: string): never => {
    throw new LabelSelectorError(
      `unable to parse requirement: ${what} in selector "${selector}"`,
    );
  };
  const peek = () => tokens[pos];
  const expectWord = (what: string): string => {
    const t = tokens[pos++];
    if (!t || t.type !== 'word') return fail(`expected ${what}`);
    return t.text;
  };

  while (pos < tokens.length) {
    let requirement: Requirement;
    const first = tokens[pos];
    if (first.type === 'op' && first.text === '!') {
      pos++;
      const key = expectWord('label key after "!"');
      validateKey(key, selector);
      requirement = labels => !(key in labels);
    } else {
      const key = expectWord('label key');
      validateKey(key, selector);
      const next = peek();
      if (!next || (next.type === 'punct' && next.text === ',')) {
        requirement = labels => key in labels;
      } else if (next.type === 'op') {
        pos++;
        const op = next.text;
        if (op === '!') return fail(`unexpected "!" after "${key}"`);
        // An empty value (`a=`) is valid: it matches a label with an empty value.
        const after = peek();
        const value = after && after.type === 'word' ? expectWord('value') : '';
        validateValue(value, selector);
        requirement = makeOperatorRequirement(key, op, value, fail);
      } else if (
        next.type === 'word' &&
        (next.text === 'in' || next.text === 'notin')
      ) {
        pos++;
        const parsed = parseValueSet(tokens, pos, selector, fail);
        pos = parsed.end;
        const set = new Set(parsed.values);
        requirement =
          next.text === 'in'
            ? labels => key in labels && set.has(labels[key])
            : labels => !(key in labels) || !set.has(labels[key]);
      } else {
        return fail(`unexpected "${next.text}" after "${key}"`);
      }
    }
    requirements.push(requirement);
    const sep = tokens[pos];
    if (sep) {
      if (sep.type !== 'punct' || sep.text !== ',') {
        fail(`expected "," but found "${sep.text}"`);
      }
      pos++;
      if (pos >= tokens.length) fail('trailing ","');
    }
  }

  if (requirements.length === 0) return () => true;
  return labels => {
    const l = labels ?? {};
    return requirements.every(r => r(l));
  };
}

function makeOperatorRequirement(
  key: string,
  op: '=' | '==' | '!=' | '>' | '<',
  value: string,
  fail: (what: string) => never,
): Requirement {
  switch (op) {
    case '=':
    case '==':
      return labels => key in labels && labels[key] === value;
    case '!=':
      return labels => !(key in labels) || labels[key] !== value;
    default: {
      const bound = Number(value);
      if (!/^-?\d+$/.test(value)) {
        return fail(`"${op}" needs an integer value, got "${value}"`);
      }
      return labels => {
        if (!(key in labels) || !/^-?\d+$/.test(labels[key])) return false;
        const n = Number(labels[key]);
        return op === '>' ? n > bound : n < bound;
      };
    }
  }
}

function parseValueSet(
  tokens: Token[],
  start: number,
  selector: string,
  fail: (what: string) => never,
): { values: string[]; end: number } {
  let pos = start;
  const open = tokens[pos++];
  if (!open || open.type !== 'punct' || open.text !== '(') {
    fail('expected "(" after set operator');
  }
  const values: string[] = [];
  for (;;) {
    const t = tokens[pos++];
    if (!t) return fail('unclosed value set');
    if (t.type === 'word') {
      validateValue(t.text, selector);
      values.push(t.text);
      const sep = tokens[pos++];
      if (!sep) return fail('unclosed value set');
      if (sep.type === 'punct' && sep.text === ')') break;
      if (sep.type !== 'punct' || sep.text !== ',') {
        return fail(`unexpected "${sep.text}" in value set`);
      }
    } else if (t.type === 'punct' && t.text === ')') {
      if (values.length === 0) return fail('empty value set');
      break;
    } else {
      return fail(`unexpected "${t.text}" in value set`);
    }
  }
  return { values, end: pos };
}
