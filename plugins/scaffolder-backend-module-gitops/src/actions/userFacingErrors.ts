import { LoggerService } from '@backstage/backend-plugin-api';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * Addresses of internal services (`10.0.0.7:5432`, `localhost:7191`, `argocd-server.argocd.svc:8080`,
 * `[::1]:7007`) as they appear in network errors. Public host names without a port stay: they
 * are what a user configured and can act on.
 */
const INTERNAL_ADDRESS =
  /\b(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:svc|local|internal))(?::\d{1,5})?\b|\[[0-9a-f:]+\](?::\d{1,5})?/gi;

export function redactInternalAddresses(text: string): string {
  return text.replace(INTERNAL_ADDRESS, '<internal address>');
}

/**
 * The error a task log shows: the same name and message, internal addresses redacted, and no
 * stack. The scaffolder writes a failed step's `error.stack` into the task log, which every
 * user who can see the task reads; the full error goes to the server log instead.
 */
export function userFacingError(error: unknown): Error {
  const original =
    error instanceof Error
      ? error
      : new Error(String(error ?? 'unknown error'));
  const message = redactInternalAddresses(original.message);
  const clean = new Error(message);
  clean.name = original.name;
  clean.stack = `${original.name}: ${message}`;
  return clean;
}

/**
 * Wraps an action so that a failure is logged in full on the server and reaches the task log
 * as {@link userFacingError}.
 */
export function withUserFacingErrors<A extends TemplateAction<any, any, any>>(
  action: A,
  logger: LoggerService,
): A {
  return {
    ...action,
    async handler(ctx: Parameters<A['handler']>[0]) {
      try {
        return await action.handler(ctx);
      } catch (error) {
        logger.error(
          `scaffolder action ${action.id} failed in task ${
            ctx.task?.id ?? '?'
          }`,
          error as Error,
        );
        throw userFacingError(error);
      }
    },
  };
}
