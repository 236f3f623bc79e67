/*
 * Policy reports backend at benchmark scale: an in-process sandbox Kubernetes API (watch on)
 * holding 30,000 Pods on 1,000 nodes in 200 namespaces and 5,000 PolicyReports of 20 results each
 * (one per Pod, as Kyverno writes them) plus the ReplicaSets and Deployments they roll up to.
 *
 * 1. OLD vs NEW for one change, side by side: OLD is main's refresh before issue 15 (the loader
 *    kept verbatim in bench/baseline: discovery + one list per kind + normalising every report,
 *    then the entity index and the overview built from scratch), which every change waited for;
 *    NEW is one event applied to the incremental index (a report modified, a Pod moved to another
 *    owner, a Namespace relabelled) and the first overview after it. Plus the entity lookup alone.
 * 2. The real policy-reports backend plugin on the shared cluster cache in a test backend: the
 *    initial list, RSS, p50/p95 of the entity and overview routes, and how long a report or Pod
 *    change made in the sandbox takes to show in the entity route.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KubernetesHttpClient } from '@internal/cluster-client';
import type { KubernetesObject } from '@internal/kube-model';
import policyReportsPlugin from '@internal/plugin-policy-reports-backend';
import {
  EntityResultIndex,
  buildComplianceOverview,
  type EntityPolicyResultsResponse,
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
import { loadClusterPolicyData } from './baseline/policyReportsLoader';
import {
  REPORTS,
  RESULTS_PER_REPORT,
  SCALE,
  syntheticPolicyReport,
} from './lib/scaleSandbox';

const ENTITY_VIEWS_WARMUP = 50;
const ENTITY_VIEWS = 500;
const OVERVIEW_WARMUP = 5;
const OVERVIEW_VIEWS = 100;
const EVENTS = 200;
const CHANGES = 20;
const TOKEN = 'policy-reports-bench-token';

/**
 * The catalog with a lookup by ref: the test-utils mock scans every entity per call (about 9 ms
 * at 10,000 entities here), which would measure the mock instead of the route.
 */
function catalogByRef(entities: Entity[]) {
  const byRef = new Map(
    entities.map(entity => [stringifyEntityRef(entity), entity]),
  );
  const catalog = catalogServiceMock({ entities: [] });
  catalog.getEntityByRef = async ref =>
    byRef.get(typeof ref === 'string' ? ref : stringifyEntityRef(ref));
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => catalog,
  });
}

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

function stats(timings: number[], digits = 2): string {
  const sorted = [...timings].sort((a, b) => a - b);
  return `median ${percentile(sorted, 50).toFixed(digits)} ms, p95 ${percentile(
    sorted,
    95,
  ).toFixed(digits)} ms`;
}

const ALL_KINDS = [
  ...REPORT_KINDS,
  ...WORKLOAD_KINDS,
  NAMESPACE_KIND,
  CLUSTER_POLICY_KIND,
];

/** A Pod moved to another ReplicaSet of its namespace (a controller adopting it). */
function movedTo(pod: KubeObject, replicaSet: KubeObject): KubeObject {
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: replicaSet.metadata.name,
          uid: replicaSet.metadata.uid!,
          controller: true,
        },
      ],
    },
  };
}

/** For the Pods with reports: another ReplicaSet of the same namespace to move each to. */
function moveTargets(store: ClusterStore, reportedPods: KubeObject[]) {
  const replicaSetsByNamespace = new Map<string, KubeObject[]>();
  for (const replicaSet of store.listShared({ kind: 'ReplicaSet' })) {
    const inNamespace =
      replicaSetsByNamespace.get(replicaSet.metadata.namespace!) ?? [];
    inNamespace.push(replicaSet);
    replicaSetsByNamespace.set(replicaSet.metadata.namespace!, inNamespace);
  }
  return reportedPods.flatMap(pod => {
    const owner = pod.metadata.ownerReferences?.[0]?.uid;
    const other = replicaSetsByNamespace
      .get(pod.metadata.namespace!)
      ?.find(replicaSet => replicaSet.metadata.uid !== owner);
    return other ? [{ pod, replicaSet: other }] : [];
  });
}

