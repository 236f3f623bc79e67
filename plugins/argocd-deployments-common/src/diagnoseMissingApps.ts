import type { ArgoCDApi } from '@roadiehq/backstage-plugin-argo-cd';
import type { ArgoCDApplication } from './deploymentHistory';
import type { LoadFailure } from './loadDeployments';

/** A response of Roadie's backend, as `fetchApi.fetch` returns it. */
export interface BackendResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

/**
 * GETs a path under Roadie's ArgoCD backend (`<backend.baseUrl>/api/argocd`) with the user's
 * Backstage token, as Roadie's client does. The card asks it only for the reason of a failure:
 * Roadie's client throws `failed to fetch data, status 500: Internal Server Error` and drops the
 * body that says what went wrong.
 */
export type ArgoCDBackendGet = (path: string) => Promise<BackendResponse>;

export interface MissingAppsQuery {
  url: string;
  appName?: string;
  appSelector?: string;
  appNamespace?: string;
  /** `argocd.appLocatorMethods[].instances[].name` */
  instances: string[];
  /** `argocd.namespacedApps`: Roadie's client sends `appNamespace` only then */
  namespacedApps?: boolean;
}

export interface Diagnosis {
  /** Applications an instance did return after all (the locator missed them) */
  apps: ArgoCDApplication[];
  failures: LoadFailure[];
}

/**
 * The Applications one instance holds for the entity, through Roadie's per-instance API: the one
 * named by `argocd/app-name`, or those matching `argocd/app-selector`. Throws what the API throws.
 */
export async function fetchInstanceApps(
  api: ArgoCDApi,
  query: Pick<
    MissingAppsQuery,
    'url' | 'appName' | 'appSelector' | 'appNamespace'
  >,
  instance: string,
): Promise<ArgoCDApplication[]> {
  const { url, appName, appSelector, appNamespace } = query;
  if (appName) {
    const app = await api.getAppDetails({
      url,
      appName,
      appNamespace,
      instance,
    });
    return app?.metadata ? [app] : [];
  }
  const list = await api.getAppListDetails({
    url,
    appSelector: appSelector!,
    appNamespace,
    instance,
  });
  return list.items ?? [];
}

/** The instance an Application came from, whatever the backend filled in. */
export function withInstance(
  app: ArgoCDApplication,
  instance: string,
): ArgoCDApplication {
  return {
    ...app,
    metadata: {
      ...app.metadata,
      instance: { url: app.metadata.instance?.url, name: instance },
    },
  };
}

/** What Roadie's backend said about a failure: Backstage's error body, or Roadie's own. */
interface Reason {
  message: string;
  name?: string;
  code?: string;
}

const MAX_DETAIL = 500;

/** One line of a backend message, no credentials (it never carries a stack: only `message` is read). */
function sanitize(message: string): string {
  const line = message.trim().split(/\r?\n/)[0] ?? '';
  const clean = line
    .replace(/(bearer\s+)\S+/gi, '$1[redacted]')
    .replace(/((?:token|password|secret)[=:]\s*)[^\s&,;]+/gi, '$1[redacted]');
  return clean.length > MAX_DETAIL ? `${clean.slice(0, MAX_DETAIL)}…` : clean;
}

const asString = (value: unknown) =>
  typeof value === 'string' && value ? value : undefined;

/**
 * The reason in a failed response's body. Roadie's per-instance routes do not catch: a failure
 * reaches Backstage's error handler, which answers 500 with
 * `{ error: { name, message, code? }, request, response: { statusCode } }`; an instance name the
 * backend does not know answers 500 with Roadie's own `{ status: 'failed', message }`.
 */
async function reasonFromBackend(
  get: ArgoCDBackendGet,
  path: string,
): Promise<Reason | undefined> {
  try {
    const response = await get(path);
    // it answers now: whatever failed a moment ago is gone
    if (response.ok) return undefined;
    const body = (await response.json()) as
      | { error?: Record<string, unknown>; message?: unknown }
      | undefined;
    const error = body?.error;
    const message = asString(error?.message) ?? asString(body?.message);
    if (!message) return undefined;
    return {
      message,
      name: asString(error?.name),
      code: asString(error?.code),
    };
  } catch {
    return undefined;
  }
}

type Probe =
  | { kind: 'found'; apps: ArgoCDApplication[] }
  | { kind: 'notFound'; detail: string }
  | { kind: 'failed'; failure: LoadFailure };

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/** `Request failed with 404 Error`: how Roadie's backend words ArgoCD's answer. */
const argoStatus = (message: string) =>
  Number(/Request failed with (\d{3}) Error/.exec(message)?.[1]) || undefined;

const CREDENTIALS_REFUSED =
  /Getting unauthorized for Argo CD instance|could not generate token|Missing credentials in config|Failed to get argo token/i;

