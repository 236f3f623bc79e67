/*
 * Read core, OLD vs NEW, against one sandbox Kubernetes API at 1,000 nodes / 200 namespaces /
 * 30,000 pods / 5,000 PolicyReports × 20 results (the sandbox runs in its own process):
 *
 * - OLD: today's periodic snapshots, the policy-reports loader every 10 s and the tier-health
 *   loader every 5 s (their configured intervals), each through its own ClusterSnapshots.
 * - NEW: the shared ClusterCache with the kinds those two plugins read, listed once in pages and
 *   then watched.
 *
 * Each side runs in its own Node process (so its RSS is its own): the time and RSS of the initial
 * list, then the requests and bytes per minute per (cluster, kind) over the same idle window, then
 * the time from a change through the sandbox control API (crash/heal of a Deployment's pods) until
 * a reader sees it: a subscriber's first event for NEW, the first refresh that started after the
 * change for OLD. Requests and bytes are counted in the client (body bytes).
 *
 * `yarn bench read-core`; BENCH_IDLE_SECONDS (default 60) and BENCH_CHANGES (default 20 for NEW,
 * 6 for OLD, whose every change waits for a refresh) shorten or lengthen it.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterCache,
  KubernetesHttpClient,
  type ResourceKind,
} from '@internal/cluster-client';
import {
  CLUSTER_POLICY_KIND,
  NAMESPACE_KIND,
  REPORT_KINDS,
  WORKLOAD_KINDS,
} from '../plugins/policy-reports-backend/src/service/policyReportKinds';
import { INVENTORY_KINDS } from '../plugins/tier-health-backend/src/service/ClusterInventories';
import { ClusterSnapshots } from './baseline/ClusterSnapshots';
import {
  forkBenchChild,
  percentile,
  post,
  runScaleSandbox,
  sleep,
  TOKEN,
  workloadPath,
  type SandboxReady,
  type Target,
} from './lib/scaleSandbox';
import { loadClusterPolicyData } from './baseline/policyReportsLoader';
import {
  inventoryFromKubernetes,
  type KubernetesObject,
} from '@internal/plugin-tier-health-common';

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const NEW_CHANGES = Number(process.env.BENCH_CHANGES ?? 20);
const OLD_CHANGES = Math.min(NEW_CHANGES, 6);
const POLICY_INTERVAL_MS = 10_000;
const TIER_INTERVAL_MS = 5_000;

/**
 * What tier health's snapshot loader did before the cluster cache (it is gone from the plugin):
 * seven cluster-wide lists in parallel every 5 s, reduced to the inventory.
 */
async function loadClusterInventory(client: KubernetesHttpClient) {
  const list = async (group: string, version: string, plural: string) =>
    (await client.list<KubernetesObject>({ group, version, plural })).items;
  const [
    nodes,
    pods,
    deployments,
    replicaSets,
    statefulSets,
    daemonSets,
    priorityClasses,
  ] = await Promise.all([
    list('', 'v1', 'nodes'),
    list('', 'v1', 'pods'),
    list('apps', 'v1', 'deployments'),
    list('apps', 'v1', 'replicasets'),
    list('apps', 'v1', 'statefulsets'),
    list('apps', 'v1', 'daemonsets'),
    list('scheduling.k8s.io', 'v1', 'priorityclasses'),
  ]);
  return inventoryFromKubernetes({
    nodes,
    pods,
    deployments,
    replicaSets,
    statefulSets,
    daemonSets,
    priorityClasses,
  });
}

/**
 * What the policy-reports and tier-health backends read: the NEW side registers exactly their
 * own registrations (each (group, version, plural) once, as the cache shares them).
 */
const KINDS: ResourceKind[] = [
  ...new Map(
    [
      ...REPORT_KINDS,
      CLUSTER_POLICY_KIND,
      NAMESPACE_KIND,
      ...WORKLOAD_KINDS,
      ...Object.values(INVENTORY_KINDS),
    ].map(kind => [`${kind.group}/${kind.version}/${kind.plural}`, kind]),
  ).values(),
];

interface Usage {
  [kind: string]: { requests: number; bytes: number };
}
interface PhaseResult {
  type: 'result';
  side: 'OLD' | 'NEW';
  initialMs: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  heapAfterMb: number;
  mode: string;
  idle: Usage;
  idleSeconds: number;
  latencies: Record<string, number[]>;
  changeRequestMs: number[];
  /** What the sandbox counted in the idle window, all kinds together. */
  serverIdle: { requests: number; bytes: number };
}

const mb = (bytes: number) => bytes / 1024 / 1024;
function gc() {
  (globalThis as { gc?: () => void }).gc?.();
}

// ---------------------------------------------------------------------------------------------
// The reader processes.

