import type { Config } from '@backstage/config';
import type { ArgoCDApi } from '@roadiehq/backstage-plugin-argo-cd';
import {
  firstLine,
  toDeployments,
  type ArgoCDApplication,
  type Deployment,
} from './deploymentHistory';
import {
  diagnoseMissingApps,
  fetchInstanceApps,
  withInstance,
  type ArgoCDBackendGet,
} from './diagnoseMissingApps';

// The annotations Roadie's ArgoCD cards read (the same strings as Roadie's exported constants,
// which live in its React package: this one has no React).
/** @public */
export const ARGOCD_ANNOTATION_APP_NAME = 'argocd/app-name';
/** @public */
export const ARGOCD_ANNOTATION_APP_SELECTOR = 'argocd/app-selector';
/** @public */
export const ARGOCD_ANNOTATION_APP_NAMESPACE = 'argocd/app-namespace';
/** @public */
export const ARGOCD_ANNOTATION_PROJECT_NAME = 'argocd/project-name';
/** @public */
export const ARGOCD_ANNOTATION_PROXY_URL = 'argocd/proxy-url';

/** Whether an entity names an ArgoCD application (Roadie's `isArgocdAvailable`). */
export function namesArgoCdApplication(
  annotations: Record<string, string> | undefined,
): boolean {
  return Boolean(
    annotations?.[ARGOCD_ANNOTATION_APP_NAME] ||
      annotations?.[ARGOCD_ANNOTATION_APP_SELECTOR] ||
      annotations?.[ARGOCD_ANNOTATION_PROJECT_NAME],
  );
}

/** Something the card could not load, said so that a reader knows where to look. */
export interface LoadFailure {
  /** `error` (the default): something failed; `warning`: nothing failed, but nothing is where the entity says */
  severity?: 'error' | 'warning';
  title: string;
  message: string;
}

/** The commit behind a deployment; `error` when ArgoCD could not say. */
export interface CommitDetails {
  author?: string;
  subject?: string;
  error?: string;
}

/** One Application's state now, as ArgoCD reports it. */
export interface ApplicationStatus {
  name: string;
  namespace?: string;
  /** the ArgoCD instance (`argocd.appLocatorMethods`); unknown with a single proxied ArgoCD */
  instance?: string;
  /** `Synced`, `OutOfSync`, `Unknown` */
  sync: string;
  /** `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing`, `Unknown` */
  health: string;
  /** the revision ArgoCD compared against (`status.sync.revision`) */
  revision?: string;
}

export interface DeploymentHistory {
  /** every Application found, with its sync and health now */
  applications: ApplicationStatus[];
  deployments: (Deployment & { commit?: CommitDetails })[];
  failures: LoadFailure[];
}

function applicationStatus(app: ArgoCDApplication): ApplicationStatus {
  const sync = app.status?.sync as
    | { status?: string; revision?: unknown }
    | undefined;
  return {
    name: app.metadata.name,
    namespace: app.metadata.namespace,
    instance: app.metadata.instance?.name,
    sync: sync?.status || 'Unknown',
    health: app.status?.health?.status || 'Unknown',
    revision: typeof sync?.revision === 'string' ? sync.revision : undefined,
  };
}

/** Which Application(s) an entity names, read from the annotations Roadie's cards read. */
export interface ArgoCDTarget {
  /** Roadie's proxy path: the `argocd/proxy-url` annotation, `/argocd/api` by default */
  url: string;
  appName?: string;
  appSelector?: string;
  appNamespace?: string;
  projectName?: string;
}

export function targetFromAnnotations(
  annotations: Record<string, string> | undefined,
): ArgoCDTarget {
  const read = (key: string) => annotations?.[key] || undefined;
  return {
    url: read(ARGOCD_ANNOTATION_PROXY_URL) ?? '/argocd/api',
    appName: read(ARGOCD_ANNOTATION_APP_NAME),
    appSelector: read(ARGOCD_ANNOTATION_APP_SELECTOR),
    appNamespace: read(ARGOCD_ANNOTATION_APP_NAMESPACE),
    projectName: read(ARGOCD_ANNOTATION_PROJECT_NAME),
  };
}

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

function where(target: ArgoCDTarget, instance: string | undefined) {
  return instance
    ? `ArgoCD instance "${instance}"`
    : `ArgoCD (proxy ${target.url})`;
}

function what(target: ArgoCDTarget) {
  if (target.appName) return `application "${target.appName}"`;
  if (target.appSelector)
    return `applications matching "${target.appSelector}"`;
  return `applications of project "${target.projectName}"`;
}

/** The instance names `argocd.appLocatorMethods` configures, for messages. */
function configuredInstances(config: Config): string[] {
  const names = (
    config.getOptionalConfigArray('argocd.appLocatorMethods') ?? []
  )
    .flatMap(method => method.getOptionalConfigArray('instances') ?? [])
    .map(instance => instance.getOptionalString('name'))
    .filter((name): name is string => Boolean(name));
  return [...new Set(names)];
}

type Located = { apps: ArgoCDApplication[]; failures: LoadFailure[] };

/**
 * With `argocd.appLocatorMethods` Roadie's backend knows several ArgoCD instances: ask it which
 * of them hold the Application(s), then ask each of those. One unreachable instance does not
 * hide what the others report. When it finds none, ask each configured instance why
 * (`diagnoseMissingApps`): the locator leaves out an instance it cannot reach.
 */
