/**
 * Kyverno's `{{ ... }}` variables: each is a JMESPath expression evaluated
 * against the rule's JSON context (`request.object`, `request.oldObject`,
 * `request.operation` at admission only, `request.namespace`,
 * `serviceAccountName`, `serviceAccountNamespace`, `images`, `element`,
 * `elementIndex`, and the rule's `context` variables), with Kyverno's custom
 * functions. `{{@}}` in a pattern is the resource value at the pattern's
 * own position.
 */
import { UnsupportedFunctionError } from './functions';
import { extractImages } from './images';
import { evaluateJmespath, JmespathError, UnknownKeyError } from './jmespath';

/** Marks a construct the engine cannot evaluate; the rule becomes `skip` naming it. */
export class UnsupportedVariableError extends Error {
  constructor(readonly expression: string, readonly construct?: string) {
    super(
      `unsupported by the embedded engine: ${
        construct ?? `variable {{${expression}}}`
      }`,
    );
    this.name = 'UnsupportedVariableError';
  }
}

/** A variable that cannot be substituted (unknown key, JMESPath error): a rule `error` in Kyverno. */
export class VariableSubstitutionError extends Error {
  constructor(readonly expression: string, readonly cause: Error) {
    super(`failed to resolve {{${expression}}}: ${cause.message}`);
    this.name = 'VariableSubstitutionError';
  }
}

/** What the context is built from. */
export interface ScopeInit {
  object: unknown;
  /**
   * Admission operation. A background scan (`BACKGROUND` or omitted) sets
   * `request.operation` to `CREATE`, as Kyverno's background scanner and CLI
   * build their policy context.
   */
  operation?: string;
  namespace?: string;
  oldObject?: unknown;
  /** The requester (`system:serviceaccount:<ns>:<name>` gives serviceAccountName/Namespace). */
  userName?: string;
}

/**
 * The JSON context variables are resolved against. Immutable: element and
 * context-variable scopes are derived copies.
 */
export class VariableScope {
  readonly data: Record<string, unknown>;
  /** The object `{{@}}` and patterns refer to (the resource, or a foreach element). */
  readonly object: unknown;
  readonly operation: string;

  private constructor(
    data: Record<string, unknown>,
    object: unknown,
    operation: string,
  ) {
    this.data = data;
    this.object = object;
    this.operation = operation;
  }

  static create(init: ScopeInit): VariableScope {
    const operation = init.operation ?? 'BACKGROUND';
    const request: Record<string, unknown> = { object: init.object };
    request.operation = operation === 'BACKGROUND' ? 'CREATE' : operation;
    // Kyverno adds the resource's namespace, empty for cluster-scoped objects.
    request.namespace = init.namespace ?? '';
    if (init.oldObject !== undefined) request.oldObject = init.oldObject;
    const data: Record<string, unknown> = { request };
    if (init.userName !== undefined) {
      // Kyverno adds the requester only when there is one (admission): a
      // background scan has no serviceAccountName, so using it is an error
      // there, and the pre-commit check says it cannot check such a rule.
      request.userInfo = { username: init.userName };
      const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(init.userName);
      data.serviceAccountName = sa ? sa[2] : '';
      data.serviceAccountNamespace = sa ? sa[1] : '';
    }
    const images = extractImages(init.object);
    if (images) data.images = images;
    return new VariableScope(data, init.object, operation);
  }

  /** A scope for one foreach element (`element`, `elementIndex`, and `element<n>` per nesting level). */
  withElement(
    element: unknown,
    index: number,
    nesting: number,
    elementScope: boolean,
  ): VariableScope {
    const data = {
      ...this.data,
      element,
      elementIndex: index,
      [`element${nesting}`]: element,
      [`elementIndex${nesting}`]: index,
    };
    return new VariableScope(
      data,
      elementScope ? element : this.object,
      this.operation,
    );
  }

  /** A scope with one more named variable (rule `context` entries of type `variable`). */
  withVariable(name: string, value: unknown): VariableScope {
    return new VariableScope(
      { ...this.data, [name]: value },
      this.object,
      this.operation,
    );
  }

