/**
 * The `continue` token of a paginated list, shaped like the API server's: base64url of
 * `{"v":"meta.k8s.io/v1","rv":<list resourceVersion>,"start":"<namespace>/<name>"}`. Clients treat
 * it as opaque; the sandbox needs the list's resourceVersion (to expire tokens older than the
 * change history) and where the next page starts.
 */
export interface ListPosition {
  /** The resourceVersion of the first page; every page reports it. */
  resourceVersion: number;
  /** The last object of the previous page (namespace `''` when cluster-scoped). */
  after: { namespace: string; name: string };
}

/** A `continue` value that is not a token of this server. */
export class InvalidContinueTokenError extends Error {
  constructor(reason: string) {
    super(`continue key is not valid: ${reason}`);
    this.name = 'InvalidContinueTokenError';
  }
}

const TOKEN_VERSION = 'meta.k8s.io/v1';

export function encodeContinueToken(position: ListPosition): string {
  const { namespace, name } = position.after;
  return Buffer.from(
    JSON.stringify({
      v: TOKEN_VERSION,
      rv: position.resourceVersion,
      start: `${namespace}/${name}`,
    }),
  ).toString('base64url');
}

/** @throws InvalidContinueTokenError */
export function decodeContinueToken(token: string): ListPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidContinueTokenError('not a base64url JSON document');
  }
  const { v, rv, start } = (parsed ?? {}) as Record<string, unknown>;
  if (v !== TOKEN_VERSION) {
    throw new InvalidContinueTokenError(`unknown version ${JSON.stringify(v)}`);
  }
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv < 0) {
    throw new InvalidContinueTokenError('no resourceVersion');
  }
  const slash = typeof start === 'string' ? start.indexOf('/') : -1;
  if (typeof start !== 'string' || slash < 0 || slash === start.length - 1) {
    throw new InvalidContinueTokenError('no start position');
  }
  return {
    resourceVersion: rv,
    after: { namespace: start.slice(0, slash), name: start.slice(slash + 1) },
  };
}
