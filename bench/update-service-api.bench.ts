/*
 * update-service next to new-service, through the running portal as the browser runs them:
 * POST /api/scaffolder/v2/tasks as the guest user, then the scaffolder dispatches the task and the
 * GitOps actions read the remote, render, check and push. Measures, per task, the time from
 * sending the create request until the task reports completed (its last step is the push),
 * polled every 20 ms: N new-service tasks (each a new service), then N update-service tasks that
 * each change one of those services (replicas 2 → 3, so every one commits). Every task's commit
 * is checked to have landed (the service directory's content changes).
 *
 * Needs a running portal: PORTAL_URL (default http://localhost:7007). Without one it says so and
 * exits 0. Onboards one team (`bench-d2-<id>`) and N services into the remote; use a throwaway
 * sandbox remote.
 */
const PORTAL_URL = process.env.PORTAL_URL ?? 'http://localhost:7007';
const RUNS = Number(process.env.BENCH_RUNS ?? 10);

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) {
    throw new Error(
      `${response.url}: ${response.status} ${await response.text()}`,
    );
  }
  return (await response.json()) as T;
}

async function guestToken(): Promise<string> {
  const body = await json<{ backstageIdentity: { token: string } }>(
    await fetch(`${PORTAL_URL}/api/auth/guest/refresh`),
  );
  return body.backstageIdentity.token;
}

/** Submits a template and waits for completion; returns submit → completed in ms. */
async function runTask(
  token: string,
  template: string,
  values: Record<string, unknown>,
): Promise<number> {
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
        templateRef: `template:default/${template}`,
        values,
      }),
    }),
  );
  for (;;) {
    const task = await json<{ status: string }>(
      await fetch(`${PORTAL_URL}/api/scaffolder/v2/tasks/${id}`, { headers }),
    );
    if (task.status === 'failed' || task.status === 'cancelled') {
      throw new Error(`${template} task ${id} ${task.status}`);
    }
    if (task.status === 'completed') {
      return Math.round(performance.now() - startedAt);
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** The service's current settings as the update form reads them (GitOps remote, not catalog). */
async function currentReplicas(token: string, service: string) {
  const body = await json<{ values: { replicas: number } }>(
    await fetch(
      `${PORTAL_URL}/api/scaffolder/gitops/services/current?entity=component:default/${service}`,
      { headers: { Authorization: `Bearer ${token}` } },
    ),
  );
  return body.values.replicas;
}

async function waitForGroup(token: string, team: string) {
  for (let i = 0; i < 600; i++) {
    const r = await fetch(
      `${PORTAL_URL}/api/catalog/entities/by-name/group/default/${team}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (r.ok) return;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`group ${team} never reached the catalog`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function summary(name: string, durations: number[]) {
  const s = [...durations].sort((a, b) => a - b);
  return `${name.padEnd(15)} median ${String(percentile(s, 0.5)).padStart(
    5,
  )} ms, p95 ${String(percentile(s, 0.95)).padStart(5)} ms, min ${
    s[0]
  } ms, max ${s[s.length - 1]} ms`;
}

async function main() {
  try {
    await fetch(`${PORTAL_URL}/.backstage/health/v1/readiness`);
  } catch {
    console.log(
      `skipped: no portal at ${PORTAL_URL} (start one with ./scripts/start.sh, or set PORTAL_URL)`,
    );
    return;
  }
  const token = await guestToken();
  const id = Date.now().toString(36);
  const team = `bench-d2-${id}`;
  await runTask(token, 'onboard-team', {
    team,
    displayName: `Bench ${team}`,
    businessUnit: 'bench',
    environment: 'development',
    quotaSize: 'small',
    costCenter: 'CC-0',
  });
  await waitForGroup(token, team);
  const service = (n: number | string) => `svc-${id}-${n}`;
  const newService = (name: string) =>
    runTask(token, 'new-service', {
      name,
      owner: `group:default/${team}`,
      description: 'Created by the benchmark',
      image: `registry.example.com/${team}/app`,
      imageUpdate: 'none',
      tag: '1.0.0',
      port: 8080,
      replicas: 2,
      tier: 4,
      exposure: 'none',
    });
  const update = (name: string) =>
    runTask(token, 'update-service', {
      entity: `component:default/${name}`,
      replicas: 3,
    });

  // warm-up: the first task of each template compiles it and opens connections
  await newService(service('warmup'));
  await update(service('warmup'));
  const created: number[] = [];
  for (let n = 0; n < RUNS; n++) created.push(await newService(service(n)));
  const updated: number[] = [];
  for (let n = 0; n < RUNS; n++) {
    updated.push(await update(service(n)));
    const replicas = await currentReplicas(token, service(n));
    if (replicas !== 3) {
      throw new Error(
        `${service(n)}: update did not land (replicas ${replicas})`,
      );
    }
  }
  console.log(
    `via the scaffolder API, create request → task completed (pushed), N=${RUNS} sequential each, one team:`,
  );
  console.log(`  ${summary('new-service', created)}`);
  console.log(`  ${summary('update-service', updated)}`);
  const ratio =
    percentile(
      [...updated].sort((a, b) => a - b),
      0.5,
    ) /
    percentile(
      [...created].sort((a, b) => a - b),
      0.5,
    );
  console.log(`  update-service / new-service median: ${ratio.toFixed(2)}`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
