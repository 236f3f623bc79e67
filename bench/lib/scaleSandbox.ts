/*
 * The sandbox at the scale of issue 15 (1,000 nodes / 200 namespaces / 30,000 pods / 5,000
 * PolicyReports × 20 results), run in its own process by the benchmarks that read it over HTTP
 * (read-core, change-latency), and the helpers they share to drive it.
 *
 * A benchmark forks itself with the role `sandbox` and calls {@link runScaleSandbox} there; the
 * sandbox answers `ready` over IPC with its URL and the objects to change, and on
 * `{type: 'touch-report', namespace, name}` flips the first result of that PolicyReport in its
 * store (the control API has no route that changes a report) and answers `report-touched`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { KubernetesObject } from '@internal/kube-model';
import {
  ClusterSimulator,
  ClusterStore,
  KubeApiServer,
  createControlRoutes,
  generateSyntheticCluster,
} from '@internal/sandbox';

export const SCALE = { nodes: 1000, namespaces: 200, pods: 30000, reports: 0 };
export const REPORTS = 5000;
export const RESULTS_PER_REPORT = 20;
export const TOKEN = 'scale-sandbox-bench-token';
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

export interface Target {
  namespace: string;
  name: string;
}
/** A PolicyReport of a Pod and the Deployment (its `backstage.io/kubernetes-id`) owning the Pod. */
export interface ReportTarget {
  report: Target;
  deployment: Target;
}
export interface SandboxReady {
  type: 'ready';
  url: string;
  /** 40 Deployments spread over the cluster, to crash and heal. */
  targets: Target[];
  /** 40 PolicyReports spread over the reported Pods, to change. */
  reportTargets: ReportTarget[];
  /** Every Deployment (the catalog doubles hold one component per Deployment). */
  deployments: Target[];
  objects: string;
}
export interface ReportTouched {
  type: 'report-touched';
  /** Wall clock (ms) when the store applied the change. */
  at: number;
  /** The first result's new value. */
  result: 'pass' | 'fail';
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
};
export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

