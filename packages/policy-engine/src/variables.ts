/**
 * The small subset of Kyverno's `{{ ... }}` variables the embedded engine can
 * resolve without JMESPath: `request.object.<path>`, `request.operation` and
 * `request.namespace`. Paths are dotted, with `"quoted"` segments for keys
 * containing dots (`metadata.labels."app.kubernetes.io/name"`) and `[n]` indexes.
 */

/** Data the variables are resolved against. */
export interface VariableScope {
  object: unknown;
  operation: string;
  namespace?: string;
}

/** Marks a variable expression the engine cannot resolve. */
export class UnsupportedVariableError extends Error {
  constructor(readonly expression: string) {
    super(`unsupported by the embedded engine: variable {{${expression}}}`);
    this.name = 'UnsupportedVariableError';
  }
}

const VARIABLE_RE = /\{\{\s*(.*?)\s*\}\}/g;
const FULL_VARIABLE_RE = /^\{\{\s*(.*?)\s*\}\}$/;
const SEGMENT_RE = /^(?:"([^"]*)"|([A-Za-z0-9_-]+))((?:\[\d+\])*)/;

/** Splits `a."b.c".d[0]` into `['a', 'b.c', 'd', 0]`; undefined if malformed. */
function parsePath(expr: string): Array<string | number> | undefined {
  const out: Array<string | number> = [];
  let rest = expr;
  while (rest.length > 0) {
    const m = SEGMENT_RE.exec(rest);
    if (!m) return undefined;
    out.push(m[1] ?? m[2]);
    for (const idx of m[3].matchAll(/\[(\d+)\]/g)) {
      out.push(Number(idx[1]));
    }
    rest = rest.slice(m[0].length);
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      if (rest.length === 0) return undefined;
    } else if (rest.length > 0) {
      return undefined;
    }
  }
  return out;
}

/**
 * Resolves one variable expression (without braces). Missing fields resolve
 * to `null`, like JMESPath. Throws {@link UnsupportedVariableError} for
 * anything beyond the supported subset.
 */
export function resolveVariable(expr: string, scope: VariableScope): unknown {
  const path = parsePath(expr.trim());
  if (!path || path[0] !== 'request') {
    throw new UnsupportedVariableError(expr);
  }
  if (path.length === 2 && path[1] === 'operation') return scope.operation;
  if (path.length === 2 && path[1] === 'namespace')
    return scope.namespace ?? null;
  if (path[1] !== 'object') throw new UnsupportedVariableError(expr);
  let current: unknown = scope.object;
  for (const segment of path.slice(2)) {
    if (typeof segment === 'number') {
      current = Array.isArray(current) ? current[segment] : undefined;
    } else if (
      typeof current === 'object' &&
      current !== null &&
      !Array.isArray(current)
    ) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      current = undefined;
    }
    if (current === undefined) return null;
  }
  return current ?? null;
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Substitutes variables inside a string. A string that is exactly one
 * variable yields the raw value (so `{{request.object.spec.replicas}}` stays a
 * number); otherwise values are spliced in as text.
 *
 * @param lenient - leave unresolvable variables as written instead of throwing
 *   (used for messages, where a literal `{{...}}` is harmless)
 */
export function substitute(
  input: string,
  scope: VariableScope,
  lenient = false,
): unknown {
  const full = FULL_VARIABLE_RE.exec(input);
  if (full && !full[1].includes('}}')) {
    try {
      return resolveVariable(full[1], scope);
    } catch (e) {
      if (lenient && e instanceof UnsupportedVariableError) return input;
      throw e;
    }
  }
  return input.replace(VARIABLE_RE, (whole, expr: string) => {
    try {
      return toText(resolveVariable(expr, scope));
    } catch (e) {
      if (lenient && e instanceof UnsupportedVariableError) return whole;
      throw e;
    }
  });
}

/** Applies {@link substitute} to every string in a JSON-like tree. */
export function substituteDeep(input: unknown, scope: VariableScope): unknown {
  if (typeof input === 'string') {
    return input.includes('{{') ? substitute(input, scope) : input;
  }
  if (Array.isArray(input)) return input.map(v => substituteDeep(v, scope));
  if (typeof input === 'object' && input !== null) {
    return Object.fromEntries(
      Object.entries(input).map(([k, v]) => [k, substituteDeep(v, scope)]),
    );
  }
  return input;
}