/** `v1 pods`, `apps/v1 deployments`, or `discovery` for group/version lookups. */
function kindOfPath(path: string): string {
  const segments = new URL(path, 'http://x').pathname
    .split('/')
    .filter(Boolean);
  const rest = segments[0] === 'api' ? segments.slice(2) : segments.slice(3);
  const groupVersion =
    segments[0] === 'api' ? segments[1] : `${segments[1]}/${segments[2]}`;
  if (rest.length === 0) return 'discovery';
  const plural =
    rest[0] === 'namespaces' && rest.length >= 3 ? rest[2] : rest[0];
  return `${groupVersion} ${plural}`;
}

/** The sandbox's own request accounting (all kinds): reset at the start of a window, read at its end. */
async function serverAccounting(url: string, reset: boolean) {
  const response = await fetch(
    `${url}/sandbox/api-requests${reset ? '/reset' : ''}`,
    {
      method: reset ? 'POST' : 'GET',
      headers: { Authorization: `Bearer ${TOKEN}` },
    },
  );
  const body = await response.json();
  return body.total as { requests: number; bytes: number };
}

async function runNew(ready: SandboxReady): Promise<PhaseResult> {
  const logger = {
    error: (m: string) => console.error(`[cache] ${m}`),
    warn: (m: string) => console.error(`[cache] ${m}`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  } as unknown as LoggerService;
  gc();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const cache = new ClusterCache({
    clusters: [{ name: 'bench', url: ready.url, serviceAccountToken: TOKEN }],
    logger,
    pollIntervalSeconds: 10,
    pageSize: 500,
  });
  const resources = KINDS.map(kind => cache.register(kind));
  while (!cache.freshness()[0].synced) await sleep(20);
  const initialMs = performance.now() - started;
  gc();
  const rssAfter = process.memoryUsage().rss;
  const heapAfter = process.memoryUsage().heapUsed;

  const usageNow = () =>
    Object.fromEntries(
      cache
        .usage()
        .map(u => [u.kind, { requests: u.requests, bytes: u.bytes }]),
    );
  const before = usageNow();
  await serverAccounting(ready.url, true);
  await sleep(IDLE_SECONDS * 1000);
  const serverIdle = await serverAccounting(ready.url, false);
  const after = usageNow();
  const idle: Usage = {};
  for (const kind of Object.keys(after)) {
    idle[kind] = {
      requests: after[kind].requests - before[kind].requests,
      bytes: after[kind].bytes - before[kind].bytes,
    };
  }
  const mode =
    cache.freshness()[0].mode +
    (cache.freshness()[0].note ? ` (${cache.freshness()[0].note})` : '');

  // a change → the first event of one of that Deployment's pods at a subscriber
  const pods = resources[KINDS.findIndex(k => k.plural === 'pods')];
  let waiting:
    | { target: Target; resolve: (seen: { at: number; rv?: string }) => void }
    | undefined;
  pods.subscribe(event => {
    if (!waiting) return;
    const { target } = waiting;
    const touched =
      event.type === 'SYNCED'
        ? true
        : event.object.metadata.namespace === target.namespace &&
          event.object.metadata.name.startsWith(`${target.name}-`);
    if (touched) {
      const done = waiting.resolve;
      waiting = undefined;
      done({
        at: Date.now(),
        rv:
          event.type === 'SYNCED'
            ? undefined
            : event.object.metadata.resourceVersion,
      });
    }
  });
  const latencies: number[] = [];
  const writeToEvent: number[] = [];
  const changeRequestMs: number[] = [];
  for (let i = 0; i < NEW_CHANGES; i++) {
    const target = ready.targets[i % ready.targets.length];
    for (const action of ['crash', 'heal'] as const) {
      const seen = new Promise<{ at: number; rv?: string }>(resolve => {
        waiting = { target, resolve };
      });
      const startedAt = performance.now();
      const requestMs = post(ready.url, workloadPath(target, action));
      const event = await seen;
      if (action === 'crash') {
        latencies.push(performance.now() - startedAt);
        changeRequestMs.push(await requestMs);
        const written = await (
          await fetch(
            `${ready.url}/bench/written-at?resourceVersion=${event.rv}`,
            { headers: { Authorization: `Bearer ${TOKEN}` } },
          )
        ).json();
        if (written.at) writeToEvent.push(event.at - written.at);
      } else await requestMs;
      await sleep(200);
    }
  }
  await cache.stop();
  return {
    type: 'result',
    side: 'NEW',
    initialMs,
    rssBeforeMb: mb(rssBefore),
    rssAfterMb: mb(rssAfter),
    heapAfterMb: mb(heapAfter),
    mode,
    idle,
    idleSeconds: IDLE_SECONDS,
    latencies: {
      'POST crash → subscriber event (end to end)': latencies,
      'pod written in the sandbox → subscriber event': writeToEvent,
    },
    changeRequestMs,
    serverIdle,
  };
}

async function runOld(ready: SandboxReady): Promise<PhaseResult> {
  const usage: Usage = {};
  // counts requests and body bytes per (cluster, kind), as the NEW side's clients do
  const countingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    const kind = kindOfPath(String(input));
    usage[kind] ??= { requests: 0, bytes: 0 };
    usage[kind].requests += 1;
    usage[kind].bytes += body.byteLength;
    return new Response(body, {
      status: response.status,
      headers: response.headers,
    });
  };
  const logger = {
    error: (m: string) => console.error(`[snapshots] ${m}`),
    warn: () => {},
    info: () => {},
    debug: () => {},
    child: () => logger,
  } as unknown as LoggerService;
  const cluster = { name: 'bench', url: ready.url, serviceAccountToken: TOKEN };
  const refreshes: Record<
    string,
    Array<{ started: number; finished: number }>
  > = {
    'policy-reports (10 s)': [],
    'tier-health (5 s)': [],
  };
  const timed =
    <T>(name: string, load: (client: KubernetesHttpClient) => Promise<T>) =>
    async (client: KubernetesHttpClient) => {
      const started = performance.now();
      const data = await load(client);
      refreshes[name].push({ started, finished: performance.now() });
      return data;
    };
  gc();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const snapshots = [
    new ClusterSnapshots({
      clusters: [cluster],
      load: timed('policy-reports (10 s)', client =>
        loadClusterPolicyData(client, cluster),
      ),
      refreshIntervalMs: POLICY_INTERVAL_MS,
      logger,
      clientFactory: c =>
        new KubernetesHttpClient(c, {
          fetchImpl: countingFetch,
          timeoutMs: 60_000,
        }),
    }),
    new ClusterSnapshots({
      clusters: [cluster],
      load: timed('tier-health (5 s)', client => loadClusterInventory(client)),
      refreshIntervalMs: TIER_INTERVAL_MS,
      logger,
      clientFactory: c =>
        new KubernetesHttpClient(c, {
          fetchImpl: countingFetch,
          timeoutMs: 60_000,
        }),
    }),
  ];
  snapshots.forEach(s => s.start());
  while (!snapshots.every(s => s.states()[0].data !== undefined))
    await sleep(20);
  const initialMs = performance.now() - started;
  gc();
  const rssAfter = process.memoryUsage().rss;
  const heapAfter = process.memoryUsage().heapUsed;

  const before = JSON.parse(JSON.stringify(usage)) as Usage;
  await serverAccounting(ready.url, true);
  await sleep(IDLE_SECONDS * 1000);
  const serverIdle = await serverAccounting(ready.url, false);
  const idle: Usage = {};
  for (const kind of Object.keys(usage)) {
    idle[kind] = {
      requests: usage[kind].requests - (before[kind]?.requests ?? 0),
      bytes: usage[kind].bytes - (before[kind]?.bytes ?? 0),
    };
  }

  // a change → the end of the first refresh of each loader that started after it
  const latencies: Record<string, number[]> = {};
  const changeRequestMs: number[] = [];
  for (let i = 0; i < OLD_CHANGES; i++) {
    const target = ready.targets[i % ready.targets.length];
    const changedAt = performance.now();
    changeRequestMs.push(await post(ready.url, workloadPath(target, 'crash')));
    for (const name of Object.keys(refreshes)) {
      let refresh;
      while (!(refresh = refreshes[name].find(r => r.started >= changedAt)))
        await sleep(20);
      (latencies[`pod change → ${name} snapshot`] ??= []).push(
        refresh.finished - changedAt,
      );
    }
    await post(ready.url, workloadPath(target, 'heal'));
  }
  snapshots.forEach(s => s.stop());
  return {
    type: 'result',
    side: 'OLD',
    initialMs,
    rssBeforeMb: mb(rssBefore),
    rssAfterMb: mb(rssAfter),
    heapAfterMb: mb(heapAfter),
    mode: 'periodic full relist',
    idle,
    idleSeconds: IDLE_SECONDS,
    latencies,
    changeRequestMs,
    serverIdle,
  };
}

