import { groupOfApiVersion, type KubernetesObject } from '@internal/kube-model';
import { HealthStatus, resourceHealth, worseHealth } from './health';
import { AppTarget, appSpec } from './targets';

/** How many history entries ArgoCD keeps by default (`revisionHistoryLimit`). */
const HISTORY_LIMIT = 10;

/** An object of an Application that could not be applied. */
export interface ApplyFailure {
  object: KubernetesObject;
  message: string;
}

/** What one pass did for one Application whose manifests were loaded. */
export interface SyncOutcome {
  target: AppTarget & { objects: KubernetesObject[] };
  /** The last commit that changed the Application's path. */
  revision: string;
  failures: ApplyFailure[];
  /** Whether the pass wrote or pruned anything for this Application. */
  changed: boolean;
  warnings: string[];
  startedAt: string;
  finishedAt: string;
}

type Condition = { type: string; message: string; lastTransitionTime: string };
type HistoryEntry = {
  id: number;
  revision: string;
  deployedAt: string;
  deployStartedAt: string;
  source: unknown;
  initiatedBy?: unknown;
};
type OperationState = {
  phase: string;
  message: string;
  startedAt: string;
  finishedAt: string;
  syncResult?: { revision?: string; [k: string]: unknown };
  [k: string]: unknown;
};

/** The parts of an Application's status the reconciler keeps between passes. */
export interface ApplicationStatus {
  sync?: { status: string; revision?: string; comparedTo?: unknown };
  health?: { status: HealthStatus; message?: string };
  resources?: unknown[];
  history?: HistoryEntry[];
  operationState?: OperationState;
  conditions?: Condition[];
  reconciledAt?: string;
  sourceType?: string;
  summary?: { images?: string[]; externalURLs?: string[] };
  [k: string]: unknown;
}

/** Lookups into the live cluster. */
export interface LiveView {
  get(obj: KubernetesObject): KubernetesObject | undefined;
  podsOf(obj: KubernetesObject): KubernetesObject[];
}

function comparedTo(app: KubernetesObject) {
  const spec = appSpec(app);
  return { source: spec.source ?? {}, destination: spec.destination ?? {} };
}

function keepTransition(
  next: Condition[],
  previous: Condition[] | undefined,
): Condition[] {
  return next.map(c => {
    const before = previous?.find(
      p => p.type === c.type && p.message === c.message,
    );
    return before ? { ...c, lastTransitionTime: before.lastTransitionTime } : c;
  });
}

function images(objects: KubernetesObject[]): string[] {
  const found = new Set<string>();
  for (const obj of objects) {
    const podSpec = podSpecOf(obj);
    for (const c of [
      ...(podSpec?.containers ?? []),
      ...(podSpec?.initContainers ?? []),
    ]) {
      if (c.image) found.add(c.image);
    }
  }
  return [...found].sort();
}
type PodLike = {
  containers?: Array<{ image?: string }>;
  initContainers?: Array<{ image?: string }>;
};

/** The pod spec of a Pod, of a workload's template or of a CronJob's job template. */
function podSpecOf(obj: KubernetesObject): PodLike | undefined {
  const spec = obj.spec as
    | (PodLike & {
        template?: { spec?: PodLike };
        jobTemplate?: { spec?: { template?: { spec?: PodLike } } };
      })
    | undefined;
  if (obj.kind === 'Pod') return spec;
  if (obj.kind === 'CronJob') return spec?.jobTemplate?.spec?.template?.spec;
  return spec?.template?.spec;
}

function externalUrls(objects: KubernetesObject[]): string[] {
  const urls = new Set<string>();
  for (const obj of objects) {
    if (obj.kind === 'HTTPRoute') {
      for (const host of (obj.spec as { hostnames?: string[] })?.hostnames ??
        [])
        urls.add(`https://${host}`);
    } else if (obj.kind === 'Ingress') {
      for (const rule of (obj.spec as { rules?: Array<{ host?: string }> })
        ?.rules ?? []) {
        if (rule.host) urls.add(`https://${rule.host}`);
      }
    }
  }
  return [...urls].sort();
}

function sortKey(obj: KubernetesObject): string {
  return `${groupOfApiVersion(obj.apiVersion)}/${obj.kind}/${
    obj.metadata.namespace ?? ''
  }/${obj.metadata.name}`;
}

/**
 * The status ArgoCD reports for an Application after a sync attempt: sync and health status,
 * per-resource status, operation state, history (one entry per newly deployed revision) and
 * conditions, in the shape the Roadie ArgoCD plugin reads.
 */
