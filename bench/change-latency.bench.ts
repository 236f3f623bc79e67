/*
 * From a change in the sandbox to the entity routes, at 1,000 nodes / 200 namespaces / 30,000
 * pods / 5,000 PolicyReports × 20 results (issue 15: "a report or pod change made through the
 * sandbox control API shows in the entity route within 2 s (p95)").
 *
 * The sandbox runs in its own process (bench/lib/scaleSandbox.ts, as for read-core). This process
 * runs what the backend runs: the real ClusterCache (list, then watch) with the kinds tier health
 * and policy reports register, tier health's ClusterInventories, TierHealthService and router, and
 * the PolicyReportIndex and policy-reports router over the same cache, both mounted on one express
 * app on localhost (mock auth and permissions that allow, a catalog double answering from memory
 * with one Component per Deployment).
 *
 * - Pod change: POST …/crash (then …/heal) of a Deployment through the sandbox control API over
 *   HTTP, while GET /tier-health/entity for its Component is polled every 5 ms until its ready
 *   count shows the crash (ready < desired) or the heal (ready = desired).
 * - Report change: the control API has no route that changes a PolicyReport (reports are written by
 *   the reconciler's sync pass after a GitOps commit, POST /sandbox/reconcile), so the sandbox
 *   process flips one result of a report in its store on an IPC message, while
 *   GET /policy-reports/entity/…/results is polled every 5 ms until its failing count changed.
 *
 * `yarn bench change-latency`; BENCH_CHANGES (default 20) sets N.
 */
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ClusterCache } from '@internal/cluster-client';
import express from 'express';
import { createRouter as createTierHealthRouter } from '../plugins/tier-health-backend/src/router';
import { ClusterInventories } from '../plugins/tier-health-backend/src/service/ClusterInventories';
import { TierHealthService } from '../plugins/tier-health-backend/src/service/TierHealthService';
import { priorityClassTiers } from '@internal/plugin-tier-health-common';
import { createRouter as createPolicyReportsRouter } from '../plugins/policy-reports-backend/src/service/router';
import { PolicyReportIndex } from '../plugins/policy-reports-backend/src/service/PolicyReportIndex';
import { PolicyDefinitions } from '../plugins/policy-reports-backend/src/service/PolicyDefinitions';
import { registerPolicyReportSources } from '../plugins/policy-reports-backend/src/service/policyReportKinds';
import {
  forkBenchChild,
  percentile,
  post,
  runScaleSandbox,
  sleep,
  TOKEN,
  workloadPath,
  type ReportTouched,
  type SandboxReady,
  type Target,
} from './lib/scaleSandbox';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 20);
const POLL_MS = 5;
const GIVE_UP_MS = 30_000;

const load = () =>
  loadavg()
    .map(l => l.toFixed(2))
    .join(' ');

function stats(values: number[]) {
  return `n=${values.length}, p50 ${percentile(values, 50).toFixed(
    0,
  )} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${Math.max(
    ...values,
  ).toFixed(0)} ms`;
}

/** Polls `read` every {@link POLL_MS} until `done` holds for its answer; resolves with the time. */
async function pollUntil<T>(
  read: () => Promise<T>,
  done: (answer: T) => boolean,
  what: string,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (done(await read())) return performance.now();
    if (performance.now() - started > GIVE_UP_MS)
      throw new Error(`${what}: not seen within ${GIVE_UP_MS} ms`);
    await sleep(POLL_MS);
  }
}

const componentOf = (deployment: Target) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `${deployment.namespace}--${deployment.name}`,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': deployment.name },
  },
  spec: {},
});
const refOf = (deployment: Target) =>
  `component:default/${deployment.namespace}--${deployment.name}`;