/** The Deployment a ReplicaSet belongs to. */
function deploymentOf(replicaSet: KubeObject): string {
  return replicaSet.metadata.ownerReferences![0].name;
}

/**
 * One change, OLD against NEW: OLD, every change waited for the next refresh, which relisted and
 * rebuilt everything; NEW, the cache hands the index one event and the index updates what it
 * concerns.
 */
async function compareOneChange(
  store: ClusterStore,
  url: string,
  countRequests: () => number,
) {
  console.log(
    '\none change, OLD (the next full relist + rebuild) vs NEW (one event into the index):',
  );
  const client = new KubernetesHttpClient({
    name: 'bench',
    url,
    serviceAccountToken: TOKEN,
  });
  const loadTimings: number[] = [];
  const buildTimings: number[] = [];
  let requests = 0;
  let old: EntityResultIndex | undefined;
  for (let i = 0; i < 3; i++) {
    old = undefined;
    await settledGc();
    const requestsBefore = countRequests();
    const started = performance.now();
    const data = await loadClusterPolicyData(client, {
      name: 'bench',
      url,
      serviceAccountToken: TOKEN,
    });
    loadTimings.push(performance.now() - started);
    requests = countRequests() - requestsBefore;
    const built = performance.now();
    old = new EntityResultIndex(data.results, data.objects);
    buildComplianceOverview(data.results, data.namespaceTeams);
    buildTimings.push(performance.now() - built);
  }
  console.log(
    `  OLD, per refresh (${requests} requests): list + normalise ${
      REPORTS * RESULTS_PER_REPORT
    } results ${stats(loadTimings, 0)}; entity index + overview ${stats(
      buildTimings,
      0,
    )}; so one change cost ≈ ${(
      percentile(
        [...loadTimings].sort((a, b) => a - b),
        50,
      ) +
      percentile(
        [...buildTimings].sort((a, b) => a - b),
        50,
      )
    ).toFixed(0)} ms of work, and waited up to one refresh interval (10 s)`,
  );

  // The store's own objects: the in-memory cache holds references, as the real one holds its copy.
  const objects = ALL_KINDS.flatMap(kind =>
    store.listShared({ kind: kind.kind }),
  ) as KubernetesObject[];
  await settledGc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cache = new InMemoryClusterCache(['bench']);
  const index = new PolicyReportIndex(registerPolicyReportSources(cache));
  const synced = performance.now();
  cache.syncAll('bench', objects);
  const appliedMs = performance.now() - synced;
  index.overview({});
  const firstReadMs = performance.now() - synced - appliedMs;
  await settledGc();
  console.log(
    `  NEW, the first SYNCED of every kind (${
      objects.length
    } objects, once per (re)list, not per change): applied ${appliedMs.toFixed(
      0,
    )} ms, first read (normalise + overview) ${firstReadMs.toFixed(
      0,
    )} ms; heap held by the index +${mb(
      process.memoryUsage().heapUsed - heapBefore,
    )} (the objects themselves belong to the cache)`,
  );

  // The entity lookup alone, without HTTP, the permission check and the catalog.
  const targets = store.listShared({ kind: 'Deployment' }).map(object => ({
    labelSelector: `backstage.io/kubernetes-id=${object.metadata.name}`,
    namespace: object.metadata.namespace!,
  }));
  const oldSelect: number[] = [];
  const newSelect: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const target = targets[(i * 7919) % targets.length];
    let started = performance.now();
    old!.select(target);
    oldSelect.push(performance.now() - started);
    started = performance.now();
    index.entityResults(target);
    newSelect.push(performance.now() - started);
  }
  old = undefined;
  console.log(
    `  entity lookup in the index (2000 of ${
      targets.length
    } entities): OLD ${stats(oldSelect)}; NEW ${stats(newSelect)}`,
  );

  const reports = cache.resource<KubernetesObject>('policyreports');
  const pods = cache.resource<KubernetesObject>('pods');
  const namespaces = cache.resource<KubernetesObject>('namespaces');
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
  const print = (name: string) => {
    console.log(
      `  NEW, ${name} (${eventTimings.length} events): apply ${stats(
        eventTimings,
      )}; the first overview after it (normalises and recounts what changed) ${stats(
        overviewAfterEvent,
      )}`,
    );
    eventTimings.length = 0;
    overviewAfterEvent.length = 0;
  };

  const reportObjects = reports.list('bench')!;
  for (let i = 0; i < EVENTS; i++) {
    const original = reportObjects[
      (i * 37) % reportObjects.length
    ] as KubernetesObject & { results: Array<{ result: string }> };
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
  print('one PolicyReport modified (20 results)');

  const reportedPods = store.listShared({ kind: 'Pod' }).slice(0, REPORTS);
  for (const { pod, replicaSet } of moveTargets(store, reportedPods).slice(
    0,
    EVENTS,
  )) {
    timeEvent(() =>
      pods.modify('bench', movedTo(pod, replicaSet) as KubernetesObject),
    );
  }
  print('one Pod moved to another ReplicaSet (its report re-rolled)');

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
  print('one Namespace relabelled (team ownership)');
  index.close();
}