export function syncedStatus(
  previous: ApplicationStatus | undefined,
  outcome: SyncOutcome,
  live: LiveView,
  now: string,
): ApplicationStatus {
  const { target } = outcome;
  const failed = new Set(outcome.failures.map(f => sortKey(f.object)));
  let appHealth: HealthStatus = 'Healthy';
  let healthMessage: string | undefined;
  let outOfSync = false;
  const resources = [...target.objects]
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
    .map(obj => {
      const liveObj = live.get(obj);
      const synced = !!liveObj && !failed.has(sortKey(obj));
      if (!synced) outOfSync = true;
      const health = resourceHealth(
        liveObj,
        liveObj ? live.podsOf(liveObj) : [],
      );
      if (health && worseHealth(appHealth, health.status) !== appHealth) {
        appHealth = health.status;
        healthMessage = health.message;
      }
      return {
        group: groupOfApiVersion(obj.apiVersion),
        version: obj.apiVersion.includes('/')
          ? obj.apiVersion.split('/')[1]
          : obj.apiVersion,
        kind: obj.kind,
        ...(obj.metadata.namespace
          ? { namespace: obj.metadata.namespace }
          : {}),
        name: obj.metadata.name,
        status: synced ? 'Synced' : 'OutOfSync',
        ...(health
          ? {
              health: {
                status: health.status,
                ...(health.message ? { message: health.message } : {}),
              },
            }
          : {}),
      };
    });

  const source = appSpec(target.app).source ?? {};
  const phase = outcome.failures.length > 0 ? 'Failed' : 'Succeeded';
  const message =
    phase === 'Failed'
      ? `one or more objects failed to apply, reason: ${outcome.failures
          .map(f => f.message)
          .join('; ')}`
      : 'successfully synced (all tasks run)';
  const previousOperation = previous?.operationState;
  const operationState: OperationState =
    previousOperation &&
    !outcome.changed &&
    previousOperation.phase === phase &&
    previousOperation.message === message &&
    previousOperation.syncResult?.revision === outcome.revision
      ? previousOperation
      : {
          operation: {
            sync: { revision: outcome.revision, syncStrategy: { hook: {} } },
            initiatedBy: { automated: true },
            retry: { limit: 5 },
          },
          phase,
          message,
          startedAt: outcome.startedAt,
          finishedAt: outcome.finishedAt,
          syncResult: {
            revision: outcome.revision,
            source,
            resources: resources.map(r => {
              const failure = outcome.failures.find(
                f =>
                  sortKey(f.object) ===
                  `${r.group}/${r.kind}/${r.namespace ?? ''}/${r.name}`,
              );
              return {
                group: r.group,
                version: r.version,
                kind: r.kind,
                namespace: r.namespace ?? '',
                name: r.name,
                status: failure ? 'SyncFailed' : 'Synced',
                message: failure
                  ? failure.message
                  : `${r.kind.toLowerCase()}/${r.name} configured`,
                hookPhase: failure ? 'Failed' : 'Running',
                syncPhase: 'Sync',
              };
            }),
          },
        };

  let history = previous?.history ?? [];
  if (
    phase === 'Succeeded' &&
    history[history.length - 1]?.revision !== outcome.revision
  ) {
    const id = history.length > 0 ? history[history.length - 1].id + 1 : 0;
    history = [
      ...history,
      {
        id,
        revision: outcome.revision,
        deployedAt: operationState.finishedAt,
        deployStartedAt: operationState.startedAt,
        source,
        initiatedBy: { automated: true },
      },
    ].slice(-HISTORY_LIMIT);
  }

  const conditions = keepTransition(
    [
      ...(phase === 'Failed'
        ? [{ type: 'SyncError', message, lastTransitionTime: now }]
        : []),
      ...outcome.warnings.map(w => ({
        type: 'SharedResourceWarning',
        message: w,
        lastTransitionTime: now,
      })),
    ],
    previous?.conditions,
  );

  return {
    ...(previous ?? {}),
    sync: {
      status: outOfSync ? 'OutOfSync' : 'Synced',
      revision: outcome.revision,
      comparedTo: comparedTo(target.app),
    },
    health: {
      status: appHealth,
      ...(healthMessage ? { message: healthMessage } : {}),
    },
    resources,
    history,
    operationState,
    conditions: conditions.length > 0 ? conditions : undefined,
    reconciledAt: now,
    sourceType: target.sourceType,
    summary: {
      images: images(target.objects),
      ...(externalUrls(target.objects).length > 0
        ? { externalURLs: externalUrls(target.objects) }
        : {}),
    },
    controllerNamespace: 'argocd',
  };
}

/**
 * The status of an Application whose manifests could not be loaded: sync and health Unknown,
 * a ComparisonError condition; resources, history and operation state stay as they were.
 */
export function comparisonErrorStatus(
  previous: ApplicationStatus | undefined,
  target: AppTarget,
  revision: string,
  now: string,
): ApplicationStatus {
  return {
    ...(previous ?? {}),
    sync: { status: 'Unknown', revision, comparedTo: comparedTo(target.app) },
    health: { status: 'Unknown' },
    conditions: keepTransition(
      [
        {
          type: 'ComparisonError',
          message: target.error ?? 'unknown error',
          lastTransitionTime: now,
        },
      ],
      previous?.conditions,
    ),
    reconciledAt: now,
    sourceType: target.sourceType,
    controllerNamespace: 'argocd',
  };
}
