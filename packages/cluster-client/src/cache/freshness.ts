import type { CacheMode, ClusterFreshness } from './types';

/**
 * Data older than this many intervals says nothing about the cluster now: views
 * show its state as Unknown and its data as stale. @public
 */
export const STALE_AFTER_INTERVALS = 2;

/**
 * Whether data read at `since` is outdated at `now` for a refresh interval: the one staleness
 * rule of every view that reads cluster data. @public
 */
export function isOutdated(
  since: Date | undefined,
  now: Date,
  refreshIntervalMs: number,
): boolean {
  if (!since) return false;
  return (
    now.getTime() - since.getTime() > STALE_AFTER_INTERVALS * refreshIntervalMs
  );
}

/** What a reflector knows about how current its copy of one (cluster, kind) is. */
export interface ReflectorState {
  mode: CacheMode;
  synced: boolean;
  /** A watch stream is open and has not been silent for longer than the idle timeout. */
  watching: boolean;
  /** The last moment the copy was known to match the cluster (list, poll, event, or a drop). */
  lastCurrent?: Date;
  /** When the reflector started: before the first list, data ages from here. */
  startedAt: Date;
  error?: { message: string; at: Date };
  note?: string;
}

/**
 * Judges one (cluster, kind) at `now` by the one staleness rule of every read view
 * ({@link isOutdated}): data not known current for more than two intervals is outdated. An open,
 * answering watch (and a kind the cluster does not serve, while discovery answers) is current now;
 * otherwise the data ages from the last list, poll, event or drop.
 */
export function judgeFreshness(
  cluster: string,
  state: ReflectorState,
  now: Date,
  intervalMs: number,
): ClusterFreshness {
  const currentNow =
    state.watching || (state.mode === 'not-served' && !state.error);
  const lastSuccess = currentNow ? now : state.lastCurrent;
  const outdated = isOutdated(
    lastSuccess ?? (state.synced ? undefined : state.startedAt),
    now,
    intervalMs,
  );
  const since = lastSuccess ?? state.startedAt;
  const error =
    state.error ??
    (outdated
      ? {
          message: `no answer from cluster ${cluster} for ${Math.round(
            (now.getTime() - since.getTime()) / 1000,
          )} s (interval ${Math.round(intervalMs / 1000)} s)`,
          at: now,
        }
      : undefined);
  return {
    cluster,
    mode: state.mode,
    synced: state.synced,
    ...(lastSuccess
      ? {
          lastSuccess,
          ageSeconds: Math.max(
            0,
            Math.round((now.getTime() - lastSuccess.getTime()) / 1000),
          ),
        }
      : {}),
    stale: Boolean(state.error) || outdated,
    outdated,
    ...(error ? { error } : {}),
    ...(state.note ? { note: state.note } : {}),
  };
}

const MODE_RANK: Record<CacheMode, number> = {
  starting: 3,
  poll: 2,
  watch: 1,
  'not-served': 0,
};

/**
 * The freshness of a cluster across its kinds: the worst wins (outdated, stale, not synced, the
 * oldest success, the least live mode), so a view never looks fresher than its weakest input.
 *
 * @public
 */
export function worstFreshness(
  cluster: string,
  kinds: ClusterFreshness[],
): ClusterFreshness {
  if (kinds.length === 0) {
    return {
      cluster,
      mode: 'starting',
      synced: false,
      stale: false,
      outdated: false,
    };
  }
  let mode = kinds[0].mode;
  let lastSuccess: Date | undefined;
  let neverSucceeded = false;
  let error: ClusterFreshness['error'];
  const notes: string[] = [];
  for (const kind of kinds) {
    if (MODE_RANK[kind.mode] > MODE_RANK[mode]) mode = kind.mode;
    if (!kind.lastSuccess) neverSucceeded = true;
    else if (!lastSuccess || kind.lastSuccess < lastSuccess) {
      lastSuccess = kind.lastSuccess;
    }
    if (kind.error && (!error || kind.error.at > error.at)) error = kind.error;
    if (kind.note && !notes.includes(kind.note)) notes.push(kind.note);
  }
  const oldest = neverSucceeded ? undefined : lastSuccess;
  const ages = kinds.map(kind => kind.ageSeconds ?? 0);
  return {
    cluster,
    mode,
    synced: kinds.every(kind => kind.synced),
    ...(oldest ? { lastSuccess: oldest, ageSeconds: Math.max(...ages) } : {}),
    stale: kinds.some(kind => kind.stale),
    outdated: kinds.some(kind => kind.outdated),
    ...(error ? { error } : {}),
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}