async function locateApps(
  api: ArgoCDApi,
  config: Config,
  target: ArgoCDTarget,
  backend: ArgoCDBackendGet | undefined,
): Promise<Located> {
  const { url, appName, appSelector, appNamespace } = target;
  let located;
  try {
    located = await api.serviceLocatorUrl({
      appName,
      appSelector,
      appNamespace,
    });
    if (located instanceof Error) throw located;
  } catch (error) {
    const instances = configuredInstances(config);
    // The portal's backend answers 503 when an instance could not be asked: ask each instance,
    // which names the one that is down (or finds the Application on one that is up).
    if (instances.length) {
      const diagnosis = await diagnoseMissingApps(api, backend, {
        url,
        appName,
        appSelector,
        appNamespace,
        instances,
        namespacedApps: config.getOptionalBoolean('argocd.namespacedApps'),
      });
      if (
        diagnosis.apps.length ||
        diagnosis.failures.some(f => f.severity !== 'warning')
      ) {
        return diagnosis;
      }
    }
    return {
      apps: [],
      failures: [
        {
          title: `Could not find which ArgoCD instance${
            instances.length ? ` (of ${instances.join(', ')})` : ''
          } holds ${what(target)}`,
          message: messageOf(error),
        },
      ],
    };
  }
  if (located.length === 0) {
    return diagnoseMissingApps(api, backend, {
      url,
      appName,
      appSelector,
      appNamespace,
      instances: configuredInstances(config),
      namespacedApps: config.getOptionalBoolean('argocd.namespacedApps'),
    });
  }
  const results = await Promise.allSettled(
    located.map(({ name: instance }) =>
      fetchInstanceApps(api, target, instance),
    ),
  );
  const apps: ArgoCDApplication[] = [];
  const failures: LoadFailure[] = [];
  results.forEach((result, index) => {
    const instance = located[index].name;
    if (result.status === 'rejected') {
      failures.push({
        title: `Could not load ${what(target)} from ${where(target, instance)}`,
        message: messageOf(result.reason),
      });
      return;
    }
    apps.push(...result.value.map(app => withInstance(app, instance)));
  });
  return { apps, failures };
}

/** A single proxied ArgoCD (no `argocd.appLocatorMethods`). */
async function loadProxiedApps(
  api: ArgoCDApi,
  target: ArgoCDTarget,
): Promise<Located> {
  const { url, appName, appSelector, appNamespace, projectName } = target;
  try {
    if (appName) {
      return {
        apps: [await api.getAppDetails({ url, appName, appNamespace })],
        failures: [],
      };
    }
    const list = await api.listApps({
      url,
      appSelector,
      appNamespace,
      projectName,
    });
    return { apps: list.items ?? [], failures: [] };
  } catch (error) {
    return {
      apps: [],
      failures: [
        {
          title: `Could not load ${what(target)} from ${where(
            target,
            undefined,
          )}`,
          message: messageOf(error),
        },
      ],
    };
  }
}

/**
 * The entity's deployments with their commits, newest first, as Roadie's history card finds
 * them (same annotations, same `argocd.appLocatorMethods` and `argocd.revisionsToLoad` config,
 * same `ArgoCDApi` calls). Never rejects: what could not be loaded is in `failures`.
 * `backend` reads what Roadie's backend said when an instance failed (its client keeps only the
 * HTTP status); without it a failure's detail is the client's message.
 */
export async function loadDeploymentHistory(
  api: ArgoCDApi,
  config: Config,
  target: ArgoCDTarget,
  backend?: ArgoCDBackendGet,
): Promise<DeploymentHistory> {
  if (!target.appName && !target.appSelector && !target.projectName) {
    return {
      applications: [],
      deployments: [],
      failures: [
        {
          title: 'This entity names no ArgoCD application',
          message: `Annotate it with ${ARGOCD_ANNOTATION_APP_NAME} or ${ARGOCD_ANNOTATION_APP_SELECTOR}.`,
        },
      ],
    };
  }
  if (target.appName && (target.appSelector || target.projectName)) {
    return {
      applications: [],
      deployments: [],
      failures: [
        {
          title: 'This entity names its ArgoCD application twice',
          message: `Use either ${ARGOCD_ANNOTATION_APP_NAME} or ${ARGOCD_ANNOTATION_APP_SELECTOR}/${ARGOCD_ANNOTATION_PROJECT_NAME}, not both.`,
        },
      ],
    };
  }

  const multipleInstances = Boolean(
    config.getOptionalConfigArray('argocd.appLocatorMethods')?.length,
  );
  const { apps, failures } =
    multipleInstances && (target.appName || target.appSelector)
      ? await locateApps(api, config, target, backend)
      : await loadProxiedApps(api, target);

  const deployments = toDeployments(
    apps,
    config.getOptionalNumber('argocd.revisionsToLoad'),
  );
  const withCommits = await Promise.all(
    deployments.map(async deployment => {
      // a chart version has no commit to describe
      if (deployment.chart || !deployment.revision) return deployment;
      try {
        const details = await api.getRevisionDetails({
          url: target.url,
          app: deployment.app,
          appNamespace: deployment.appNamespace,
          revisionID: deployment.revision,
          instanceName: deployment.instance,
        });
        return {
          ...deployment,
          commit: {
            author: details.author,
            subject: firstLine(details.message),
          },
        };
      } catch (error) {
        return {
          ...deployment,
          commit: {
            error: `${where(target, deployment.instance)}: ${messageOf(error)}`,
          },
        };
      }
    }),
  );
  return {
    applications: apps.map(applicationStatus),
    deployments: withCommits,
    failures,
  };
}