  /** Evaluates one JMESPath expression, mapping errors to the engine's error types. */
  query(expression: string): unknown {
    try {
      return evaluateJmespath(expression, this.data);
    } catch (e) {
      if (e instanceof UnsupportedFunctionError) {
        throw new UnsupportedVariableError(expression, e.message);
      }
      if (e instanceof UnknownKeyError || e instanceof JmespathError) {
        throw new VariableSubstitutionError(expression, e);
      }
      if (e instanceof Error)
        throw new VariableSubstitutionError(expression, e);
      throw e;
    }
  }
}

// Kyverno's variable regex: `{{ ... }}` allowing one level of `{...}` inside
// (multi-select hashes); `\{{` is an escape.
const VARIABLE_RE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value ?? null);
}

/** The JMESPath form of a pattern position (`/spec/containers/0/image` → `spec.containers[0].image`). */
function jmesPathOf(path: Array<string | number>): string {
  return path
    .map(p =>
      typeof p === 'number' ? `[${p}]` : `."${p.replace(/"/g, '\\"')}"`,
    )
    .join('')
    .replace(/^\./, '');
}

/**
 * Substitutes the variables of one string. A string that is exactly one
 * variable yields the raw value (so `{{request.object.spec.replicas}}` stays
 * a number); otherwise values are spliced in as text (non-strings as JSON).
 *
 * @param lenient - leave unresolvable variables as written (messages)
 * @param at - the pattern position, for `{{@}}`
 */
export function substitute(
  input: string,
  scope: VariableScope,
  lenient = false,
  at?: Array<string | number>,
): unknown {
  const resolve = (raw: string): unknown => {
    let expression = raw.slice(2, -2).trim();
    if (expression === '@' || expression.includes('@')) {
      if (at) {
        const target = at.length
          ? `request.object.${jmesPathOf(at)}`
          : 'request.object';
        // Only a bare `@` names the position; inside expressions `@` is JMESPath's current node.
        if (expression === '@') expression = target;
      }
    }
    if (scope.operation === 'DELETE') {
      // A DELETE has no new object: Kyverno reads request.object as the old one.
      expression = expression.replaceAll('request.object', 'request.oldObject');
    }
    return scope.query(expression);
  };
  // Kyverno substitutes until no variable is left, so an inner variable
  // (`{{ images.containers."{{element.name}}".tag }}`) is resolved first.
  let current = input;
  for (let pass = 0; pass < 10; pass++) {
    const matches = [...current.matchAll(VARIABLE_RE)];
    if (matches.length === 0) break;
    if (matches.length === 1 && matches[0][2] === current) {
      try {
        return resolve(current);
      } catch (e) {
        if (lenient) return input;
        throw e;
      }
    }
    const next = current.replace(
      VARIABLE_RE,
      (_whole, prefix: string, variable: string) => {
        try {
          return prefix + toText(resolve(variable));
        } catch (e) {
          if (lenient) return prefix + variable;
          throw e;
        }
      },
    );
    if (next === current) break;
    current = next;
  }
  return current.replace(/\\\{\{/g, '{{');
}

// Patterns and conditions are the same objects for every resource: whether a
// tree holds any `{{` is remembered per object (trees are not mutated).
const variableFree = new WeakMap<object, boolean>();

function hasVariables(tree: object): boolean {
  let known = variableFree.get(tree);
  if (known === undefined) {
    known = !JSON.stringify(tree).includes('{{');
    variableFree.set(tree, known);
  }
  return !known;
}

const ANCHOR_KEY_RE = /^(?:=|\^|X|<|\+)?\((.*)\)$/;

/**
 * Applies {@link substitute} to every string (values and keys) in a
 * JSON-like tree; `{{@}}` resolves to the resource value at the same
 * position (anchors stripped from keys).
 */
export function substituteDeep(
  input: unknown,
  scope: VariableScope,
  at: Array<string | number> = [],
): unknown {
  if (typeof input === 'object' && input !== null && !hasVariables(input)) {
    return input;
  }
  if (typeof input === 'string') {
    return input.includes('{{') ? substitute(input, scope, false, at) : input;
  }
  if (Array.isArray(input)) {
    return input.map((v, i) => substituteDeep(v, scope, [...at, i]));
  }
  if (typeof input === 'object' && input !== null) {
    return Object.fromEntries(
      Object.entries(input).map(([k, v]) => {
        const key = k.includes('{{') ? String(substitute(k, scope)) : k;
        const plain = ANCHOR_KEY_RE.exec(key)?.[1] ?? key;
        return [key, substituteDeep(v, scope, [...at, plain])];
      }),
    );
  }
  return input;
}
