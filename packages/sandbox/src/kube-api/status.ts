import type { ServerResponse } from 'node:http';

/** The `reason` values of a Kubernetes `Status` the sandbox answers with. */
export type StatusReason =
  | 'Unauthorized'
  | 'NotFound'
  | 'BadRequest'
  | 'MethodNotAllowed'
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

/** Writes a JSON body with the given HTTP status. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
): void {
  const payload = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-cache, private',
  });
  res.end(payload);
}

/** Writes a Kubernetes `kind: Status` failure. */
export function sendStatus(
  res: ServerResponse,
  code: number,
  reason: StatusReason,
  message: string,
  details?: { name?: string; group?: string; kind?: string },
): void {
  sendJson(res, code, statusBody(code, reason, message, details));
}
