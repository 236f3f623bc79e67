/*
 * onboard-team through the running portal, as the browser runs it: POST /api/scaffolder/v2/tasks
 * as the guest user, then the scaffolder dispatches the task (database queue, templating) and the
 * GitOps actions render, check and push to the configured remote (the sandbox's, with
 * ./scripts/start.sh). Measures, per task, the time from sending the create request until the
 * task reports completed (its last step is the push), polled every 20 ms, for N sequential tasks.
 * The scaffolder's own timestamps have one-second resolution on SQLite, hence the client clock.
 *
 * Needs a running portal: PORTAL_URL (default http://localhost:7007). Without one it says so and
 * exits 0, so `yarn bench` still runs the other benchmarks. Each run onboards a new team
 * (`bench-<id>-<n>`) into the remote; use a throwaway sandbox remote.
 */
import {
  guestToken,
  json,
  percentile,
  portalAnswers,
} from '../e2e-tests/load/scaffolderLoad';

const PORTAL_URL = process.env.PORTAL_URL ?? 'http://localhost:7007';
const RUNS = Number(process.env.BENCH_RUNS ?? 10);

async function runOnce(token: string, team: string): Promise<number> {
  const startedAt = performance.now();
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  };
  const { id } = await json<{ id: string }>(
    await fetch(`${PORTAL_URL}/api/scaffolder/v2/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        templateRef: 'template:default/onboard-team',
        values: {
          team,
          displayName: `Bench ${team}`,
          description: 'Onboarded by the benchmark',
          businessUnit: 'bench',
          environment: 'development',
          quotaSize: 'small',
          costCenter: 'CC-0',
        },
      }),
    }),
  );
  for (;;) {
    const task = await json<{ status: string }>(
      await fetch(`${PORTAL_URL}/api/scaffolder/v2/tasks/${id}`, { headers }),
    );
    if (task.status === 'failed' || task.status === 'cancelled') {
      throw new Error(`task ${id} for ${team} ${task.status}`);
    }
    if (task.status === 'completed') {
      return Math.round(performance.now() - startedAt);
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

async function main() {
  if (!(await portalAnswers(PORTAL_URL))) return;
  const token = await guestToken(PORTAL_URL);
  const id = Date.now().toString(36);
  // one warm-up task: the first run compiles templates and opens connections
  await runOnce(token, `bench-${id}-warmup`);
  const durations: number[] = [];
  for (let n = 0; n < RUNS; n++) {
    durations.push(await runOnce(token, `bench-${id}-${n}`));
  }
  durations.sort((a, b) => a - b);
  console.log(
    `onboard-team via the scaffolder API, create request → task completed (pushed), N=${RUNS} sequential: median ${percentile(
      durations,
      0.5,
    )} ms, p95 ${percentile(durations, 0.95)} ms, min ${durations[0]} ms, max ${
      durations[durations.length - 1]
    } ms`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
