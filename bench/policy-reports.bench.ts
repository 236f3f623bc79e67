/*
 * Policy reports backend at benchmark scale: an in-process sandbox Kubernetes API holding
 * 5,000 PolicyReports of 20 results each (one per Pod, as Kyverno writes them) plus the Pods,
 * ReplicaSets and Deployments they roll up to; the real policy-reports backend plugin in a test
 * backend. Measures, after warm-up, the median and p95 latency of the entity route and the
 * overview route, the Kubernetes API requests made per 100 entity page views, and the backend's
 * memory growth for the index.
 */
import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import policyReportsPlugin from '@internal/plugin-policy-reports-backend';
import {
  ClusterStore,
  KubeApiServer,
  generateSyntheticCluster,
  type KubeObject,
} from '@internal/sandbox';
import request from 'supertest';

const SCALE = { nodes: 20, namespaces: 50, pods: 5000, reports: 0 };
const REPORTS = 5000;
const RESULTS_PER_REPORT = 20;
const ENTITY_VIEWS_WARMUP = 50;
const ENTITY_VIEWS = 500;
const OVERVIEW_WARMUP = 5;
const OVERVIEW_VIEWS = 100;
const TOKEN = 'policy-reports-bench-token';
const REFRESH_TASK = 'policy-reports-refresh';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function gc() {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Full collections across a macrotask, so weak references of the last job are cleared too. */
async function settledGc() {
  gc();
  await new Promise(resolve => setImmediate(resolve));
  gc();
}

/** One PolicyReport per Pod with 20 results: 20 policies, about 1 in 8 failing. */
function reportFor(pod: KubeObject, index: number): KubeObject {
  const results = Array.from({ length: RESULTS_PER_REPORT }, (_, i) => {
    const failing = (index * 7 + i * 13) % 8 === 0;
    return {
      policy: `policy-${String(i).padStart(2, '0')}`,
      rule: `rule-${i}`,
      result: failing ? 'fail' : 'pass',
      severity: SEVERITIES[i % SEVERITIES.length],
      category: i % 2 ? 'Best Practices' : 'Pod Security Standards (Baseline)',
      message: failing
        ? `validation error: rule rule-${i} failed for Pod ${pod.metadata.name}`
        : `validation rule 'rule-${i}' passed.`,
      scored: true,
      source: 'kyverno',
      timestamp: { seconds: 1767225600, nanos: 0 },
    };
  });
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
    results,
  };
}

async function time(
  label: string,
  paths: string[],
  warmup: number,
  runs: number,
  get: (path: string) => Promise<number>,
) {
  for (let i = 0; i < warmup; i++) await get(paths[i % paths.length]);
  const timings: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    bytes = await get(paths[i % paths.length]);
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  console.log(
    `  ${label}: ${runs} requests after ${warmup} warm-up, median ${percentile(
      timings,
      50,
    ).toFixed(1)} ms, p95 ${percentile(timings, 95).toFixed(
      1,
    )} ms (last body ${(bytes / 1024).toFixed(0)} KB)`,
  );
}

