import type { ServerResponse } from 'node:http';
import { sendJson } from '../kube-api/status';

/** gRPC status codes ArgoCD's REST gateway puts in error bodies. */
export const GrpcCode = {
  Unknown: 2,
  InvalidArgument: 3,
  NotFound: 5,
  Unimplemented: 12,
  Unauthenticated: 16,
} as const;

/** Writes an ArgoCD-style error body `{error, code, message}`. */
export function sendArgoError(
  res: ServerResponse,
  httpStatus: number,
  code: number,
  message: string,
): void {
  sendJson(res, httpStatus, { error: message, code, message });
}
