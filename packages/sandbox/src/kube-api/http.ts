import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A route tried before the Kubernetes API routes; resolves true when it answered the request.
 * The server has already checked the bearer token.
 */
export type ExtraRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) => boolean | Promise<boolean>;

/** Splits a URL path into decoded, non-empty segments. */
export function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter(Boolean)
    .map(s => decodeURIComponent(s));
}
