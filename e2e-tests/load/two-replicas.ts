/*
 * The two-replica stage of scripts/test.sh: two backend processes share one PostgreSQL (the
 * scaffolder's task queue, the catalog) and one GitOps remote. 40 onboardings are submitted at
 * once, alternating between the replicas; then:
 *   - every task completed, and ran exactly once (one completion event, exactly one commit
 *     naming the task on the remote, 40 new commits in all);
 *   - the remote's `git fsck --strict` is clean;
 *   - the catalog of each replica shows every new Group exactly once;
 *   - the guest has exactly one notification per finished task (the notifications module runs
 *     on both replicas).
 *
 * Env: REPLICA_URLS (comma-separated), GITOPS_REMOTE (the bare remote), TASKS (default 40).
 * Run: node --require @backstage/cli/config/nodeTransform.cjs e2e-tests/load/two-replicas.ts
 */
import {
  addLandingStats,
  formatLandingStats,
  groupCounts,
  guestToken,
  json,
  LoadTask,
  newLandingStats,
  percentile,
  RemoteWatcher,
  runLoad,
  taskEvents,
} from './scaffolderLoad';
import { onboardValues } from '../helpers';

async function main() {
  const replicas = (process.env.REPLICA_URLS ?? '').split(',').filter(Boolean);
  const gitDir = process.env.GITOPS_REMOTE;
  const count = Number(process.env.TASKS ?? 40);
  if (replicas.length < 2 || !gitDir) {
    throw new Error('set REPLICA_URLS (two or more) and GITOPS_REMOTE');
  }
  const remote = new RemoteWatcher(gitDir);
  const id = Date.now().toString(36);
  const tasks: LoadTask[] = Array.from({ length: count }, (_, n) => ({
    label: `e2e-r${id}-${n}`,
    portal: replicas[n % replicas.length],
    templateRef: 'template:default/onboard-team',
    values: onboardValues(`e2e-r${id}-${n}`),
  }));
  console.log(
    `[replicas] ${count} onboard-team tasks over ${replicas.join(' and ')}`,
  );
  const { results, wallMs, base } = await runLoad({
    tasks,
    remote,
    timeoutMs: 300_000,
    log: line => console.log(`[replicas] ${line}`),
  });

  const problems: string[] = [];
  for (const r of results) {
    if (r.status !== 'completed') {
      problems.push(
        `${r.task.label} (task ${r.id}) ${r.status}: ${r.error ?? ''}`,
      );
    } else if (r.commits.length !== 1) {
      problems.push(
        `${r.task.label} (task ${r.id}) has ${
          r.commits.length
        } commits: ${r.commits.join(' ')}`,
      );
    }
  }
  // ran exactly once: one completion event per task, on whichever replica ran it
  const headers = new Map<string, Record<string, string>>();
  for (const portal of replicas) {
    headers.set(portal, {
      Authorization: `Bearer ${await guestToken(portal)}`,
    });
  }
  const stats = newLandingStats();
  for (const r of results.filter(x => x.id)) {
    const events = await taskEvents(
      r.task.portal,
      r.id!,
      headers.get(r.task.portal)!,
    );
    addLandingStats(stats, events);
    const completions = events.filter(e => e.type === 'completion').length;
    if (completions !== 1) {
      problems.push(
        `${r.task.label} (task ${r.id}) completed ${completions} times`,
      );
    }
  }
  const commits = remote.commitCount(base);
  if (commits !== count) {
    problems.push(`${commits} new commits on the remote, expected ${count}`);
  }
  const fsck = remote.fsck();
  if (fsck !== 'clean') problems.push(`git fsck: ${fsck}`);

  // both catalogs follow the remote: every new Group, exactly once, on each replica
  const names = tasks.map(t => t.label);
  for (const portal of replicas) {
    const deadline = Date.now() + 120_000;
    let counts = await groupCounts(portal, names);
    while ([...counts.values()].some(c => c !== 1) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 2000));
      counts = await groupCounts(portal, names);
    }
    const wrong = [...counts].filter(([, c]) => c !== 1);
    if (wrong.length) {
      problems.push(
        `${portal}: ${wrong.length} Groups not shown exactly once: ${wrong
          .slice(0, 5)
          .map(([n, c]) => `${n}×${c}`)
          .join(', ')}`,
      );
    } else {
      console.log(
        `[replicas] ${portal}: all ${names.length} new Groups, once each`,
      );
    }
  }

  // the notifications module runs on both replicas: the guest hears of each finished task once
  // (one database, one claim per event), and both replicas' APIs show the same
  const finished = results
    .filter(r => r.status === 'completed')
    .map(r => r.id!);
  for (const portal of replicas) {
    const deadline = Date.now() + 60_000;
    let wrong = await notificationsNotOnce(
      portal,
      headers.get(portal)!,
      finished,
    );
    while (wrong.length && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 2000));
      wrong = await notificationsNotOnce(
        portal,
        headers.get(portal)!,
        finished,
      );
    }
    if (wrong.length) {
      problems.push(
        `${portal}: ${wrong.length} tasks not notified exactly once: ${wrong
          .slice(0, 5)
          .join(', ')}`,
      );
    } else {
      console.log(
        `[replicas] ${portal}: one notification for each of ${finished.length} finished tasks`,
      );
    }
  }

  const times = results
    .map(r => r.submitToCommitMs)
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  // rejected pushes: the other replica moved the branch between fetch and push
  console.log(`[measure] ${formatLandingStats(stats)}`);
  console.log(
    `[measure] two replicas, ${count} onboard-team tasks at once: ${
      results.filter(r => r.status === 'completed').length
    }/${count} completed, ${commits} commits, fsck ${fsck}, wall ${wallMs} ms, submit→commit p50 ${percentile(
      times,
      0.5,
    )} ms, p95 ${percentile(times, 0.95)} ms`,
  );
  if (problems.length) {
    console.error(`[replicas] FAILED:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log('[replicas] every task ran once, every commit landed');
}

/** The tasks of `taskIds` whose "finished" notification the guest does not have exactly once (`id×count`). */
async function notificationsNotOnce(
  portal: string,
  headers: Record<string, string>,
  taskIds: string[],
): Promise<string[]> {
  const list = await json<{
    notifications: Array<{ payload: { scope?: string } }>;
  }>(
    await fetch(
      `${portal}/api/notifications/notifications?topic=scaffolder-task&limit=1000`,
      { headers },
    ),
  );
  const counts = new Map(taskIds.map(id => [`scaffolder-task:${id}`, 0]));
  for (const { payload } of list.notifications) {
    const count = payload.scope ? counts.get(payload.scope) : undefined;
    if (count !== undefined) counts.set(payload.scope!, count + 1);
  }
  return [...counts]
    .filter(([, count]) => count !== 1)
    .map(
      ([scope, count]) => `${scope.slice('scaffolder-task:'.length)}×${count}`,
    );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