async function main() {
  const store = new ClusterStore();
  generateSyntheticCluster(store, SCALE);
  const pods = store.listShared({ kind: 'Pod' });
  for (let i = 0; i < REPORTS; i++)
    store.apply(syntheticPolicyReport(pods[i], i));
  const deployments = store.listShared({ kind: 'Deployment' });
  const replicaSets = store.listShared({ kind: 'ReplicaSet' });
  console.log(
    `sandbox: ${SCALE.nodes} nodes, ${SCALE.namespaces} namespaces, ${
      pods.length
    } pods, ${replicaSets.length} replicasets, ${
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

  try {
    await compareOneChange(store, kubeApi.httpUrl, () => kubernetesRequests);
    await backendOnTheCache(store, kubeApi, () => kubernetesRequests);
  } finally {
    await kubeApi.stop();
  }
}

async function backendOnTheCache(
  store: ClusterStore,
  kubeApi: KubeApiServer,
  countRequests: () => number,
) {
  const deployments = store.listShared({ kind: 'Deployment' });
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

  await settledGc();
  const before = process.memoryUsage();
  const requestsBefore = countRequests();
  const started = performance.now();
  const backend = await startTestBackend({
    features: [
      policyReportsPlugin,
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
        },
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      catalogByRef(entities),
    ],
  });

  const fetch = async (path: string) => {
    const response = await request(backend.server).get(
      `/api/policy-reports${path}`,
    );
    if (response.status !== 200) {
      throw new Error(`${path}: HTTP ${response.status} ${response.text}`);
    }
    return response;
  };
  const get = async (path: string) => (await fetch(path)).text.length;
  const entityPath = (name: string) =>
    `/entity/default/component/${name}/results`;
  const until = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 120_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
      await new Promise(resolve => setTimeout(resolve, 5));
    }
  };

  try {
    // synced: every result indexed and rolled up to its Deployment
    const firstReported = store.listShared({ kind: 'Pod' })[0];
    const firstDeployment = deploymentOf(
      store.get({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        namespace: firstReported.metadata.namespace,
        name: firstReported.metadata.ownerReferences![0].name,
      })!,
    );
    await until(async () => {
      const overview = (await fetch('/overview')).body;
      const entity: EntityPolicyResultsResponse = (
        await fetch(entityPath(firstDeployment))
      ).body;
      return (
        overview.totals.total === REPORTS * RESULTS_PER_REPORT &&
        entity.summary.total > 0
      );
    }, 'the initial list');
    const syncedMs = performance.now() - started;
    await settledGc();
    const afterSync = process.memoryUsage();
    console.log(
      `\nthe backend on the cluster cache: initial list of ${
        ALL_KINDS.length
      } kinds and index ${syncedMs.toFixed(0)} ms, ${
        countRequests() - requestsBefore
      } Kubernetes API requests (discovery, pages of 500, watches)`,
    );
    console.log(
      `  memory for cache + index: RSS +${mb(afterSync.rss - before.rss)} (${mb(
        before.rss,
      )} → ${mb(afterSync.rss)}), heap +${mb(
        afterSync.heapUsed - before.heapUsed,
      )}`,
    );

    const entityPaths = entities.map(entity =>
      entityPath(entity.metadata.name),
    );
    const coldStarted = performance.now();
    await get('/overview');
    console.log(
      `  overview, first request after the initial list (cold JIT): ${(
        performance.now() - coldStarted
      ).toFixed(1)} ms`,
    );
    console.log(`latency (${entities.length} entities, 1 cluster):`);
    const requestsBeforeViews = countRequests();
    await time(
      'entity route',
      entityPaths,
      ENTITY_VIEWS_WARMUP,
      ENTITY_VIEWS,
      get,
    );
    const requestsDuringViews = countRequests() - requestsBeforeViews;
    await time(
      'overview route (memoised per index version)',
      ['/overview'],
      OVERVIEW_WARMUP,
      OVERVIEW_VIEWS,
      get,
    );
    await time(
      'overview route with filters',
      [
        '/overview?severity=high',
        '/overview?team=payments',
        '/overview?severity=critical,high&team=search',
      ],
      OVERVIEW_WARMUP,
      OVERVIEW_VIEWS,
      get,
    );
    console.log(
      `Kubernetes API requests during ${
        ENTITY_VIEWS_WARMUP + ENTITY_VIEWS
      } entity page views: ${requestsDuringViews} (views read the index only)`,
    );

    // A change in the sandbox → visible in the entity route (watch event → index → route).
    const reportLatency: number[] = [];
    const reportedPods = store.listShared({ kind: 'Pod' }).slice(0, REPORTS);
    for (let k = 0; k < CHANGES; k++) {
      const pod = reportedPods[(k * 211) % reportedPods.length];
      const deployment = deploymentOf(
        store.get({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          namespace: pod.metadata.namespace,
          name: pod.metadata.ownerReferences![0].name,
        })!,
      );
      const report = store.get({
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        namespace: pod.metadata.namespace,
        name: pod.metadata.uid!,
      })! as KubeObject & { results: object[] };
      const policy = `bench-change-${k}`;
      const changed = performance.now();
      store.apply({
        ...report,
        results: [
          ...report.results,
          { policy, rule: 'r', result: 'fail', severity: 'high' },
        ],
      });
      await until(
        async () =>
          (
            await fetch(`${entityPath(deployment)}?policy=${policy}`)
          ).body.filteredSummary.total === 1,
        `${policy} in ${deployment}`,
      );
      reportLatency.push(performance.now() - changed);
    }
    const podLatency: number[] = [];
    for (const { pod, replicaSet } of moveTargets(store, reportedPods)
      .filter((_, i) => i % 97 === 0)
      .slice(0, CHANGES)) {
      const deployment = deploymentOf(replicaSet);
      const current = store.get({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
      })!;
      const changed = performance.now();
      store.apply(movedTo(current, replicaSet));
      await until(async () => {
        const body: EntityPolicyResultsResponse = (
          await fetch(entityPath(deployment))
        ).body;
        return body.resources.some(group =>
          group.results.some(r => r.resource.name === pod.metadata.name),
        );
      }, `${pod.metadata.name} under ${deployment}`);
      podLatency.push(performance.now() - changed);
    }
    console.log(
      `change in the sandbox → shown by the entity route (polled every 5 ms): a report (${
        reportLatency.length
      } changes) ${stats(
        reportLatency,
        1,
      )}; a Pod moved to another Deployment (${
        podLatency.length
      } changes) ${stats(podLatency, 1)}`,
    );

    await settledGc();
    const afterViews = process.memoryUsage();
    console.log(
      `RSS after the views and changes: ${mb(afterViews.rss)} (heap ${mb(
        afterViews.heapUsed,
      )})`,
    );
  } finally {
    await backend.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
