/*
 * Many scaffolder tasks at once against running portals, as browsers would send them: the guest
 * token from /api/auth/guest/refresh, POST /api/scaffolder/v2/tasks, then the GitOps remote is
 * watched for each task's commit (its message carries `Task: <id>`). Used by the two-replica stage
 * of scripts/test.sh (two-replicas.ts) and by bench/gitops-write-concurrency.bench.ts.
 */
import { execFileSync } from 'node:child_process';

/** One task to submit: which template, with which form values, to which portal. */
export interface LoadTask {
  label: string;
  portal: string;
  templateRef: string;
  values: Record<string, unknown>;
}

/** What happened to one task. */
export interface LoadResult {
  task: LoadTask;
  id?: string;
  status: string;
  /** ms from sending the create request until its commit was on the remote's branch. */
  submitToCommitMs?: number;
  /** The commits whose message names this task (exactly one when all went well). */
  commits: string[];
  error?: string;
}

export async function json<T>(response: Response): Promise<T> {
  if (!response.ok) {
    throw new Error(
      `${response.url}: ${response.status} ${await response.text()}`,
    );
  }
  return (await response.json()) as T;
}

/** Whether a portal answers; benchmarks skip (and say so) without one. */
export async function portalAnswers(portal: string): Promise<boolean> {
  try {
    await fetch(`${portal}/.backstage/health/v1/readiness`);
    return true;
  } catch {
    console.log(
      `skipped: no portal at ${portal} (start one with ./scripts/start.sh, or set PORTAL_URL)`,
    );
    return false;
  }
}

/** A Backstage token for the guest user of one portal. */
export async function guestToken(portal: string): Promise<string> {
  const body = await json<{ backstageIdentity: { token: string } }>(
    await fetch(`${portal}/api/auth/guest/refresh`),
  );
  return body.backstageIdentity.token;
}

/** The GitOps remote as the tests read it: a bare repository on this machine. */
export class RemoteWatcher {
  constructor(readonly gitDir: string, readonly branch = 'main') {}

  git(...args: string[]): string {
    return execFileSync('git', ['--git-dir', this.gitDir, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    }).trim();
  }

  head(): string {
    return this.git('rev-parse', this.branch);
  }

  /** task id → commits (SHAs) whose message carries `Task: <id>`, since `base`. */
  commitsByTask(base: string): Map<string, string[]> {
    const log = this.git(
      'log',
      '--format=%H%x00%B%x01',
      `${base}..${this.branch}`,
    );
    const byTask = new Map<string, string[]>();
    for (const entry of log.split('\x01')) {
      const [sha, body] = entry.trim().split('\0');
      const task = /^Task: (\S+)$/m.exec(body ?? '')?.[1];
      if (!sha || !task) continue;
      byTask.set(task, [...(byTask.get(task) ?? []), sha]);
    }
    return byTask;
  }

  commitCount(base: string): number {
    return Number(this.git('rev-list', '--count', `${base}..${this.branch}`));
  }

