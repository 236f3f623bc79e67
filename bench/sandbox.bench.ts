/*
 * Sandbox Kubernetes API at benchmark scale: starts the real sandbox program in scale mode
 * (1,000 nodes, 30,000 pods, 5,000 policy reports), then measures list latency over HTTP the way
 * the portal's backends and kubectl call it, a paged list walk (limit/continue), a watch's initial
 * events, how long a change takes from the control API to an open watch, and the sandbox
 * process's resident memory. In-process first: the CPU time of one crash or heal of a Deployment
 * in the cluster simulator, the targeted path beside the full pass it replaced.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ClusterSimulator,
  ClusterStore,
  generateSyntheticCluster,
  type KubeObject,
} from '@internal/sandbox';

const SCALE = { nodes: 1000, namespaces: 100, pods: 30000, reports: 5000 };
const PORT = Number(process.env.BENCH_SANDBOX_PORT ?? 17100);
const RUNS = 20;
const repoRoot = join(__dirname, '..');
const config = parse(
  readFileSync(join(repoRoot, 'packages/sandbox/sandbox.config.yaml'), 'utf8'),
);
const token: string = config.kubernetes.token;
const base = `http://127.0.0.1:${PORT}`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timeList(path: string) {
  const timings: number[] = [];
  let items = 0;
  let bytes = 0;
  for (let i = 0; i < RUNS + 3; i++) {
    const started = performance.now();
    const response = await fetch(base + path, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    if (i >= 3) timings.push(elapsed); // the first three warm the JIT and caches
    bytes = body.length;
    items = JSON.parse(body).items.length;
  }
  timings.sort((a, b) => a - b);
  return {
    items,
    bytes,
    median: percentile(timings, 50),
    p95: percentile(timings, 95),
  };
}

const auth = { Authorization: `Bearer ${token}` };

/** All pods in pages of 500, as a cache's initial list does it. */
async function benchPagedList() {
  const walks: number[] = [];
  let pages = 0;
  let items = 0;
  for (let run = 0; run < 6; run++) {
    const started = performance.now();
    let next: string | undefined;
    pages = 0;
    items = 0;
    do {
      const response = await fetch(
        `${base}/api/v1/pods?limit=500${
          next ? `&continue=${encodeURIComponent(next)}` : ''
        }`,
        { headers: auth },
      );
      if (!response.ok) throw new Error(`paged list: HTTP ${response.status}`);
      const page = await response.json();
      items += page.items.length;
      pages += 1;
      next = page.metadata.continue;
    } while (next);
    if (run > 0) walks.push(performance.now() - started); // the first warms up
  }
  walks.sort((a, b) => a - b);
  console.log(
    `  pods, all namespaces, limit=500 pages: ${items} items in ${pages} pages, whole walk median ${percentile(
      walks,
      50,
    ).toFixed(0)} ms, p95 ${percentile(walks, 95).toFixed(0)} ms (${
      walks.length
    } walks)`,
  );
}

/** Opens a watch and calls `onLine` for every event line until it returns true. */
async function watchUntil(
  path: string,
  onLine: (event: { type: string; object: any }) => boolean,
  opened?: () => void,
): Promise<void> {
  const controller = new AbortController();
  const response = await fetch(`${base}${path}`, {
    headers: auth,
    signal: controller.signal,
  });
  if (!response.ok || !response.body)
    throw new Error(`watch ${path}: HTTP ${response.status}`);
  opened?.();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for await (const chunk of response.body as any) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        if (onLine(JSON.parse(buffered.slice(0, newline)))) return;
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
      }
    }
  } finally {
    controller.abort();
  }
}