// ---------------------------------------------------------------------------------------------
// The parent: starts the sandbox, runs OLD then NEW, prints them side by side.

function printResults(results: PhaseResult[]) {
  for (const r of results) {
    console.log(
      `${r.side}: initial load ${(r.initialMs / 1000).toFixed(
        1,
      )} s, process RSS ${r.rssBeforeMb.toFixed(0)} → ${r.rssAfterMb.toFixed(
        0,
      )} MB (heap after GC ${r.heapAfterMb.toFixed(0)} MB); mode: ${r.mode}`,
    );
  }
  const kinds = [...new Set(results.flatMap(r => Object.keys(r.idle)))].sort();
  console.log(
    `\nidle ${results[0].idleSeconds} s after the initial load, per (cluster bench, kind), per minute:`,
  );
  console.log(
    `  ${'kind'.padEnd(46)} ${'OLD req'.padStart(8)} ${'OLD bytes'.padStart(
      11,
    )} ${'NEW req'.padStart(8)} ${'NEW bytes'.padStart(11)}`,
  );
  const perMinute = (r: PhaseResult, kind: string, key: 'requests' | 'bytes') =>
    ((r.idle[kind]?.[key] ?? 0) * 60) / r.idleSeconds;
  const human = (bytes: number) =>
    bytes >= 1024 * 1024
      ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
      : `${(bytes / 1024).toFixed(1)} KB`;
  const [old, neu] = [
    results.find(r => r.side === 'OLD')!,
    results.find(r => r.side === 'NEW')!,
  ];
  const totals = { oldReq: 0, oldBytes: 0, newReq: 0, newBytes: 0 };
  for (const kind of kinds) {
    const row = {
      oldReq: perMinute(old, kind, 'requests'),
      oldBytes: perMinute(old, kind, 'bytes'),
      newReq: perMinute(neu, kind, 'requests'),
      newBytes: perMinute(neu, kind, 'bytes'),
    };
    totals.oldReq += row.oldReq;
    totals.oldBytes += row.oldBytes;
    totals.newReq += row.newReq;
    totals.newBytes += row.newBytes;
    console.log(
      `  ${kind.padEnd(46)} ${row.oldReq.toFixed(1).padStart(8)} ${human(
        row.oldBytes,
      ).padStart(11)} ${row.newReq.toFixed(1).padStart(8)} ${human(
        row.newBytes,
      ).padStart(11)}`,
    );
  }
  console.log(
    `  ${'total'.padEnd(46)} ${totals.oldReq.toFixed(1).padStart(8)} ${human(
      totals.oldBytes,
    ).padStart(11)} ${totals.newReq.toFixed(1).padStart(8)} ${human(
      totals.newBytes,
    ).padStart(11)}`,
  );
  for (const r of results) {
    console.log(
      `  ${r.side} as the sandbox's accounting route counted it (all kinds): ${(
        (r.serverIdle.requests * 60) /
        r.idleSeconds
      ).toFixed(1)} requests/min, ${human(
        (r.serverIdle.bytes * 60) / r.idleSeconds,
      )}/min`,
    );
  }
  console.log(
    '\nchange through the sandbox control API (POST .../crash) → visible to the reader:',
  );
  for (const r of results) {
    for (const [name, values] of Object.entries(r.latencies)) {
      console.log(
        `  ${r.side} ${name}: n=${values.length}, p50 ${percentile(
          values,
          50,
        ).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms`,
      );
    }
    console.log(
      `  ${r.side} (the control request itself: p50 ${percentile(
        r.changeRequestMs,
        50,
      ).toFixed(0)} ms, p95 ${percentile(r.changeRequestMs, 95).toFixed(
        0,
      )} ms)`,
    );
  }
}