/** A POST to the sandbox (control API); resolves with its duration in ms. */
export async function post(url: string, path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status}`);
  return performance.now() - started;
}

export const workloadPath = (target: Target, action: 'crash' | 'heal') =>
  `/sandbox/workloads/${target.namespace}/Deployment/${target.name}/${action}`;

/**
 * Forks `file` (a benchmark) with `role` as its argument, through the TypeScript transform;
 * `result` resolves with its first `ready` or `result` message.
 */
export function forkBenchChild(
  file: string,
  role: string,
  ready?: SandboxReady,
): { process: ChildProcess; result: Promise<any> } {
  const proc = fork(file, [role], {
    execArgv: [
      '--expose-gc',
      '--max-old-space-size=4096',
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = new Promise((resolve, reject) => {
    // other messages (the TypeScript transform's own) are not ours
    proc.on('message', message => {
      const type = (message as { type?: string })?.type;
      if (type === 'ready' || type === 'result') resolve(message);
    });
    proc.on('exit', code =>
      reject(new Error(`${role} exited with ${code} before answering`)),
    );
  });
  if (ready) proc.send(ready);
  return { process: proc, result };
}

/** Spread picks: `count` items evenly over `items`. */
function spread<T>(items: readonly T[], count: number): T[] {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, i) => i % step === 0).slice(0, count);
}

/**
 * One PolicyReport for a Pod with {@link RESULTS_PER_REPORT} results: 20 policies, about 1 in 8
 * failing, deterministic for (pod, index). Every bench's synthetic reports come from here.
 */
export function syntheticPolicyReport(
  pod: KubernetesObject,
  index: number,
): KubernetesObject {
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: {
      name: pod.metadata.uid!,
      namespace: pod.metadata.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
    },
    scope: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      uid: pod.metadata.uid,
    },
    results: Array.from({ length: RESULTS_PER_REPORT }, (_, r) => {
      const failing = (index * 7 + r * 13) % 8 === 0;
      return {
        policy: `policy-${String(r).padStart(2, '0')}`,
        rule: `rule-${r}`,
        result: failing ? 'fail' : 'pass',
        severity: SEVERITIES[r % SEVERITIES.length],
        category:
          r % 2 ? 'Best Practices' : 'Pod Security Standards (Baseline)',
        message: failing
          ? `validation error: rule rule-${r} failed for Pod ${pod.metadata.name}`
          : `validation rule 'rule-${r}' passed.`,
        scored: true,
        source: 'kyverno',
        timestamp: { seconds: 1767225600, nanos: 0 },
      };
    }),
  };
}

/** The sandbox process: the real store, Kubernetes API and control API, filled at bench scale. */
export async function runScaleSandbox() {
  const store = new ClusterStore();
  generateSyntheticCluster(store, SCALE);
  const pods = store.listShared({ kind: 'Pod' });
  for (let i = 0; i < REPORTS; i++) {
    store.apply(syntheticPolicyReport(pods[i], i));
  }
  const quiet = {
    info: () => {},
    warn: () => {},
    error: (m: string) => console.error(m),
  };
  const simulator = new ClusterSimulator({ store, logger: quiet });
  const status = () => ({ applications: 0 });
  // when each pod change was written (wall clock), so readers can tell write → event apart from
  // the control request's own duration (the simulator reconciles the whole cluster per request)
  const writtenAt = new Map<string, number>();
  let recording = false;
  store.subscribe(change => {
    if (!recording || change.object.kind !== 'Pod') return;
    writtenAt.set(String(change.revision), Date.now());
  });
  const server = new KubeApiServer({
    store,
    token: TOKEN,
    port: 0,
    extraRoutes: api => [
      (_req, res, url) => {
        if (url.pathname !== '/bench/written-at') return false;
        const at = writtenAt.get(url.searchParams.get('resourceVersion') ?? '');
        res.writeHead(at ? 200 : 404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ at }));
        return true;
      },
      createControlRoutes({
        store,
        kubeApi: api,
        control: {
          reconcileStatus: status,
          reconcileNow: async () => status(),
          failNode: name => simulator.failNode(name),
          healNode: name => simulator.healNode(name),
          crashWorkload: ref => simulator.crashWorkload(ref),
          healWorkload: ref => simulator.healWorkload(ref),
        },
      }),
    ],
  });
  await server.start();
  // one warm-up pass of the controllers, so the measured changes touch only their own pods
  simulator.reconcileWorkloads();
  recording = true;
  const deployments = store
    .listShared({ kind: 'Deployment' })
    .map(d => ({ namespace: d.metadata.namespace!, name: d.metadata.name }));
  const reportTargets = spread(
    store.listShared({ kind: 'PolicyReport' }),
    40,
  ).map(report => {
    const scope = (report as { scope?: { name: string; namespace: string } })
      .scope!;
    const pod = store.get({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: scope.namespace,
      name: scope.name,
    })!;
    return {
      report: {
        namespace: report.metadata.namespace!,
        name: report.metadata.name,
      },
      deployment: {
        namespace: scope.namespace,
        name: pod.metadata.labels!['backstage.io/kubernetes-id'],
      },
    };
  });
  process.on('message', message => {
    const touch = message as { type?: string } & Partial<Target>;
    if (touch.type !== 'touch-report') return;
    const report = store.get({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'PolicyReport',
      namespace: touch.namespace!,
      name: touch.name!,
    }) as { results: Array<{ result: string }> } | undefined;
    if (!report)
      throw new Error(`no PolicyReport ${touch.namespace}/${touch.name}`);
    const [first, ...rest] = report.results;
    const result = first.result === 'fail' ? 'pass' : 'fail';
    store.apply({ ...report, results: [{ ...first, result }, ...rest] } as any);
    process.send!({
      type: 'report-touched',
      at: Date.now(),
      result,
    } satisfies ReportTouched);
  });
  const count = (kind: string) => store.listShared({ kind }).length;
  process.send!({
    type: 'ready',
    url: server.httpUrl,
    targets: spread(deployments, 40),
    reportTargets,
    deployments,
    objects: `${count('Node')} nodes, ${count('Namespace')} namespaces, ${count(
      'Pod',
    )} pods, ${count('ReplicaSet')} replicasets, ${count(
      'Deployment',
    )} deployments, ${count(
      'PolicyReport',
    )} policyreports × ${RESULTS_PER_REPORT} results`,
  } satisfies SandboxReady);
  process.on('SIGTERM', () => {
    server.stop().finally(() => process.exit(0));
  });
}
