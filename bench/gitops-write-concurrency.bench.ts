/*
 * The GitOps write path under load, through the running portal's scaffolder API: 50 onboard-team
 * and 50 new-service tasks submitted at once (BENCH_TEAMS / BENCH_SERVICES), all writing to one
 * remote. Prints how many completed, the commit count, `git fsck`, the wall time and p50/p95 of
 * submit→commit (from sending the create request until the task's commit is on the remote's
 * branch, watched every 100 ms).
 *
 * Needs a running portal (./scripts/start.sh; PORTAL_URL, default http://localhost:7007) and its
 * GitOps remote on this machine (BENCH_GITOPS_REMOTE, default .sandbox/gitops.git). Without a
 * portal it says so and exits 0. Writes ~100 teams and services into that remote: use a
 * throwaway sandbox remote.
 */
import path from 'node:path';
import {
  addLandingStats,
  formatLandingStats,
  guestToken,
  LoadTask,
  newLandingStats,
  percentile,
  portalAnswers,
  RemoteWatcher,
  runLoad,
  taskEvents,
} from '../e2e-tests/load/scaffolderLoad';
import { request as playwrightRequest } from '@playwright/test';
import {
  onboardTeam,
  onboardValues,
  serviceValues,
} from '../e2e-tests/helpers';

const PORTAL_URL = process.env.PORTAL_URL ?? 'http://localhost:7007';
const REMOTE =
  process.env.BENCH_GITOPS_REMOTE ?? path.resolve('.sandbox/gitops.git');
const TEAMS = Number(process.env.BENCH_TEAMS ?? 50);
const SERVICES = Number(process.env.BENCH_SERVICES ?? 50);

async function main() {
  if (!(await portalAnswers(PORTAL_URL))) return;
  const remote = new RemoteWatcher(REMOTE);
  const id = Date.now().toString(36);
  // the services need a team the guest belongs to: onboarded first, then known to the catalog
  const home = `e2e-b${id}-home`;
  const api = await playwrightRequest.newContext({ baseURL: PORTAL_URL });
  try {
    await onboardTeam(
      api,
      {
        Authorization: `Bearer ${await guestToken(PORTAL_URL)}`,
      },
      home,
    );
  } finally {
    await api.dispose();
  }

  const tasks: LoadTask[] = [
    ...Array.from({ length: TEAMS }, (_, n) => ({
      label: `e2e-b${id}-t${n}`,
      portal: PORTAL_URL,
      templateRef: 'template:default/onboard-team',
      values: onboardValues(`e2e-b${id}-t${n}`),
    })),
    ...Array.from({ length: SERVICES }, (_, n) => ({
      label: `s${id}-${n}`,
      portal: PORTAL_URL,
      templateRef: 'template:default/new-service',
      values: serviceValues(`s${id}-${n}`, home),
    })),
  ];
  const { results, wallMs, base } = await runLoad({
    tasks,
    remote,
    timeoutMs: 600_000,
    log: line => console.log(line),
  });
  const completed = results.filter(r => r.status === 'completed');
  const once = completed.filter(r => r.commits.length === 1).length;
  const times = results
    .map(r => r.submitToCommitMs)
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  console.log(
    `GitOps writes through the scaffolder API, ${TEAMS} onboard-team + ${SERVICES} new-service submitted at once against one remote:`,
  );
  console.log(
    `  ${completed.length}/${
      tasks.length
    } complete (${once} with exactly one commit), ${remote.commitCount(
      base,
    )} commits, fsck ${remote.fsck()}`,
  );
  console.log(
    `  wall ${wallMs} ms; submit→commit p50 ${percentile(
      times,
      0.5,
    )} ms, p95 ${percentile(times, 0.95)} ms, max ${
      times[times.length - 1]
    } ms (N=${times.length})`,
  );
  const token = await guestToken(PORTAL_URL);
  const stats = newLandingStats();
  for (const r of completed) {
    addLandingStats(
      stats,
      await taskEvents(PORTAL_URL, r.id!, { Authorization: `Bearer ${token}` }),
    );
  }
  console.log(`  ${formatLandingStats(stats)}`);
  for (const r of results.filter(x => x.status !== 'completed').slice(0, 10)) {
    console.log(
      `  FAILED ${r.task.label} (${r.id}): ${r.status} ${r.error ?? ''}`,
    );
  }
  if (completed.length !== tasks.length) process.exit(1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