async function main() {
  const role = process.argv[2];
  if (role === 'sandbox') return runScaleSandbox();
  if (role === 'old' || role === 'new') {
    const ready = await new Promise<SandboxReady>(resolve => {
      const listener = (message: unknown) => {
        if ((message as { type?: string })?.type !== 'ready') return;
        process.off('message', listener);
        resolve(message as SandboxReady);
      };
      process.on('message', listener);
    });
    const result = role === 'old' ? await runOld(ready) : await runNew(ready);
    process.send!(result, () => process.exit(0));
    return undefined;
  }

  const sandboxStarted = performance.now();
  const sandbox = forkBenchChild(__filename, 'sandbox');
  try {
    const ready = (await sandbox.result) as SandboxReady;
    console.log(
      `sandbox (own process): ${ready.objects}; ready in ${(
        (performance.now() - sandboxStarted) /
        1000
      ).toFixed(1)} s`,
    );
    const results: PhaseResult[] = [];
    for (const side of ['old', 'new']) {
      console.log(
        `running ${side.toUpperCase()} (initial load, ${IDLE_SECONDS} s idle, changes)...`,
      );
      results.push(
        (await forkBenchChild(__filename, side, ready).result) as PhaseResult,
      );
    }
    console.log('');
    printResults(results);
  } finally {
    sandbox.process.kill('SIGTERM');
  }
  return undefined;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
