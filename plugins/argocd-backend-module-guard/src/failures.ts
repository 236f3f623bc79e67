/**
 * What a failed answer of Roadie's ArgoCD backend means, said without a stack or a file path.
 * Roadie answers a failure of an ArgoCD instance with 500: its own `{ status, message }`, or,
 * for an error its handler does not catch, Backstage's error body (with the stack in
 * development). Pure: the guard feeds it the status, the body and the request path.
 */

/** The ArgoCD instances Roadie's backend knows (`argocd.appLocatorMethods[].instances[]`). */
export interface ArgoInstance {
  name: string;
  url: string;
}

export interface TranslatedFailure {
  status: number;
  name: string;
  message: string;
}

/** `/argoInstance/<instance>/...` or `/allArgoApps/<instance>` → the instance name. */
export function instanceFromPath(path: string): string | undefined {
  const m = /^\/(?:argoInstance|allArgoApps)\/([^/?]+)/.exec(path);
  return m ? safeDecode(m[1]) : undefined;
}

/** The Application a per-instance path names, if any. */
export function applicationFromPath(path: string): string | undefined {
  const m = /^\/argoInstance\/[^/]+\/applications\/(?:name\/)?([^/?]+)/.exec(
    path,
  );
  if (!m || m[1] === 'selector') return undefined;
  return safeDecode(m[1]);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|network timeout|request to \S+ failed|FetchError|Request failed with 5\d\d Error/i;
const CREDENTIALS =
  /Getting unauthorized for Argo CD instance|could not generate token|Missing credentials in config|Failed to get argo token/i;
const NO_SUCH_INSTANCE =
  /cannot find an argo instance to match|does not have argo information for the cluster|Unable to find Argo instance/i;

/** The first line of a message with absolute paths and credentials removed. */
export function sanitizeMessage(message: string): string {
  const line = message.trim().split(/\r?\n/)[0] ?? '';
  return line
    .replace(/(bearer\s+)\S+/gi, '$1[redacted]')
    .replace(/((?:token|password|secret)[=:]\s*)[^\s&,;]+/gi, '$1[redacted]')
    .replace(/(^|[\s'"(=])\/(?:[\w.@+-]+\/)+[\w.@+-]*/g, '$1<path>')
    .slice(0, 500);
}

/** The message of whichever body Roadie or Backstage sent. */
export function messageOfBody(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { error?: { message?: unknown }; message?: unknown };
  const message = b.error?.message ?? b.message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * The answer the portal gives instead of Roadie's failed one, or undefined to keep Roadie's
 * (a success, or a status that already says what happened). The instance is named in every
 * message; an unreachable one is 503, an Application ArgoCD does not have is 404, an instance
 * the portal does not know is 404, credentials ArgoCD refuses are 502.
 */
export function translateFailure(options: {
  status: number;
  body: unknown;
  path: string;
  instances: ArgoInstance[];
}): TranslatedFailure | undefined {
  const { status, body, path, instances } = options;
  if (status < 400) return undefined;
  const instanceName = instanceFromPath(path);
  const app = applicationFromPath(path);
  const raw = messageOfBody(body) ?? `status ${status}`;
  const reason = sanitizeMessage(raw);
  const instance = instances.find(i => i.name === instanceName);
  const where = instanceName
    ? `ArgoCD instance "${instanceName}"${instance ? ` (${instance.url})` : ''}`
    : 'ArgoCD';

  if (instanceName && !instance && NO_SUCH_INSTANCE.test(raw)) {
    return {
      status: 404,
      name: 'NotFoundError',
      message: `ArgoCD instance "${instanceName}" is not configured (argocd.appLocatorMethods); known: ${
        instances.map(i => i.name).join(', ') || 'none'
      }`,
    };
  }
  if (/Request failed with 404 Error/.test(raw) || status === 404) {
    return {
      status: 404,
      name: 'NotFoundError',
      message: app
        ? `Application "${app}" was not found on ${where} (${reason})`
        : `${where} answered 404 Not Found (${reason})`,
    };
  }
  if (app && /Request failed with 403 Error/.test(raw)) {
    return {
      status: 404,
      name: 'NotFoundError',
      message: `Application "${app}" was not found on ${where}: ArgoCD answers 403 for an application that does not exist, and for one the portal's ArgoCD account may not read (${reason})`,
    };
  }
  if (CREDENTIALS.test(raw) || /Request failed with 40[13] Error/.test(raw)) {
    return {
      status: 502,
      name: 'CredentialsRefusedError',
      message: `${where} refused the portal's credentials (${reason})`,
    };
  }
  if (UNREACHABLE.test(raw)) {
    return {
      status: 503,
      name: 'ServiceUnavailableError',
      message: `${where} is unreachable: ${reason}`,
    };
  }
  if (status >= 500) {
    return {
      status,
      name: 'Error',
      message: `${where} request failed: ${reason}`,
    };
  }
  return undefined;
}

/** Roadie's locator routes, which leave out every instance they could not ask. */
export function isLocatorPath(path: string): boolean {
  return /^\/find\/(name|selector)\//.test(path);
}

/** Whether an ArgoCD instance answers HTTP at all; the reason when it does not. */
export type Reachability = (
  instance: ArgoInstance,
) => Promise<{ reachable: true } | { reachable: false; reason: string }>;

/** Any HTTP answer from the instance's base URL within `timeoutMs` counts as reachable. */
export function httpReachability(timeoutMs = 3_000): Reachability {
  return async instance => {
    try {
      await fetch(instance.url, { signal: AbortSignal.timeout(timeoutMs) });
      return { reachable: true };
    } catch (error) {
      const e = error as Error & {
        cause?: { code?: string; message?: string };
      };
      return {
        reachable: false,
        reason: sanitizeMessage(e.cause?.code ?? e.cause?.message ?? e.message),
      };
    }
  };
}

/**
 * An empty answer of the locator means "on no instance" only when every instance was asked:
 * the failure to give instead when some could not be reached.
 */
export async function emptyLocatorFailure(
  instances: ArgoInstance[],
  reachability: Reachability,
): Promise<TranslatedFailure | undefined> {
  const checks = await Promise.all(
    instances.map(async i => ({ instance: i, check: await reachability(i) })),
  );
  const down = checks.flatMap(c =>
    c.check.reachable
      ? []
      : [
          `ArgoCD instance "${c.instance.name}" (${c.instance.url}) is unreachable: ${c.check.reason}`,
        ],
  );
  if (!down.length) return undefined;
  return {
    status: 503,
    name: 'ServiceUnavailableError',
    message: down.join('; '),
  };
}
