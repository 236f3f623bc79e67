import type { DeploymentHistory } from '@internal/plugin-argocd-deployments-common';
import { formatRelative } from '@internal/plugin-argocd-deployments-common';
import type {
  ClusterStatus,
  EntityPolicyResultsResponse,
} from '@internal/plugin-policy-reports-common';
import { POLICY_SEVERITIES } from '@internal/plugin-policy-reports-common';
import type {
  EntityTierResponse,
  SummaryResponse,
} from '@internal/plugin-tier-health-common';
import type {
  FetchResponse,
  KubernetesFetchError,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';
import {
  GLANCE_STATES,
  type CurrentDeployment,
  type EntityGlance,
  type GlanceChip,
  type GlanceState,
  type UnreachableSource,
} from './types';

/** What one view answered: its value, or why it could not. */
export type Answer<T> = { value: T } | { error: Error };

/** What a view contributes to the glance. */
export interface Signals {
  chips: GlanceChip[];
  unreachable: UnreachableSource[];
  deployment?: CurrentDeployment;
}

const rank = (state: GlanceState) => GLANCE_STATES.indexOf(state);

export function worst(states: GlanceState[]): GlanceState {
  return states.reduce<GlanceState>(
    (acc, state) => (rank(state) > rank(acc) ? state : acc),
    'ok',
  );
}

const HEADLINES: Record<GlanceState, string> = {
  ok: 'Healthy',
  progressing: 'Progressing',
  unknown: 'Unknown',
  warning: 'Warning',
  error: 'Degraded',
};

const plural = (count: number, word: string) =>
  `${count} ${word}${count === 1 ? '' : 's'}`;

const ago = (iso: string | undefined, now: Date) =>
  iso ? formatRelative(iso, now) : 'never';

// ---- ArgoCD ----

const HEALTH_STATES: Record<string, GlanceState> = {
  Healthy: 'ok',
  Progressing: 'progressing',
  Suspended: 'warning',
  Degraded: 'error',
  Missing: 'error',
};

const SYNC_STATES: Record<string, GlanceState> = {
  Synced: 'ok',
  OutOfSync: 'warning',
};

/** ArgoCD health and sync of the entity's Applications (the worst one's), and what runs now. */
export function argoCdSignals(answer: Answer<DeploymentHistory>): Signals {
  if ('error' in answer) {
    return {
      chips: [argoCdUnknown(answer.error.message)],
      unreachable: [
        { name: 'ArgoCD', via: 'ArgoCD', reason: answer.error.message },
      ],
    };
  }
  const { applications, deployments, failures } = answer.value;
  const unreachable = failures
    .filter(failure => failure.severity !== 'warning')
    .map(failure => ({
      name: failure.title,
      via: 'ArgoCD' as const,
      reason: failure.message,
    }));
  if (applications.length === 0) {
    const notFound = failures.find(f => f.severity === 'warning');
    return {
      chips: [
        unreachable.length || !notFound
          ? argoCdUnknown(
              unreachable[0]?.name ?? 'ArgoCD returned no application',
            )
          : {
              key: 'argocd-health',
              title: 'ArgoCD',
              label: 'Not found',
              state: 'warning',
              tab: 'argocd',
              detail: notFound.title,
              countsTowardsOverall: true,
            },
      ],
      unreachable,
    };
  }
  const byHealth = applications.map(app => ({
    app,
    state: HEALTH_STATES[app.health] ?? 'unknown',
  }));
  const bySync = applications.map(app => ({
    app,
    state: SYNC_STATES[app.sync] ?? 'unknown',
  }));
  const worstHealth = byHealth.reduce((a, b) =>
    rank(b.state) > rank(a.state) ? b : a,
  );
  const worstSync = bySync.reduce((a, b) =>
    rank(b.state) > rank(a.state) ? b : a,
  );
  const each = applications
    .map(app => `${app.name}: ${app.sync}, ${app.health}`)
    .join('; ');
  // an instance that did not answer may hold more: what it holds is unknown
  const partial = unreachable.length ? ' (an instance did not answer)' : '';
  const current = deployments.find(d => d.current);
  return {
    chips: [
      {
        key: 'argocd-health',
        title: 'ArgoCD',
        label: worstHealth.app.health,
        state: unreachable.length
          ? worst([worstHealth.state, 'unknown'])
          : worstHealth.state,
        tab: 'argocd',
        detail: each + partial,
        countsTowardsOverall: true,
      },
      {
        key: 'argocd-sync',
        title: 'Sync',
        label: worstSync.app.sync,
        state: worstSync.state,
        tab: 'argocd',
        detail: each,
        countsTowardsOverall: true,
      },
    ],
    unreachable,
    deployment: current && {
      app: current.app,
      revision: current.revision,
      deployedAt: current.deployedAt,
      author: current.commit?.author,
      subject: current.commit?.subject,
    },
  };
}

function argoCdUnknown(detail: string): GlanceChip {
  return {
    key: 'argocd-health',
    title: 'ArgoCD',
    label: 'Unknown',
    state: 'unknown',
    tab: 'argocd',
    detail,
    countsTowardsOverall: true,
  };
}

// ---- policies ----

function staleClusters(
  clusters: ClusterStatus[],
  now: Date,
): UnreachableSource[] {
  return clusters
    .filter(cluster => cluster.stale)
    .map(cluster => ({
      name: `cluster "${cluster.cluster}"`,
      via: 'Policy reports' as const,
      reason: `${cluster.error ?? 'no fresh data'}; results as of ${ago(
        cluster.lastSuccessfulRefresh,
        now,
      )}`,
    }));
}

/** Failing results (fail and error) by severity and warnings, as the Policies tab counts them. */
export function policySignals(
  answer: Answer<EntityPolicyResultsResponse>,
  now: Date = new Date(),
): Signals {
  if ('error' in answer) {
    return {
      chips: [
        {
          key: 'policies',
          title: 'Policies',
          label: 'Unknown',
          state: 'unknown',
          tab: 'policies',
          detail: answer.error.message,
          countsTowardsOverall: true,
        },
      ],
      unreachable: [],
    };
  }
  const { summary, clusters } = answer.value;
  const unreachable = staleClusters(clusters, now);
  const everyClusterStale =
    clusters.length > 0 && clusters.every(cluster => cluster.stale);
  const failing = summary.byResult.fail + summary.byResult.error;
  const warnings = summary.byResult.warn;
  const bySeverity = POLICY_SEVERITIES.filter(
    severity => summary.failingBySeverity[severity] > 0,
  )
    .map(severity => `${summary.failingBySeverity[severity]} ${severity}`)
    .join(', ');
  const parts: string[] = [];
  if (failing)
    parts.push(`${failing} fail${bySeverity ? ` (${bySeverity})` : ''}`);
  if (warnings) parts.push(`${warnings} warn`);
  let state: GlanceState;
  if (failing || warnings) state = 'warning';
  else if (summary.total === 0) state = 'unknown';
  else state = 'ok';
  if (everyClusterStale && state === 'ok') state = 'unknown';
  let counts = parts.join(' · ');
  if (!counts) counts = summary.total ? 'all pass' : 'no results';
  const label = `${counts}${everyClusterStale ? ' (stale)' : ''}`;
  return {
    chips: [
      {
        key: 'policies',
        title: 'Policies',
        label,
        state,
        tab: 'policies',
        detail:
          summary.compliancePercent === undefined
            ? undefined
            : `${summary.compliancePercent}% compliant, ${plural(
                summary.total,
                'result',
              )}`,
        countsTowardsOverall: true,
      },
    ],
    unreachable,
  };
}

// ---- tier and cluster state ----

const AVAILABILITY_STATES: Record<string, GlanceState> = {
  available: 'ok',
  degraded: 'warning',
  unavailable: 'error',
};

const CLUSTER_STATES: Record<string, GlanceState> = {
  Green: 'ok',
  Yellow: 'warning',
  Red: 'error',
  Black: 'error',
};

function age(seconds: number | undefined): string {
  if (seconds === undefined) return 'never read';
  return seconds < 120
    ? `${Math.round(seconds)} s old`
    : `${Math.round(seconds / 60)} min old`;
}

/**
 * The component's tier and availability, and the state of each cluster it runs on, from tier
 * health. An outdated snapshot says Unknown (with what it last saw), never a remembered Green.
 */
export function tierSignals(
  entityAnswer: Answer<EntityTierResponse>,
  summaryAnswer: Answer<SummaryResponse> | undefined,
): Signals {
  if ('error' in entityAnswer) {
    return {
      chips: [
        {
          key: 'tier',
          title: 'Tier',
          label: 'Unknown',
          state: 'unknown',
          tab: 'platform-health',
          detail: entityAnswer.error.message,
          countsTowardsOverall: true,
        },
      ],
      unreachable: [],
    };
  }
  const { annotatedTier, clusters } = entityAnswer.value;
  const unreachable: UnreachableSource[] = clusters
    .filter(cluster => cluster.stale)
    .map(cluster => ({
      name: `cluster "${cluster.cluster}"`,
      via: 'Tier health' as const,
      reason: `${cluster.error ?? 'no fresh data'}; data ${age(
        cluster.ageSeconds,
      )}`,
    }));
  const running = clusters.filter(cluster => cluster.component);
  const tier = running[0]?.component?.tier ?? annotatedTier;
  const tierText = tier ? `Tier ${tier}` : 'No tier';
  const chips: GlanceChip[] = [];
  if (running.length === 0) {
    chips.push({
      key: 'tier',
      title: 'Tier',
      label: `${tierText} · no workload found`,
      state: 'unknown',
      tab: 'platform-health',
      detail: clusters.length
        ? `Tier health finds no workload of this component on ${clusters
            .map(c => c.cluster)
            .join(', ')}`
        : 'Tier health reads no cluster',
      countsTowardsOverall: true,
    });
  } else {
    const states = running.map(cluster =>
      cluster.outdated
        ? 'unknown'
        : AVAILABILITY_STATES[cluster.component!.availability] ?? 'unknown',
    );
    const state = worst(states);
    const availability = running
      .map(cluster =>
        cluster.outdated
          ? `unknown on ${cluster.cluster} (last seen ${
              cluster.component!.availability
            }, ${age(cluster.ageSeconds)})`
          : `${cluster.component!.availability} on ${cluster.cluster}${
              cluster.stale ? ` (${age(cluster.ageSeconds)})` : ''
            }`,
      )
      .join('; ');
    const shown =
      running.length === 1 ? running[0].component!.availability : availability;
    chips.push({
      key: 'tier',
      title: 'Tier',
      label: `${tierText} · ${state === 'unknown' ? 'unknown' : shown}`,
      state,
      tab: 'platform-health',
      detail: availability,
      countsTowardsOverall: true,
    });
  }
  const summaries =
    summaryAnswer && 'value' in summaryAnswer
      ? summaryAnswer.value.clusters
      : [];
  for (const cluster of running.length ? running : clusters) {
    const summary = summaries.find(s => s.cluster === cluster.cluster);
    const clusterState = summary?.state;
    const label = clusterState ?? 'Unknown';
    chips.push({
      key: `cluster-${cluster.cluster}`,
      title: `Cluster ${cluster.cluster}`,
      label,
      state: (clusterState && CLUSTER_STATES[clusterState]) ?? 'unknown',
      tab: 'platform-health',
      detail:
        clusterState === 'Unknown' && summary?.lastSeenState
          ? `last seen ${summary.lastSeenState}, ${age(summary.ageSeconds)}`
          : summary?.reasons.map(reason => reason.message).join('; ') ||
            (summaryAnswer && 'error' in summaryAnswer
              ? summaryAnswer.error.message
              : undefined),
      countsTowardsOverall: false,
    });
  }
  return { chips, unreachable };
}

// ---- pods ----

type Resources<T extends FetchResponse['type']> = Extract<
  FetchResponse,
  { type: T }
>['resources'];

function resourcesOf<T extends FetchResponse['type']>(
  responses: FetchResponse[],
  type: T,
): Resources<T> {
  return responses.flatMap(response =>
    response.type === type ? (response.resources as unknown[]) : [],
  ) as Resources<T>;
}

function errorText(error: KubernetesFetchError): string {
  if (error.errorType === 'FETCH_ERROR') return error.message;
  return [
    error.errorType,
    error.statusCode && `HTTP ${error.statusCode}`,
    error.resourcePath,
  ]
    .filter(Boolean)
    .join(' ');
}

const CRASHING = new Set([
  'CrashLoopBackOff',
  'Error',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
]);

/** Pods ready of desired and their restarts, as the Kubernetes tab reads them. */
export function podSignals(answer: Answer<ObjectsByEntityResponse>): Signals {
  if ('error' in answer) {
    return {
      chips: [
        {
          key: 'pods',
          title: 'Pods',
          label: 'Unknown',
          state: 'unknown',
          tab: 'kubernetes',
          detail: answer.error.message,
          countsTowardsOverall: true,
        },
      ],
      unreachable: [],
    };
  }
  const unreachable = answer.value.items.flatMap(item =>
    item.errors.map(error => ({
      name: `cluster "${item.cluster.name}"`,
      via: 'Kubernetes' as const,
      reason: errorText(error),
    })),
  );
  const answered = answer.value.items.filter(item => item.errors.length === 0);
  const responses = answered.flatMap(item => item.resources);
  const pods = resourcesOf(responses, 'pods').filter(
    pod => !pod.metadata?.deletionTimestamp,
  );
  const workloadsDesired =
    resourcesOf(responses, 'deployments').reduce(
      (sum, d) => sum + (d.spec?.replicas ?? 1),
      0,
    ) +
    resourcesOf(responses, 'statefulsets').reduce(
      (sum, s) => sum + (s.spec?.replicas ?? 1),
      0,
    ) +
    resourcesOf(responses, 'daemonsets').reduce(
      (sum, d) => sum + (d.status?.desiredNumberScheduled ?? 0),
      0,
    );
  const hasWorkloads = ['deployments', 'statefulsets', 'daemonsets'].some(
    type => resourcesOf(responses, type as 'deployments').length > 0,
  );
  const desired = hasWorkloads ? workloadsDesired : pods.length;
  const ready = pods.filter(pod =>
    pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ),
  ).length;
  const containers = pods.flatMap(pod => pod.status?.containerStatuses ?? []);
  const restarts = containers.reduce(
    (sum, c) => sum + (c.restartCount ?? 0),
    0,
  );
  const crashing = containers
    .map(c => c.state?.waiting?.reason)
    .filter((reason): reason is string =>
      Boolean(reason && CRASHING.has(reason)),
    );

  if (answered.length === 0) {
    return {
      chips: [
        {
          key: 'pods',
          title: 'Pods',
          label: unreachable.length ? 'cluster unreachable' : 'no cluster',
          state: 'unknown',
          tab: 'kubernetes',
          detail: unreachable.map(u => `${u.name}: ${u.reason}`).join('; '),
          countsTowardsOverall: true,
        },
      ],
      unreachable,
    };
  }
  let state: GlanceState = 'ok';
  if (!hasWorkloads && pods.length === 0) state = 'unknown';
  else if (crashing.length || (desired > 0 && ready === 0)) state = 'error';
  else if (ready < desired) state = 'warning';
  if (unreachable.length) state = worst([state, 'unknown']);
  const label =
    !hasWorkloads && pods.length === 0
      ? 'no workload found'
      : `${ready}/${desired} ready · ${plural(restarts, 'restart')}`;
  return {
    chips: [
      {
        key: 'pods',
        title: 'Pods',
        label,
        state,
        tab: 'kubernetes',
        detail: crashing.length
          ? `containers waiting: ${[...new Set(crashing)].join(', ')}`
          : undefined,
        countsTowardsOverall: true,
      },
    ],
    unreachable,
  };
}

// ---- the whole ----

/** The entity's glance from what each view contributed; the state is the worst that counts. */
export function entityGlance(
  entityRef: string,
  signals: Signals[],
): EntityGlance {
  const chips = signals.flatMap(s => s.chips);
  const state = worst(
    chips.filter(chip => chip.countsTowardsOverall).map(chip => chip.state),
  );
  return {
    entityRef,
    state: chips.length ? state : 'unknown',
    headline: HEADLINES[chips.length ? state : 'unknown'],
    chips,
    deployment: signals.find(s => s.deployment)?.deployment,
    unreachable: signals.flatMap(s => s.unreachable),
  };
}

/** Worst first; among equals, by entity ref. */
export function worstFirst(a: EntityGlance, b: EntityGlance): number {
  return (
    rank(b.state) - rank(a.state) || a.entityRef.localeCompare(b.entityRef)
  );
}
