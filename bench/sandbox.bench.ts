/*
 * Sandbox Kubernetes API at benchmark scale: starts the real sandbox program in scale mode
 * (1,000 nodes, 30,000 pods, 5,000 policy reports), then measures list latency over HTTP the way
 * the portal's backends and kubectl call it, and the sandbox process's resident memory.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

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

async function main() {
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
  } finally {
    sandbox.kill('SIGTERM');
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
