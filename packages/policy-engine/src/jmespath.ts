/**
 * JMESPath as Kyverno evaluates it: the JMESPath Community implementation
 * (`@jmespath-community/jmespath`) plus Kyverno's custom functions, and
 * Kyverno's one deviation from the specification: a plain path whose key is
 * missing from an object is an error (`Unknown key "x" in path`), not null.
 * That is what makes the `{{ request.operation || 'BACKGROUND' }}` idiom
 * necessary (and working): `||` treats the missing key as null.
 */
import {
  compile,
  TreeInterpreter,
  TYPE_ANY,
  TYPE_ARRAY,
  TYPE_BOOLEAN,
  TYPE_NUMBER,
  TYPE_OBJECT,
  TYPE_STRING,
} from '@jmespath-community/jmespath';
import type { JSONValue } from '@jmespath-community/jmespath';
import { ArgType, KYVERNO_FUNCTIONS } from './functions';

/** A path lookup of a key the data does not hold (Kyverno's `NotFoundError`). */
export class UnknownKeyError extends Error {
  constructor(readonly key: string, readonly expression: string) {
    super(`JMESPath query failed: Unknown key "${key}" in path`);
    this.name = 'UnknownKeyError';
  }
}

/** A JMESPath expression that does not parse or fails at run time. */
export class JmespathError extends Error {
  constructor(readonly expression: string, message: string) {
    super(`JMESPath ${expression}: ${message}`);
    this.name = 'JmespathError';
  }
}

const TYPES: Record<ArgType, number> = {
  string: TYPE_STRING,
  number: TYPE_NUMBER,
  object: TYPE_OBJECT,
  array: TYPE_ARRAY,
  boolean: TYPE_BOOLEAN,
  any: TYPE_ANY,
};

type Interpreter = typeof TreeInterpreter;

let kyvernoInterpreter: Interpreter | undefined;

/**
 * A JMESPath interpreter of our own with Kyverno's functions registered
 * (Kyverno's `items`, `sum`, `replace` and `split` replace the Community
 * built-ins of the same name, as in Kyverno). Its own instance, so the
 * library's shared default runtime stays standard for any other user.
 */
function interpreter(): Interpreter {
  if (kyvernoInterpreter) return kyvernoInterpreter;
  const created: Interpreter =
    new (TreeInterpreter.constructor as new () => Interpreter)();
  for (const f of KYVERNO_FUNCTIONS) {
    const result = created.runtime.register(
      f.name as never,
      args => f.fn(args as unknown[]) as JSONValue,
      f.args.map(types => ({ types: types.map(t => TYPES[t]) })),
      { override: true },
    );
    if (!result.success) {
      throw new Error(
        `cannot register JMESPath function ${f.name}: ${result.message}`,
      );
    }
  }
  kyvernoInterpreter = created;
  return created;
}

type Segment = string | number;
type Node = { type: string; [k: string]: any };

/** The key/index chain of a plain path (`a.b[0]."c.d"`), or undefined for anything else. */
function plainPath(node: Node): Segment[] | undefined {
  switch (node.type) {
    case 'Field':
      return [node.name];
    case 'Subexpression':
    case 'IndexExpression': {
      const left = plainPath(node.left);
      const right = plainPath(node.right);
      return left && right ? [...left, ...right] : undefined;
    }
    case 'Index':
      return [node.value];
    default:
      return undefined;
  }
}

const compiled = new Map<string, { ast: Node; path?: Segment[] }>();

function compileCached(expression: string): { ast: Node; path?: Segment[] } {
  let entry = compiled.get(expression);
  if (!entry) {
    // go-jmespath (Kyverno's fork) reads a backtick literal that is not JSON
    // as a string (`foo`), as the original JMESPath specification allowed.
    const ast = compile(expression, { enable_legacy_literals: true }) as Node;
    entry = { ast, path: plainPath(ast) };
    if (compiled.size > 5000) compiled.clear();
    compiled.set(expression, entry);
  }
  return entry;
}

function firstMissingKey(data: unknown, path: Segment[]): string | undefined {
  let current: unknown = data;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      const i = segment < 0 ? current.length + segment : segment;
      current = current[i];
    } else {
      if (
        typeof current !== 'object' ||
        current === null ||
        Array.isArray(current)
      ) {
        return undefined;
      }
      if (!Object.prototype.hasOwnProperty.call(current, segment))
        return segment;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return undefined;
}

/**
 * Evaluates a Kyverno JMESPath expression against `data`.
 *
 * @throws UnknownKeyError when a plain path names a key the data lacks
 * @throws JmespathError for syntax and run-time errors
 * @throws UnsupportedFunctionError for Kyverno functions the engine cannot run
 */
export function evaluateJmespath(expression: string, data: unknown): unknown {
  const jp = interpreter();
  let entry: { ast: Node; path?: Segment[] };
  try {
    entry = compileCached(expression);
  } catch (e) {
    throw new JmespathError(expression, (e as Error).message);
  }
  let result: unknown;
  try {
    result = jp.search(entry.ast as never, data as JSONValue);
  } catch (e) {
    if ((e as Error).name === 'UnsupportedFunctionError') throw e;
    throw new JmespathError(expression, (e as Error).message);
  }
  if (result === null && entry.path) {
    const missing = firstMissingKey(data, entry.path);
    if (missing !== undefined) throw new UnknownKeyError(missing, expression);
  }
  return result;
}
