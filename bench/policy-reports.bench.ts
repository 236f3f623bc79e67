/*
 * Policy reports backend at benchmark scale: an in-process sandbox Kubernetes API holding
 * 30,000 Pods on 1,000 nodes in 200 namespaces and 5,000 PolicyReports of 20 results each (one per
 * Pod, as Kyverno writes them) plus the ReplicaSets and Deployments they roll up to; the real
 * policy-reports backend plugin in a test backend. Measures, after warm-up, the median and p95
 * latency of the entity route and the overview route, the Kubernetes API requests made per 100
 * entity page views, and the backend's memory growth for the index. Then, side by side in this
 * run: what one change costs today (the full relist of every kind plus the full rebuild main's
 * `loadClusterPolicyData` and entity index did every refresh) against one event applied to the
 * incremental index (a report modified, a Pod moved to another owner, a Namespace relabelled).
 */
import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KubernetesHttpClient } from '@internal/cluster-client';
import type { KubernetesObject } from '@internal/kube-model';
import policyReportsPlugin from '@internal/plugin-policy-reports-backend';
import {
  EntityResultIndex,
  buildComplianceOverview,
  normalizeReport,
  type LabelledObject,
  type OwnedObject,
  type PolicyResult,
  type RawPolicyReport,
} from '@internal/plugin-policy-reports-common';
import {
  ClusterStore,
  KubeApiServer,
  generateSyntheticCluster,
  type KubeObject,
} from '@internal/sandbox';
import request from 'supertest';
import { InMemoryClusterCache } from '../plugins/policy-reports-backend/src/__testUtils__/InMemoryClusterCache';
import { PolicyReportIndex } from '../plugins/policy-reports-backend/src/service/PolicyReportIndex';
import {
  CLUSTER_POLICY_KIND,
  NAMESPACE_KIND,
  REPORT_KINDS,
  WORKLOAD_KINDS,
  registerPolicyReportSources,
} from '../plugins/policy-reports-backend/src/service/policyReportKinds';

const SCALE = { nodes: 1000, namespaces: 200, pods: 30000, reports: 0 };
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

const EVENTS = 200;

function stats(timings: number[]): string {
  const sorted = [...timings].sort((a, b) => a - b);
  return `median ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(
    sorted,
    95,
  ).toFixed(2)} ms`;
}

const ALL_KINDS = [
  ...REPORT_KINDS,
  ...WORKLOAD_KINDS,
  NAMESPACE_KIND,
  CLUSTER_POLICY_KIND,
];

/** Today's refresh, part 1: discovery for the optional kinds, then one list per kind. */
async function listEverything(client: KubernetesHttpClient) {
  const lists = await Promise.all(
    ALL_KINDS.map(async kind => {
      if (
        kind.optional &&
        !(await client.serves(kind.group, kind.version, kind.plural))
      ) {
        return [] as KubernetesObject[];
      }
      const list = await client.list<KubernetesObject>({
        group: kind.group || undefined,
        version: kind.version,
        plural: kind.plural,
      });
      return list.items.map(item => ({
        ...item,
        apiVersion:
          item.apiVersion ??
          (kind.group ? `${kind.group}/${kind.version}` : kind.version),
        kind: item.kind ?? kind.kind,
      }));
    }),
  );
  return lists.flat();
}

/**
 * Today's refresh, part 2, as main's `loadClusterPolicyData` and `PolicyReportIndex` did it for
 * every refresh: normalise every report with owner roll-up, build the entity index and the
 * overview from scratch.
 */
function rebuildEverything(objects: KubernetesObject[], cluster: string) {
  const workloadKinds = new Set(WORKLOAD_KINDS.map(kind => kind.kind));
  const reportKinds = new Set(REPORT_KINDS.map(kind => kind.kind));
  const workloads: Array<LabelledObject & OwnedObject> = [];
  const byUid = new Map<string, OwnedObject>();
  for (const object of objects) {
    if (!workloadKinds.has(object.kind)) continue;
    const workload = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      labels: object.metadata.labels,
      ownerReferences: object.metadata.ownerReferences,
    };
    workloads.push(workload);
    if (workload.uid) byUid.set(workload.uid, workload);
  }
  const results: PolicyResult[] = [];
  for (const object of objects) {
    if (!reportKinds.has(object.kind)) continue;
    for (const result of normalizeReport(
      object as unknown as RawPolicyReport,
      cluster,
      uid => byUid.get(uid),
    )) {
      results.push(result);
    }
  }
  const teams = new Map<string, string>();
  for (const object of objects) {
    const owner = object.metadata.labels?.owner;
    if (object.kind === 'Namespace' && owner) {
      teams.set(object.metadata.name, owner);
    }
  }
  const entities = new EntityResultIndex(
    results,
    workloads.map(({ ownerReferences: _ignored, ...labelled }) => labelled),
  );
  return {
    results,
    entities,
    overview: buildComplianceOverview(results, teams),
  };
}

/**
 * One change, today against now: today every change waits for the next full relist and
 * rebuild; now the cache hands the index one event and the index updates what it concerns.
 */