function classify(
  query: MissingAppsQuery,
  instance: string,
  reason: Reason,
): Probe {
  const status = argoStatus(reason.message);
  const detail = sanitize(reason.message);
  const where = `ArgoCD instance "${instance}"`;
  if (query.appName && status === 404) {
    return {
      kind: 'notFound',
      detail: `ArgoCD answered 404 Not Found (${detail}).`,
    };
  }
  if (query.appName && status === 403) {
    // ArgoCD answers "permission denied" rather than 404 for an Application that does not exist
    return {
      kind: 'notFound',
      detail: `ArgoCD answered 403 permission denied (${detail}), which it answers for an application that does not exist, and for one the portal's ArgoCD account may not read.`,
    };
  }
  if (
    status === 401 ||
    status === 403 ||
    CREDENTIALS_REFUSED.test(reason.message)
  ) {
    return {
      kind: 'failed',
      failure: {
        severity: 'error',
        title: `${where} refused the portal's credentials`,
        message: detail,
      },
    };
  }
  // connection refused or timed out, DNS, TLS, a 5xx of ArgoCD or of a proxy in front of it
  return {
    kind: 'failed',
    failure: {
      severity: 'error',
      title: `${where} is unreachable`,
      message: detail,
    },
  };
}

function backendPath(query: MissingAppsQuery, instance: string): string {
  const search =
    query.namespacedApps && query.appNamespace
      ? `?appNamespace=${encodeURIComponent(query.appNamespace)}`
      : '';
  const which = query.appName
    ? `name/${encodeURIComponent(query.appName)}`
    : `selector/${encodeURIComponent(query.appSelector ?? '')}`;
  return `/argoInstance/${encodeURIComponent(
    instance,
  )}/applications/${which}${search}`;
}

async function probe(
  api: ArgoCDApi,
  backend: ArgoCDBackendGet | undefined,
  query: MissingAppsQuery,
  instance: string,
): Promise<Probe> {
  try {
    const apps = await fetchInstanceApps(api, query, instance);
    if (apps.length) {
      return {
        kind: 'found',
        apps: apps.map(app => withInstance(app, instance)),
      };
    }
    return {
      kind: 'notFound',
      detail: query.appName
        ? 'ArgoCD answered without an application.'
        : 'ArgoCD lists no application with these labels.',
    };
  } catch (error) {
    const reason = backend
      ? await reasonFromBackend(backend, backendPath(query, instance))
      : undefined;
    return classify(query, instance, reason ?? { message: messageOf(error) });
  }
}

function notFoundTitle(query: MissingAppsQuery, instance: string) {
  return query.appName
    ? `Application "${query.appName}" was not found on ArgoCD instance "${instance}"`
    : `No application matching "${query.appSelector}" was found on ArgoCD instance "${instance}"`;
}

function annotationHint(query: MissingAppsQuery) {
  const annotation = query.appName ? 'argocd/app-name' : 'argocd/app-selector';
  const namespace = query.appNamespace
    ? ` and namespace "${query.appNamespace}" (argocd/app-namespace)`
    : '';
  return `The entity's ${annotation} annotation says it is deployed there: check the name${namespace} against ArgoCD.`;
}

/**
 * Why Roadie's locator (`/find/name` or `/find/selector`) found no Application the entity names.
 * The locator leaves out every instance it could not ask — connection refused, login refused —
 * just as it leaves out those without the Application, so each configured instance is asked in
 * turn through Roadie's per-instance API:
 * - one that fails is an error (unreachable, or refused the portal's credentials), with what
 *   Roadie's backend said;
 * - one without the Application is a warning, unless another instance has it;
 * - one that has it after all gives its Application(s), whose history the card shows as usual.
 */
export async function diagnoseMissingApps(
  api: ArgoCDApi,
  backend: ArgoCDBackendGet | undefined,
  query: MissingAppsQuery,
): Promise<Diagnosis> {
  if (query.instances.length === 0) {
    return {
      apps: [],
      failures: [
        {
          severity: 'warning',
          title: query.appName
            ? `Application "${query.appName}" was not found on any ArgoCD instance`
            : `No application matching "${query.appSelector}" was found on any ArgoCD instance`,
          message: `Roadie's ArgoCD backend found it on none of its instances, and the portal's config (argocd.appLocatorMethods) names none to ask. ${annotationHint(
            query,
          )}`,
        },
      ],
    };
  }
  const probes = await Promise.all(
    query.instances.map(instance => probe(api, backend, query, instance)),
  );
  const apps = probes.flatMap(result =>
    result.kind === 'found' ? result.apps : [],
  );
  const failures: LoadFailure[] = [];
  probes.forEach((result, index) => {
    if (result.kind === 'failed') failures.push(result.failure);
    // deployed on another instance: that this one lacks it is no news
    if (result.kind === 'notFound' && apps.length === 0) {
      failures.push({
        severity: 'warning',
        title: notFoundTitle(query, query.instances[index]),
        message: `${result.detail} ${annotationHint(query)}`,
      });
    }
  });
  return { apps, failures };
}