async function main() {
  const store = new ClusterStore();
  generateSyntheticCluster(store, SCALE);
  const pods = store.listShared({ kind: 'Pod' });
  for (let i = 0; i < REPORTS; i++) store.apply(reportFor(pods[i], i));
  const deployments = store.listShared({ kind: 'Deployment' });
  const replicaSets = store.listShared({ kind: 'ReplicaSet' });
  console.log(
    `sandbox: ${pods.length} pods, ${replicaSets.length} replicasets, ${
      deployments.length
    } deployments, ${REPORTS} policyreports × ${RESULTS_PER_REPORT} results = ${
      REPORTS * RESULTS_PER_REPORT
    } results`,
  );

  let kubernetesRequests = 0;
  const kubeApi = new KubeApiServer({
    store,
    token: TOKEN,
    port: 0,
    // counts every authenticated request, then lets the real handlers answer
    extraRoutes: [
      () => {
        kubernetesRequests += 1;
        return false;
      },
    ],
  });
  await kubeApi.start();

  // One catalog Component per Deployment, resolved as the Kubernetes plugin would.
  const entities: Entity[] = deployments.map(deployment => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: deployment.metadata.name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': deployment.metadata.name,
        'backstage.io/kubernetes-namespace': deployment.metadata.namespace!,
      },
    },
    spec: {
      type: 'service',
      owner: 'group:default/payments',
      lifecycle: 'production',
    },
  }));

  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options?: {
      skipTaskRunOnStartup?: boolean;
    }): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
  };
  const backend = await startTestBackend({
    features: [
      policyReportsPlugin,
      scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'bench',
                    url: kubeApi.httpUrl,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: TOKEN,
                  },
                ],
              },
            ],
          },
          policyReports: { refreshIntervalSeconds: 3600 },
        },
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      catalogServiceMock.factory({ entities }),
    ],
  });

  try {
    const get = async (path: string) => {
      const response = await request(backend.server).get(
        `/api/policy-reports${path}`,
      );
      if (response.status !== 200) {
        throw new Error(`${path}: HTTP ${response.status} ${response.text}`);
      }
      return response.text.length;
    };

    await settledGc();
    const before = process.memoryUsage();
    const requestsBeforeRefresh = kubernetesRequests;
    const refreshStarted = performance.now();
    await scheduler.triggerTask(REFRESH_TASK);
    const refreshMs = performance.now() - refreshStarted;
    const requestsPerRefresh = kubernetesRequests - requestsBeforeRefresh;
    await settledGc();
    const afterIndex = process.memoryUsage();
    console.log(
      `index refresh: ${refreshMs.toFixed(
        0,
      )} ms, ${requestsPerRefresh} Kubernetes API requests (discovery + one list per type)`,
    );
    console.log(
      `backend memory for the index: RSS +${mb(
        afterIndex.rss - before.rss,
      )} (${mb(before.rss)} → ${mb(afterIndex.rss)}), heap +${mb(
        afterIndex.heapUsed - before.heapUsed,
      )}`,
    );

    const entityPaths = entities.map(
      entity => `/entity/default/component/${entity.metadata.name}/results`,
    );
    const overviewPaths = ['/overview'];
    const filteredOverviewPaths = [
      '/overview?severity=high',
      '/overview?team=payments',
      '/overview?severity=critical,high&team=search',
    ];

    const coldStarted = performance.now();
    await get('/overview');
    console.log(
      `  overview, first request after the first refresh (cold JIT; aggregates ${
        REPORTS * RESULTS_PER_REPORT
      } results): ${(performance.now() - coldStarted).toFixed(1)} ms`,
    );

    console.log(`latency (${entities.length} entities, 1 cluster):`);
    const requestsBeforeViews = kubernetesRequests;
    await time(
      'entity route',
      entityPaths,
      ENTITY_VIEWS_WARMUP,
      ENTITY_VIEWS,
      get,
    );
    const requestsDuringViews = kubernetesRequests - requestsBeforeViews;
    await time(
      'overview route (memoised per refresh)',
      overviewPaths,
      OVERVIEW_WARMUP,
      OVERVIEW_VIEWS,
      get,
    );
    await time(
      'overview route with filters',
      filteredOverviewPaths,
      OVERVIEW_WARMUP,
      OVERVIEW_VIEWS,
      get,
    );
    console.log(
      `Kubernetes API requests per 100 entity page views: ${(
        (requestsDuringViews / (ENTITY_VIEWS_WARMUP + ENTITY_VIEWS)) *
        100
      ).toFixed(1)} (${requestsDuringViews} during ${
        ENTITY_VIEWS_WARMUP + ENTITY_VIEWS
      } views; the index refreshes on its interval, independent of views)`,
    );

    await settledGc();
    const afterViews = process.memoryUsage();
    console.log(
      `RSS after ${ENTITY_VIEWS_WARMUP + ENTITY_VIEWS} entity and ${
        2 * (OVERVIEW_WARMUP + OVERVIEW_VIEWS)
      } overview views: ${mb(afterViews.rss)} (heap ${mb(
        afterViews.heapUsed,
      )})`,
    );

    // Later refreshes replace the snapshot: memory must level off, not keep growing.
    for (const refresh of ['second', 'third', 'fourth']) {
      await scheduler.triggerTask(REFRESH_TASK);
      const overviewStarted = performance.now();
      await get('/overview');
      const overviewMs = performance.now() - overviewStarted;
      await settledGc();
      const afterRefresh = process.memoryUsage();
      console.log(
        `after a ${refresh} refresh: first overview ${overviewMs.toFixed(
          0,
        )} ms (re-aggregated), RSS ${mb(afterRefresh.rss)}, heap ${mb(
          afterRefresh.heapUsed,
        )}`,
      );
    }
  } finally {
    await backend.stop();
    await kubeApi.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