  /** `git fsck --strict`: 'clean', or what it reported. */
  fsck(): string {
    try {
      execFileSync('git', ['--git-dir', this.gitDir, 'fsck', '--strict'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return 'clean';
    } catch (error) {
      return `NOT clean: ${(error as { stderr?: string }).stderr ?? error}`;
    }
  }
}

/**
 * Submits every task at once, then waits until each one's commit is on the remote or the task
 * failed, or `timeoutMs` passed. Watching the remote (every 100 ms) gives submit→commit times
 * without polling a hundred tasks.
 */
export async function runLoad(opts: {
  tasks: LoadTask[];
  remote: RemoteWatcher;
  timeoutMs: number;
  log?: (line: string) => void;
}): Promise<{ results: LoadResult[]; wallMs: number; base: string }> {
  const { tasks, remote } = opts;
  const log = opts.log ?? (() => {});
  const tokens = new Map<string, string>();
  for (const portal of new Set(tasks.map(t => t.portal))) {
    tokens.set(portal, await guestToken(portal));
  }
  const headers = (portal: string) => ({
    Authorization: `Bearer ${tokens.get(portal)}`,
    'Content-Type': 'application/json',
  });
  const base = remote.head();
  const started = performance.now();
  const submitted = await Promise.all(
    tasks.map(async task => {
      const at = performance.now();
      try {
        const { id } = await json<{ id: string }>(
          await fetch(`${task.portal}/api/scaffolder/v2/tasks`, {
            method: 'POST',
            headers: headers(task.portal),
            body: JSON.stringify({
              templateRef: task.templateRef,
              values: task.values,
            }),
          }),
        );
        return { task, id, at };
      } catch (error) {
        return { task, at, error: String(error) };
      }
    }),
  );
  log(
    `submitted ${submitted.filter(s => s.id).length}/${
      tasks.length
    } tasks in ${Math.round(performance.now() - started)} ms`,
  );

  const results = new Map<string, LoadResult>();
  for (const s of submitted) {
    if (!s.id) {
      results.set(s.task.label, {
        task: s.task,
        status: 'not submitted',
        commits: [],
        error: s.error,
      });
    }
  }
  const open = new Map(
    submitted.filter(s => s.id).map(s => [s.id as string, s]),
  );
  const deadline = performance.now() + opts.timeoutMs;
  let lastStatusPoll = 0;
  while (open.size > 0 && performance.now() < deadline) {
    const commits = remote.commitsByTask(base);
    const now = performance.now();
    for (const [id, s] of open) {
      if (commits.has(id)) {
        results.set(s.task.label, {
          task: s.task,
          id,
          status: 'committed',
          submitToCommitMs: Math.round(now - s.at),
          commits: commits.get(id)!,
        });
        open.delete(id);
      }
    }
    // failures never reach the remote: one list request per portal every 2 s finds them
    // (asking a hundred tasks one by one would load the portal the benchmark measures)
    if (now - lastStatusPoll > 2000) {
      lastStatusPoll = now;
      for (const portal of tokens.keys()) {
        const list = await json<{
          tasks: Array<{ id: string; status: string }>;
        }>(
          await fetch(
            `${portal}/api/scaffolder/v2/tasks?status=failed&status=cancelled&limit=1000`,
            { headers: headers(portal) },
          ),
        ).catch(() => ({ tasks: [] }));
        for (const task of list.tasks) {
          const s = open.get(task.id);
          if (!s) continue;
          results.set(s.task.label, {
            task: s.task,
            id: task.id,
            status: task.status,
            commits: [],
            error: await taskError(portal, task.id, headers(portal)),
          });
          open.delete(task.id);
        }
      }
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  for (const [id, s] of open) {
    results.set(s.task.label, {
      task: s.task,
      id,
      status: 'timed out',
      commits: [],
    });
  }
  const wallMs = Math.round(performance.now() - started);
  // the scaffolder's own verdict, once everything has settled
  const all = tasks.map(t => results.get(t.label)!);
  await Promise.all(
    all
      .filter(r => r.status === 'committed')
      .map(async r => {
        const final = await waitForStatus(
          r.task.portal,
          r.id!,
          headers(r.task.portal),
        );
        if (final !== 'completed') {
          r.status = `committed, but the task ${final}`;
          r.error = await taskError(
            r.task.portal,
            r.id!,
            headers(r.task.portal),
          );
        } else {
          r.status = 'completed';
        }
      }),
  );
  return { results: all, wallMs, base };
}

async function waitForStatus(
  portal: string,
  id: string,
  headers: Record<string, string>,
): Promise<string> {
  for (let i = 0; i < 120; i++) {
    const { status } = await json<{ status: string }>(
      await fetch(`${portal}/api/scaffolder/v2/tasks/${id}`, { headers }),
    );
    if (!['open', 'processing'].includes(status)) return status;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  return 'still processing after 60 s';
}

/** The task's events: how often it completed, and its error message if it failed. */
export async function taskEvents(
  portal: string,
  id: string,
  headers: Record<string, string>,
): Promise<
  Array<{
    type: string;
    body: { message?: string; error?: { message?: string } };
  }>
> {
  return json(
    await fetch(`${portal}/api/scaffolder/v2/tasks/${id}/events`, { headers }),
  );
}

async function taskError(
  portal: string,
  id: string,
  headers: Record<string, string>,
): Promise<string> {
  const events = await taskEvents(portal, id, headers).catch(() => []);
  const completion = events.find(e => e.type === 'completion');
  return (
    completion?.body.error?.message ??
    completion?.body.message ??
    'no completion event'
  );
}

/** The value at a fraction of a sorted list (p50 = 0.5). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** How often each of `names` appears as a Group in the portal's catalog. */
export async function groupCounts(
  portal: string,
  names: string[],
): Promise<Map<string, number>> {
  const token = await guestToken(portal);
  const groups = await json<Array<{ metadata: { name: string } }>>(
    await fetch(
      `${portal}/api/catalog/entities?filter=kind=group&fields=metadata.name`,
      { headers: { Authorization: `Bearer ${token}` } },
    ),
  );
  const counts = new Map(names.map(n => [n, 0]));
  for (const g of groups) {
    if (counts.has(g.metadata.name)) {
      counts.set(g.metadata.name, counts.get(g.metadata.name)! + 1);
    }
  }
  return counts;
}

/** What the commit steps logged about landing their commits (see gitops:commit). */
export interface LandingStats {
  rebases: number;
  rejectedPushes: number;
  queuedMs: number[];
  landingMs: number[];
}

export function newLandingStats(): LandingStats {
  return { rebases: 0, rejectedPushes: 0, queuedMs: [], landingMs: [] };
}

/** Adds one task's commit log line (`... after N rebase(s) and M rejected push(es); ...`). */
export function addLandingStats(
  stats: LandingStats,
  events: Array<{ body: { message?: string } }>,
): void {
  for (const e of events) {
    const m =
      / after (\d+) rebase\(s\) and (\d+) rejected push\(es\); waited (\d+) ms for the push queue, landed in (\d+) ms/.exec(
        e.body.message ?? '',
      );
    if (!m) continue;
    stats.rebases += Number(m[1]);
    stats.rejectedPushes += Number(m[2]);
    stats.queuedMs.push(Number(m[3]));
    stats.landingMs.push(Number(m[4]));
  }
}

export function formatLandingStats(stats: LandingStats): string {
  if (stats.landingMs.length === 0) {
    return 'no commit step reported how it landed (a portal before the write core)';
  }
  const q = [...stats.queuedMs].sort((a, b) => a - b);
  const l = [...stats.landingMs].sort((a, b) => a - b);
  return `${stats.rebases} rebases onto a moved head, ${
    stats.rejectedPushes
  } pushes rejected (another process was first) and retried; per commit: waited for the in-process push queue p50 ${percentile(
    q,
    0.5,
  )} ms / p95 ${percentile(
    q,
    0.95,
  )} ms, fetch+rebase+recheck+push p50 ${percentile(
    l,
    0.5,
  )} ms / p95 ${percentile(l, 0.95)} ms (N=${l.length})`;
}