async function benchWatch(teamNamespace: string) {
  // A watch from resourceVersion 0 starts with an ADDED event per pod.
  const initial: number[] = [];
  let events = 0;
  for (let run = 0; run < 4; run++) {
    const started = performance.now();
    events = 0;
    await watchUntil('/api/v1/pods?watch=true&resourceVersion=0', () => {
      events += 1;
      return events === SCALE.pods;
    });
    if (run > 0) initial.push(performance.now() - started);
  }
  initial.sort((a, b) => a - b);
  console.log(
    `  watch pods from resourceVersion 0: ${events} ADDED events, median ${percentile(
      initial,
      50,
    ).toFixed(0)} ms, p95 ${percentile(initial, 95).toFixed(0)} ms`,
  );

  // A change made through the control API, until an open all-namespaces pod watch shows it.
  const deployments = await (
    await fetch(
      `${base}/apis/apps/v1/namespaces/${teamNamespace}/deployments`,
      { headers: auth },
    )
  ).json();
  const deployment: string = deployments.items[0].metadata.name;
  const latencies: number[] = [];
  const requestTimes: number[] = [];
  for (let run = 0; run < 10; run++) {
    const action = run % 2 === 0 ? 'crash' : 'heal';
    const list = await (
      await fetch(`${base}/api/v1/namespaces/${teamNamespace}/pods?limit=1`, {
        headers: auth,
      })
    ).json();
    let sentAt = 0;
    let answered: Promise<void> = Promise.resolve();
    await watchUntil(
      `/api/v1/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
      event => {
        if (
          event.type !== 'MODIFIED' ||
          event.object.metadata.namespace !== teamNamespace
        )
          return false;
        latencies.push(performance.now() - sentAt);
        return true;
      },
      () => {
        sentAt = performance.now();
        answered = fetch(
          `${base}/sandbox/workloads/${teamNamespace}/Deployment/${deployment}/${action}`,
          { method: 'POST', headers: auth },
        )
          .then(r => r.text())
          .then(() => {
            requestTimes.push(performance.now() - sentAt);
          });
      },
    );
    await answered;
  }
  requestTimes.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  console.log(
    `  control API crash/heal of a Deployment → first MODIFIED pod on an open all-namespaces watch: median ${percentile(
      latencies,
      50,
    ).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms (${
      latencies.length
    } changes); the control request itself median ${percentile(
      requestTimes,
      50,
    ).toFixed(0)} ms, p95 ${percentile(requestTimes, 95).toFixed(
      0,
    )} ms; load average ${loadavg()
      .map(l => l.toFixed(2))
      .join(' ')}`,
  );
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function waitReady(deadlineMs: number) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error('sandbox did not become ready');
}

/** CPU time (user + system) of crashWorkload/healWorkload, alternating, on one store. */
function crashCpu(
  store: ClusterStore,
  deployment: KubeObject,
  fullPass: boolean,
  runs: number,
) {
  const simulator = new ClusterSimulator({
    store,
    fullPassOnWorkloadControl: fullPass,
  });
  const ref = {
    namespace: deployment.metadata.namespace!,
    kind: 'Deployment',
    name: deployment.metadata.name,
  };
  const cpu: number[] = [];
  for (let run = 0; run < runs + 2; run++) {
    const before = process.cpuUsage();
    if (run % 2 === 0) simulator.crashWorkload(ref);
    else simulator.healWorkload(ref);
    const used = process.cpuUsage(before);
    if (run >= 2) cpu.push((used.user + used.system) / 1000); // two warm-up calls
  }
  cpu.sort((a, b) => a - b);
  return { median: percentile(cpu, 50), p95: percentile(cpu, 95), runs };
}

function benchCrashCpu() {
  const store = new ClusterStore();
  generateSyntheticCluster(store, SCALE);
  new ClusterSimulator({ store }).reconcileWorkloads(); // settle: later passes change nothing
  const pods = store.listShared({ kind: 'Pod' }).length;
  const [deployment] = store.listShared({ kind: 'Deployment' });
  const full = crashCpu(store, deployment, true, 10);
  const targeted = crashCpu(store, deployment, false, 40);
  console.log(
    `in-process crash/heal of one Deployment (${
      (deployment.spec as { replicas?: number }).replicas
    } pods) at ${pods} pods, CPU time per call: ` +
      `full pass (before) median ${full.median.toFixed(
        1,
      )} ms, p95 ${full.p95.toFixed(1)} ms ` +
      `(${full.runs} calls); targeted (now) median ${targeted.median.toFixed(
        2,
      )} ms, ` +
      `p95 ${targeted.p95.toFixed(2)} ms (${
        targeted.runs
      } calls); load average ${loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}`,
  );
}

async function main() {
  benchCrashCpu();
  const scale = `nodes=${SCALE.nodes},namespaces=${SCALE.namespaces},pods=${SCALE.pods},reports=${SCALE.reports}`;
  const startedAt = performance.now();
  const sandbox = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/main.ts',
      '--scale',
      scale,
    ],
    {
      cwd: join(repoRoot, 'packages/sandbox'),
      env: {
        ...process.env,
        SANDBOX_K8S_PORT: String(PORT),
        SANDBOX_ARGOCD_PORT: String(PORT + 1),
        SANDBOX_KUBECONFIG: join(repoRoot, '.sandbox/bench-kubeconfig'),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    await waitReady(120_000);
    const readyMs = performance.now() - startedAt;
    console.log(
      `sandbox --scale ${scale}: ready in ${(readyMs / 1000).toFixed(
        1,
      )} s, RSS ${rssMb(sandbox.pid!)} MB`,
    );
    const namespaces = await (
      await fetch(`${base}/api/v1/namespaces`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json();
    const teamNamespace: string = namespaces.items.find(
      (ns: { metadata: { name: string } }) => ns.metadata.name !== 'argocd',
    ).metadata.name;
    const cases: Array<[string, string]> = [
      ['pods, all namespaces', '/api/v1/pods'],
      [
        'pods, all namespaces, label selector (as the Kubernetes plugin asks)',
        `/api/v1/pods?labelSelector=${encodeURIComponent(
          'backstage.io/kubernetes-id=svc-00007',
        )}`,
      ],
      ['pods, one namespace', `/api/v1/namespaces/${teamNamespace}/pods`],
      [
        'policy reports, all namespaces',
        '/apis/wgpolicyk8s.io/v1alpha2/policyreports',
      ],
      ['nodes', '/api/v1/nodes'],
    ];
    console.log(`list latency over HTTP, ${RUNS} runs after 3 warm-up runs:`);
    for (const [name, path] of cases) {
      const result = await timeList(path);
      console.log(
        `  ${name}: ${result.items} items, ${(result.bytes / 1e6).toFixed(
          1,
        )} MB, median ${result.median.toFixed(0)} ms, p95 ${result.p95.toFixed(
          0,
        )} ms`,
      );
    }
    console.log(`sandbox RSS after the lists: ${rssMb(sandbox.pid!)} MB`);
    await benchPagedList();
    await benchWatch(teamNamespace);
    console.log(`sandbox RSS after the watches: ${rssMb(sandbox.pid!)} MB`);
    const counted = await (
      await fetch(`${base}/sandbox/api-requests`, { headers: auth })
    ).json();
    console.log(
      `the sandbox counted (GET /sandbox/api-requests): ${counted.requests
        .filter((c: { requests: number }) => c.requests >= 5)
        .map(
          (c: {
            resource: string;
            verb: string;
            requests: number;
            bytes: number;
          }) =>
            `${c.resource} ${c.verb} ${c.requests} requests ${(
              c.bytes / 1e6
            ).toFixed(1)} MB`,
        )
        .join('; ')}`,
    );
  } finally {
    sandbox.kill('SIGTERM');
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