async function measure(
  ready: SandboxReady,
  sandbox: NodeJS.EventEmitter & { send: (m: unknown) => boolean },
) {
  const logger = {
    error: (m: string) => console.error(`[bench] ${m}`),
    warn: (m: string) => console.error(`[bench] ${m}`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  } as unknown as LoggerService;

  // ---------- the backend's read side, as plugin.ts wires it
  const started = performance.now();
  const cache = new ClusterCache({
    clusters: [{ name: 'bench', url: ready.url, serviceAccountToken: TOKEN }],
    logger,
    pollIntervalSeconds: 10,
    pageSize: 500,
  });
  const inventories = new ClusterInventories(cache);
  const index = new PolicyReportIndex(registerPolicyReportSources(cache));
  while (!cache.freshness()[0].synced) await sleep(20);
  const freshness = cache.freshness()[0];
  console.log(
    `cache synced in ${((performance.now() - started) / 1000).toFixed(
      1,
    )} s, mode ${freshness.mode}${
      freshness.note ? ` (${freshness.note})` : ''
    }`,
  );

  const entities = new Map(
    ready.deployments.map(d => [refOf(d), componentOf(d)]),
  );
  const catalog = {
    getEntities: async () => ({ items: [...entities.values()] }),
    getEntityByRef: async (ref: string) => entities.get(ref),
  } as unknown as CatalogService;
  const httpAuth = mockServices.httpAuth();
  const permissions = mockServices.permissions();
  const app = express()
    .use(
      '/tier-health',
      await createTierHealthRouter({
        service: new TierHealthService({
          inventories,
          catalog,
          priorityClassTiers: priorityClassTiers(),
        }),
        httpAuth,
        permissions,
      }),
    )
    .use(
      '/policy-reports',
      await createPolicyReportsRouter({
        httpAuth,
        permissions,
        userInfo: mockServices.userInfo(),
        catalog,
        index,
        definitions: new PolicyDefinitions(index, { logger }),
      }),
    )
    .use(mockErrorHandler());
  const server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const getJson = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    const body = await response.json();
    if (!response.ok)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  };

  // ---------- pod changes → GET /tier-health/entity
  const tierEntity = async (deployment: Target) => {
    const body = await getJson(
      `/tier-health/entity?entityRef=${encodeURIComponent(refOf(deployment))}`,
    );
    const component = body.clusters[0]?.component;
    if (!component) throw new Error(`${refOf(deployment)} has no component`);
    return component as { ready: number; desired: number };
  };
  // the first request builds the model; later ones are what a page sees after a change
  await tierEntity(ready.targets[0]);
  const podLatency = { crash: [] as number[], heal: [] as number[] };
  const postMs: number[] = [];
  const loadBefore = load();
  for (let i = 0; i < CHANGES; i++) {
    const target = ready.targets[i % ready.targets.length];
    const before = await tierEntity(target);
    if (before.ready !== before.desired)
      throw new Error(`${target.name} is not ready before its crash`);
    for (const action of ['crash', 'heal'] as const) {
      const sent = performance.now();
      const request = post(ready.url, workloadPath(target, action));
      const seen = await pollUntil(
        () => tierEntity(target),
        c => (action === 'crash' ? c.ready < c.desired : c.ready === c.desired),
        `${action} of ${target.namespace}/${target.name}`,
      );
      podLatency[action].push(seen - sent);
      postMs.push(await request);
      await sleep(200);
    }
  }
  const loadAfterPods = load();

  // ---------- report changes → GET /policy-reports/entity/…/results
  const policyEntity = async (deployment: Target) => {
    const ref = refOf(deployment).split(/[:/]/);
    const body = await getJson(
      `/policy-reports/entity/${ref[1]}/${ref[0]}/${ref[2]}/results`,
    );
    return body.summary.byResult as { fail: number; pass: number };
  };
  const reportLatency: number[] = [];
  const storeToRoute: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const { report, deployment } =
      ready.reportTargets[i % ready.reportTargets.length];
    const before = await policyEntity(deployment);
    const touched = new Promise<ReportTouched>(resolve => {
      const listener = (message: unknown) => {
        if ((message as { type?: string })?.type !== 'report-touched') return;
        sandbox.off('message', listener);
        resolve(message as ReportTouched);
      };
      sandbox.on('message', listener);
    });
    const sent = performance.now();
    const sentWall = Date.now();
    sandbox.send({ type: 'touch-report', ...report });
    const seen = await pollUntil(
      () => policyEntity(deployment),
      counts => counts.fail !== before.fail,
      `report ${report.namespace}/${report.name}`,
    );
    const seenWall = Date.now();
    const applied = await touched;
    reportLatency.push(seen - sent);
    storeToRoute.push(seenWall - applied.at);
    if (applied.at < sentWall) throw new Error('clock went backwards');
    await sleep(200);
  }
  const loadAfterReports = load();

  server.close();
  inventories.close();
  index.close();
  await cache.stop();

  console.log(
    `\nchange → entity route shows it (polled every ${POLL_MS} ms over HTTP on localhost):`,
  );
  console.log(
    `  pod: POST …/crash sent → GET /tier-health/entity shows ready < desired: ${stats(
      podLatency.crash,
    )}`,
  );
  console.log(
    `  pod: POST …/heal sent → GET /tier-health/entity shows ready = desired: ${stats(
      podLatency.heal,
    )}`,
  );
  console.log(
    `  pod: crash and heal together: ${stats([
      ...podLatency.crash,
      ...podLatency.heal,
    ])}`,
  );
  console.log(`  (the control POST itself, crash and heal: ${stats(postMs)})`);
  console.log(
    `  report (store change in the sandbox process, no control route changes a report): IPC sent → GET /policy-reports/entity/…/results shows it: ${stats(
      reportLatency,
    )}`,
  );
  console.log(
    `  report: applied in the sandbox store → route shows it (wall clocks of two processes): ${stats(
      storeToRoute,
    )}`,
  );
  console.log(
    `load average (1/5/15 min): before the pod changes ${loadBefore}; after them ${loadAfterPods}; after the report changes ${loadAfterReports}`,
  );
}

async function main() {
  if (process.argv[2] === 'sandbox') return runScaleSandbox();
  const sandboxStarted = performance.now();
  const sandbox = forkBenchChild(__filename, 'sandbox');
  try {
    const ready = (await sandbox.result) as SandboxReady;
    console.log(
      `sandbox (own process): ${ready.objects}; ready in ${(
        (performance.now() - sandboxStarted) /
        1000
      ).toFixed(1)} s; load average ${load()}`,
    );
    await measure(ready, sandbox.process as any);
  } finally {
    sandbox.process.kill('SIGTERM');
  }
  return undefined;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
