import type { ArgoCDApi } from '@roadiehq/backstage-plugin-argo-cd';

/** An ArgoCD Application as Roadie's API returns it. */
export type ArgoCDApplication = Awaited<ReturnType<ArgoCDApi['getAppDetails']>>;

/**
 * One entry of an Application's `status.history`. Roadie's codec keeps fields it does not
 * declare: a multi-source Application records `sources`/`revisions` instead of
 * `source`/`revision`, and a Helm chart source has a `chart` and a chart version as revision.
 */
export type ArgoCDHistoryEntry = NonNullable<
  ArgoCDApplication['status']['history']
>[number] & {
  source?: { chart?: string };
  sources?: { chart?: string }[];
  revisions?: string[];
};

/** One deployment of one Application, as the card shows it. */
export interface Deployment {
  key: string;
  app: string;
  appNamespace?: string;
  /** the ArgoCD instance (`argocd.appLocatorMethods`); unknown with a single proxied ArgoCD */
  instance?: string;
  /** the Application's newest history entry: what runs now */
  current: boolean;
  /** a commit SHA, or the chart version of a Helm chart source */
  revision?: string;
  /** the Helm chart deployed, when the source is a chart rather than a Git repository */
  chart?: string;
  deployStartedAt?: string;
  deployedAt?: string;
}

function timeOf(iso: string | undefined): number {
  const time = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(time) ? -Infinity : time;
}

/** Newest first: by deploy time, then by history id (ArgoCD numbers its syncs upwards). */
export function newestFirst<
  T extends { deployedAt?: string; id?: number | undefined },
>(a: T, b: T): number {
  const byTime = timeOf(b.deployedAt) - timeOf(a.deployedAt);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return (b.id ?? -1) - (a.id ?? -1);
}

/** The deployed revision of a history entry; of the first source for a multi-source one. */
export function revisionOf(entry: ArgoCDHistoryEntry): string | undefined {
  const revision = entry.revisions?.[0] ?? entry.revision;
  if (revision === undefined || revision === null) return undefined;
  if (typeof revision === 'object') {
    return revision.revisionID === undefined
      ? undefined
      : String(revision.revisionID);
  }
  return String(revision);
}

/** The Helm chart of a history entry's (first) source, if it is one. */
export function chartOf(entry: ArgoCDHistoryEntry): string | undefined {
  return (entry.sources?.[0] ?? entry.source)?.chart;
}

/**
 * Every Application's history as deployments, newest first across Applications. Each
 * Application's newest entry is its current one; `revisionsToLoad` (`argocd.revisionsToLoad`)
 * keeps that many entries per Application, all of them when unset or not positive.
 */
export function toDeployments(
  apps: ArgoCDApplication[],
  revisionsToLoad?: number,
): Deployment[] {
  const limit =
    revisionsToLoad && revisionsToLoad > 0 ? revisionsToLoad : undefined;
  return apps
    .flatMap(app => {
      const history = [
        ...((app.status?.history ?? []) as ArgoCDHistoryEntry[]),
      ].sort(newestFirst);
      const instance = app.metadata.instance?.name;
      return history.slice(0, limit).map((entry, index) => ({
        id: entry.id,
        key: [instance, app.metadata.name, entry.id ?? revisionOf(entry), index]
          .filter(part => part !== undefined)
          .join('/'),
        app: app.metadata.name,
        appNamespace: app.metadata.namespace,
        instance,
        current: index === 0,
        revision: revisionOf(entry),
        chart: chartOf(entry),
        deployStartedAt: entry.deployStartedAt,
        deployedAt: entry.deployedAt,
      }));
    })
    .sort(newestFirst)
    .map(({ id: _id, ...deployment }) => deployment);
}

/** How long a deployment took (`deployedAt − deployStartedAt`); undefined without both times. */
export function durationMs(
  deployStartedAt: string | undefined,
  deployedAt: string | undefined,
): number | undefined {
  if (!deployStartedAt || !deployedAt) return undefined;
  const duration = Date.parse(deployedAt) - Date.parse(deployStartedAt);
  return Number.isNaN(duration) || duration < 0 ? undefined : duration;
}

/** `12 s`, `1 min 5 s`, `2 h 3 min`: whole seconds, the two largest units. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = seconds % 60;
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** A commit SHA's first 7 characters; any other revision (a chart version) unchanged. */
export function shortSha(revision: string): string {
  return /^[0-9a-f]{8,}$/i.test(revision) ? revision.slice(0, 7) : revision;
}

/** A commit message's subject line. */
export function firstLine(message: string | undefined): string | undefined {
  const line = message?.trim().split(/\r?\n/)[0]?.trim();
  return line || undefined;
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** `5 minutes ago`, `yesterday`: how long before `now` the time was. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const seconds = (Date.parse(iso) - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(0, 'second');
}

/** `12 Mar 2025, 14:03` in the viewer's time zone. */
export function formatAbsolute(iso: string, timeZone?: string): string {
  return new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  });
}