async function compareFullRebuildWithEvents(
  url: string,
  countRequests: () => number,
) {
  const client = new KubernetesHttpClient({
    name: 'bench',
    url,
    serviceAccountToken: TOKEN,
  });
  console.log(
    'one change, today (full relist + full rebuild on the next refresh) vs now (one event):',
  );
  const listTimings: number[] = [];
  const rebuildTimings: number[] = [];
  let objects: KubernetesObject[] = [];
  let requests = 0;
  let today: ReturnType<typeof rebuildEverything> | undefined;
  for (let i = 0; i < 3; i++) {
    today = undefined;
    const requestsBefore = countRequests();
    const listed = performance.now();
    objects = await listEverything(client);
    listTimings.push(performance.now() - listed);
    requests = countRequests() - requestsBefore;
    const rebuilt = performance.now();
    today = rebuildEverything(objects, 'bench');
    rebuildTimings.push(performance.now() - rebuilt);
  }
  const bytes = Buffer.byteLength(JSON.stringify(objects));
  console.log(
    `  today, per refresh (${
      objects.length
    } objects, ${requests} requests, ~${mb(bytes)} of JSON): relist ${stats(
      listTimings,
    )}; rebuild (normalise ${
      REPORTS * RESULTS_PER_REPORT
    } results, entity index, overview) ${stats(rebuildTimings)}`,
  );

  const cache = new InMemoryClusterCache(['bench']);
  const index = new PolicyReportIndex(registerPolicyReportSources(cache));
  const synced = performance.now();
  cache.syncAll('bench', objects);
  console.log(
    `  now, initial SYNCED of every kind into the incremental index: ${(
      performance.now() - synced
    ).toFixed(0)} ms (once per (re)list, not per refresh)`,
  );
  index.overview({});

  // The entity lookup alone, without HTTP, the permission check and the catalog.
  const targets = objects
    .filter(object => object.kind === 'Deployment')
    .map(object => ({
      labelSelector: `backstage.io/kubernetes-id=${object.metadata.name}`,
      namespace: object.metadata.namespace!,
    }));
  const todaySelect: number[] = [];
  const nowSelect: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const target = targets[(i * 7919) % targets.length];
    let started = performance.now();
    today!.entities.select(target);
    todaySelect.push(performance.now() - started);
    started = performance.now();
    index.entityResults(target);
    nowSelect.push(performance.now() - started);
  }
  today = undefined;
  console.log(
    `  entity lookup in the index (2000 of ${
      targets.length
    } entities): today ${stats(todaySelect)}; now ${stats(nowSelect)}`,
  );

  const reports = cache.resource<KubernetesObject>('policyreports');
  const pods = cache.resource<KubernetesObject>('pods');
  const namespaces = cache.resource<KubernetesObject>('namespaces');
  const reportObjects = reports.list('bench')!;
  const replicaSetsByNamespace = new Map<string, KubernetesObject[]>();
  for (const replicaSet of cache.resource('replicasets').list('bench')!) {
    const inNamespace =
      replicaSetsByNamespace.get(replicaSet.metadata.namespace!) ?? [];
    inNamespace.push(replicaSet);
    replicaSetsByNamespace.set(replicaSet.metadata.namespace!, inNamespace);
  }
  const podsByName = new Map(
    pods
      .list('bench')!
      .map(pod => [`${pod.metadata.namespace}/${pod.metadata.name}`, pod]),
  );

  const eventTimings: number[] = [];
  const overviewAfterEvent: number[] = [];
  const timeEvent = (apply: () => void) => {
    const started = performance.now();
    apply();
    eventTimings.push(performance.now() - started);
    const overviewStarted = performance.now();
    index.overview({});
    overviewAfterEvent.push(performance.now() - overviewStarted);
  };
  const report = (name: string) => {
    console.log(
      `  now, ${name} (${eventTimings.length} events): apply ${stats(
        eventTimings,
      )}; first overview after it (re-aggregated) ${stats(overviewAfterEvent)}`,
    );
    eventTimings.length = 0;
    overviewAfterEvent.length = 0;
  };

  for (let i = 0; i < EVENTS; i++) {
    const original = reportObjects[
      (i * 37) % reportObjects.length
    ] as KubernetesObject & {
      results: Array<{ result: string }>;
    };
    const modified = {
      ...original,
      results: original.results.map((result, r) =>
        r === 0
          ? { ...result, result: result.result === 'fail' ? 'pass' : 'fail' }
          : result,
      ),
    };
    timeEvent(() => reports.modify('bench', modified));
  }
  report('one PolicyReport modified (20 results)');

  let moved = 0;
  for (const candidate of reportObjects) {
    if (moved >= EVENTS) break;
    const scope = (candidate as { scope?: { name: string; namespace: string } })
      .scope!;
    const pod = podsByName.get(`${scope.namespace}/${scope.name}`);
    const owner = pod?.metadata.ownerReferences?.[0];
    const other = replicaSetsByNamespace
      .get(scope.namespace)
      ?.find(replicaSet => replicaSet.metadata.uid !== owner?.uid);
    if (!pod || !other) continue;
    const movedPod = {
      ...pod,
      metadata: {
        ...pod.metadata,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: other.metadata.name,
            uid: other.metadata.uid!,
            controller: true,
          },
        ],
      },
    };
    timeEvent(() => pods.modify('bench', movedPod));
    moved += 1;
  }
  report('one Pod moved to another ReplicaSet (its report re-rolled)');

  const namespaceObjects = namespaces.list('bench')!;
  for (let i = 0; i < Math.min(EVENTS, namespaceObjects.length); i++) {
    const namespace = namespaceObjects[i];
    timeEvent(() =>
      namespaces.modify('bench', {
        ...namespace,
        metadata: {
          ...namespace.metadata,
          labels: { ...namespace.metadata.labels, owner: `relabelled-${i}` },
        },
      }),
    );
  }
  report('one Namespace relabelled (team ownership)');
  index.close();
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
      'overview route (memoised per index version)',
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
      } views; the cache lists on its interval, independent of views)`,
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

    await compareFullRebuildWithEvents(
      kubeApi.httpUrl,
      () => kubernetesRequests,
    );

    // Later refreshes relist through the polling adapter: memory must level off, not keep growing.
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
