import type { ServerResponse } from 'node:http';

/** The `reason` values of a Kubernetes `Status` the sandbox answers with. */
export type StatusReason =
  | 'Unauthorized'
  | 'NotFound'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'Forbidden'
  | 'Expired'
  | 'Invalid'
  | 'InternalError';

/** Builds a Kubernetes `kind: Status` failure body. */
export function statusBody(
  code: number,
  reason: StatusReason,
  message: string,
  details?: { name?: string; group?: string; kind?: string },
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** Writes a JSON body with the given HTTP status; returns its size in bytes. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
): number {
  const payload = JSON.stringify(body);
  const bytes = Buffer.byteLength(payload);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': bytes,
    'Cache-Control': 'no-cache, private',
  });
  res.end(payload);
  return bytes;
}

/** Writes a Kubernetes `kind: Status` failure. */
export function sendStatus(
  res: ServerResponse,
  code: number,
  reason: StatusReason,
  message: string,
  details?: { name?: string; group?: string; kind?: string },
): number {
  return sendJson(res, code, statusBody(code, reason, message, details));
}
