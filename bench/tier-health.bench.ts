/*
 * Tier health at the scale of a large cluster: 1,000 nodes and 30,000 pods, generated here with a
 * seeded random source so every run measures the same input. Prints, side by side in one run:
 *
 * - old: what the backend did before issue 15 — rebuild the inventory from seven full lists every
 *   refresh, and per new snapshot the full model, state, node map (all nodes) and failure-domain
 *   analysis (all nodes), each sent whole (a 5 MB summary);
 * - new: the inventory updated per cache event (InventoryIndex), the model and assessment
 *   memoised per inventory version, a compact summary with an ETag, per-node what-ifs on demand.
 *
 * "after a change" means one pod event was applied just before the request (so nothing memoised
 * survives); "unchanged" repeats the request. The new routes are also timed over real HTTP on
 * localhost (express router, in-memory cluster cache double holding the generated objects, a
 * catalog stub answering from memory: the catalog's own database time is not included).
 */
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import {
  analyzeFailureDomains,
  assessCluster,
  buildComponents,
  CatalogComponentMatcher,
  ComponentModelIndex,
  componentTierStatus,
  describeNodes,
  inventoryFromKubernetes,
  InventoryIndex,
  priorityClassTiers,
  type CatalogComponent,
  type InventoryKind,
  type KubernetesLists,
  type KubernetesObject,
} from '@internal/plugin-tier-health-common';
import { createRouter } from '../plugins/tier-health-backend/src/router';
import {
  ClusterInventories,
  INVENTORY_KINDS,
} from '../plugins/tier-health-backend/src/service/ClusterInventories';
import { ClusterEvaluation } from '../plugins/tier-health-backend/src/service/ClusterEvaluation';
import { TierHealthService } from '../plugins/tier-health-backend/src/service/TierHealthService';
import { MemoryClusterCache } from '../plugins/tier-health-backend/src/__testUtils__/memoryClusterCache';

const NODES = 1_000;
const PODS = 30_000;
const REPLICAS = 3;
const RUNS = 15;
const EVENT_RUNS = 2_000;

/** mulberry32: small, fast, seeded. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** PriorityClass mix of a platform with many teams: a few platform services, mostly apps. */
const CLASSES = [
  {
    name: 'platform-infrastructure',
    value: 1_000_000,
    share: 0.03,
    controlPlaneTolerant: true,
  },
  {
    name: 'platform-observability',
    value: 10_000,
    share: 0.04,
    controlPlaneTolerant: true,
  },
  {
    name: 'platform-events',
    value: 200_000,
    share: 0.03,
    controlPlaneTolerant: false,
  },
  {
    name: 'platform-dashboards',
    value: 5_000,
    share: 0.05,
    controlPlaneTolerant: false,
  },
  {
    name: 'user-workloads',
    value: 3_000,
    share: 0.85,
    controlPlaneTolerant: false,
  },
];

/** Objects as listed, with the spec and status this generator fills in. */
type Listed = KubernetesObject & { spec?: any; status?: any };

const owner = (kind: string, name: string) => ({
  apiVersion: 'apps/v1',
  kind,
  name,
  uid: `uid-${kind}-${name}`,
  controller: true,
});

function generate(): { lists: KubernetesLists; catalog: CatalogComponent[] } {
  const random = seeded(42);
  const nodes: Listed[] = Array.from({ length: NODES }, (_, i) => {
    const controlPlane = i < 3;
    const role = controlPlane ? undefined : i % 2 === 0 ? 'infra' : 'apps';
    // a few lost nodes make the state and the analysis do real work
    const ready = i % 97 !== 5;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: controlPlane
          ? `control-plane-${i}`
          : `worker-${role}-${String(i).padStart(4, '0')}`,
        labels: (controlPlane
          ? { 'node-role.kubernetes.io/control-plane': '' }
          : { role: role! }) as Record<string, string>,
      },
      spec: controlPlane
        ? {
            taints: [
              {
                key: 'node-role.kubernetes.io/control-plane',
                effect: 'NoSchedule',
              },
            ],
          }
        : {},
      status: {
        allocatable: { cpu: '15800m', memory: '62Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }],
      },
    };
  });
  const workers = nodes.slice(3);
  const deployments: Listed[] = [];
  const replicaSets: Listed[] = [];
  const pods: Listed[] = [];
  const catalog: CatalogComponent[] = [];
  const deploymentCount = PODS / REPLICAS;
  for (let d = 0; d < deploymentCount; d++) {
    let pick = random();
    const pc =
      CLASSES.find(c => (pick -= c.share) < 0) ?? CLASSES[CLASSES.length - 1];
    const namespace = `team-${d % 200}`;
    const name = `svc-${d}`;
    const id = `component-${Math.floor(d / 2)}`; // two workloads per catalog component
    const labels = { 'backstage.io/kubernetes-id': id };
    if (d % 2 === 0) {
      catalog.push({
        entityRef: `component:default/${id}`,
        kubernetesId: id,
        tier:
          pc.name === 'user-workloads'
            ? undefined
            : pc.name === 'platform-infrastructure'
            ? 2
            : 3,
      });
    }
    const podSpec = {
      priorityClassName: pc.name,
      priority: pc.value,
      tolerations: pc.controlPlaneTolerant
        ? [
            {
              key: 'node-role.kubernetes.io/control-plane',
              operator: 'Exists',
              effect: 'NoSchedule',
            },
          ]
        : [],
      nodeSelector:
        pc.name === 'user-workloads' && d % 3 === 0
          ? { role: 'apps' }
          : undefined,
      containers: [
        {
          resources: {
            requests: {
              cpu: `${50 + Math.floor(random() * 400)}m`,
              memory: `${64 + Math.floor(random() * 900)}Mi`,
            },
          },
        },
      ],
    };
    deployments.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas: REPLICAS,
        template: { metadata: { labels }, spec: podSpec },
      },
    });
    replicaSets.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-rs`,
        namespace,
        ownerReferences: [owner('Deployment', name)],
      },
      spec: { replicas: REPLICAS },
    });
    for (let r = 0; r < REPLICAS; r++) {
      const node = workers[Math.floor(random() * workers.length)];
      const nodeReady = node.status.conditions[0].status === 'True';
      const crashing = random() < 0.002;
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${name}-rs-${r}`,
          namespace,
          labels,
          ownerReferences: [owner('ReplicaSet', `${name}-rs`)],
        },
        spec: { ...podSpec, nodeName: node.metadata!.name },
        status: {
          phase: 'Running',
          conditions: [
            {
              type: 'Ready',
              status: nodeReady && !crashing ? 'True' : 'False',
            },
          ],
          containerStatuses: crashing
            ? [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }]
            : [],
        },
      });
    }
  }
  return {
    lists: {
      nodes,
      pods,
      deployments,
      replicaSets,
      statefulSets: [],
      daemonSets: [],
      priorityClasses: CLASSES.map(c => ({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: c.name },
        value: c.value,
      })),
    },
    catalog,
  };
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const p50 = (values: number[]) => sorted(values)[Math.floor(values.length / 2)];
const p95 = (values: number[]) =>
  sorted(values)[
    Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)
  ];
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const kib = (bytes: number) =>
  bytes >= 2 ** 20
    ? `${(bytes / 2 ** 20).toFixed(2)} MB`
    : `${(bytes / 1024).toFixed(1)} KB`;

/** Wall and CPU (user + system, this process) milliseconds of each run after a warm-up. */
interface Times {
  wall: number[];
  cpu: number[];
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

function timeRuns(
  runs: number,
  before: () => void,
  measured: () => unknown,
): Times {
  const times: Times = { wall: [], cpu: [] };
  for (let run = 0; run <= runs; run++) {
    before();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    measured();
    const wall = performance.now() - t0;
    if (run === 0) continue; // run 0 warms up the JIT
    times.wall.push(wall);
    times.cpu.push(cpuMs(cpu0));
  }
  return times;
}

async function timeRunsAsync(
  runs: number,
  before: () => void,
  measured: () => Promise<unknown>,
): Promise<Times> {
  const times: Times = { wall: [], cpu: [] };
  for (let run = 0; run <= runs; run++) {
    before();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await measured();
    const wall = performance.now() - t0;
    if (run === 0) continue;
    times.wall.push(wall);
    times.cpu.push(cpuMs(cpu0));
  }
  return times;
}

const row = (what: string, old: string, now: string) =>
  console.log(`  ${what.padEnd(42)} ${old.padStart(34)}   ${now.padStart(34)}`);
/** Wall p50 / p95, and CPU p50 (the machine may be shared: CPU time says what the work costs). */
const dist = (t: Times) =>
  `${ms(p50(t.wall))} / ${ms(p95(t.wall))} (cpu ${ms(p50(t.cpu))})`;

/** A node with its Ready condition flipped. */
function flippedNode(node: Listed): Listed {
  const ready = (node.status as { conditions: Array<{ status: string }> })
    .conditions[0].status;
  return {
    ...node,
    status: {
      ...node.status,
      conditions: [
        { type: 'Ready', status: ready === 'True' ? 'Unknown' : 'True' },
      ],
    },
  };
}

/** A pod with its Ready condition flipped: one realistic MODIFIED event. */
function flipped(pod: Listed): Listed {
  const ready = pod.status.conditions[0].status === 'True';
  return {
    ...pod,
    status: {
      ...pod.status,
      conditions: [{ type: 'Ready', status: ready ? 'False' : 'True' }],
    },
  };
}

function entityOf(c: CatalogComponent) {
  const name = c.entityRef.slice(c.entityRef.lastIndexOf('/') + 1);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': c.kubernetesId!,
        ...(c.tier ? { 'idp.platform/tier': String(c.tier) } : {}),
      },
    },
    spec: {},
  };
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * Memory held in steady state, measured in a fresh process per design (`TIER_BENCH_MEMORY`):
 * old — the reduced inventory of the last refresh and its evaluation (the raw lists of each
 * refresh are garbage after it, but every refresh allocates them again); new — the cache's raw
 * objects (shared by every plugin that reads the kinds), the index and its evaluation.
 */
function memoryProbe(design: 'old' | 'new') {
  let generated: ReturnType<typeof generate> | undefined = generate();
  const { catalog } = generated;
  const tiers = priorityClassTiers();
  let held: unknown;
  if (design === 'old') {
    const inventory = inventoryFromKubernetes(generated.lists);
    generated = undefined; // the old poller dropped the raw lists after each refresh
    const model = buildComponents(inventory, catalog, tiers);
    held = {
      inventory,
      model,
      assessment: assessCluster(inventory.nodes, model.components),
      nodes: describeNodes(inventory, model),
      analysis: analyzeFailureDomains(inventory, model),
    };
  } else {
    const index = new InventoryIndex();
    for (const [kind, objects] of Object.entries(generated.lists))
      index.apply(kind as InventoryKind, { type: 'SYNCED', objects });
    const evaluation = new ClusterEvaluation(index.inventory(), catalog, tiers);
    void evaluation.summary;
    void evaluation.overview;
    held = { lists: generated.lists, index, evaluation };
  }
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(JSON.stringify({ rss, heapUsed, held: held !== undefined }));
}

function probeMemory(design: 'old' | 'new'): { rss: number; heapUsed: number } {
  const result = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1]],
    { env: { ...process.env, TIER_BENCH_MEMORY: design }, encoding: 'utf8' },
  );
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !line.startsWith('{'))
    throw new Error(`memory probe ${design} failed: ${result.stderr}`);
  return JSON.parse(line);
}

async function main() {
  gc();
  const { lists, catalog } = generate();
  const tiers = priorityClassTiers();
  const pods = lists.pods;
  let podCursor = 0;
  /** Applies the next pod change to `apply` (old: to the lists; new: as an event). */
  const nextPodChange = () => {
    const index = (podCursor += 7919) % pods.length; // walks all pods, not one hot pod
    pods[index] = flipped(pods[index]);
    return pods[index];
  };

  console.log(
    `load average at start: ${loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `input: ${lists.nodes.length} nodes, ${lists.pods.length} pods, ${lists.deployments.length} deployments, ${catalog.length} catalog components; ${RUNS} runs each (p50 / p95)`,
  );

  // ---------- old: full rebuild per refresh, full evaluation per snapshot
  const old = {
    rebuild: timeRuns(
      RUNS,
      () => undefined,
      () => inventoryFromKubernetes(lists),
    ),
  };
  let oldInventory = inventoryFromKubernetes(lists);
  const oldSummaryBody = () => {
    const model = buildComponents(oldInventory, catalog, tiers);
    const assessment = assessCluster(oldInventory.nodes, model.components);
    return JSON.stringify({
      clusters: [
        {
          cluster: 'bench',
          stale: false,
          state: assessment.state,
          reasons: assessment.reasons,
          tiers: assessment.tiers,
          components: model.components,
          nodes: describeNodes(oldInventory, model),
        },
      ],
    });
  };
  const oldSummary = timeRuns(
    RUNS,
    () => {
      nextPodChange();
      oldInventory = inventoryFromKubernetes(lists);
    },
    oldSummaryBody,
  );
  const oldSummaryBytes = Buffer.byteLength(oldSummaryBody());
  const oldFailureDomains = timeRuns(
    RUNS,
    () => {
      nextPodChange();
      oldInventory = inventoryFromKubernetes(lists);
    },
    () => {
      const model = buildComponents(oldInventory, catalog, tiers);
      return JSON.stringify({
        clusters: [{ analysis: analyzeFailureDomains(oldInventory, model) }],
      });
    },
  );
  const cardRef = catalog.find(c => c.tier === 2)!.entityRef;
  const oldEntity = timeRuns(
    RUNS,
    () => {
      nextPodChange();
      oldInventory = inventoryFromKubernetes(lists);
    },
    () => {
      const model = buildComponents(oldInventory, catalog, tiers);
      const analysis = analyzeFailureDomains(oldInventory, model);
      const component = model.components.find(c => c.entityRef === cardRef)!;
      return JSON.stringify(
        componentTierStatus(component, oldInventory, {
          displacementOf: name => analysis.nodes.find(n => n.node === name),
        }),
      );
    },
  );
  // the old service kept one evaluation per snapshot: a repeated request re-sent the same body
  const oldUnchanged = (() => {
    const model = buildComponents(oldInventory, catalog, tiers);
    const assessment = assessCluster(oldInventory.nodes, model.components);
    const nodes = describeNodes(oldInventory, model);
    return timeRuns(
      RUNS,
      () => undefined,
      () =>
        JSON.stringify({
          clusters: [{ ...assessment, components: model.components, nodes }],
        }),
    );
  })();
  oldInventory = undefined as never;
  gc();

  // ---------- new: per-event index, memoised evaluation
  const index = new InventoryIndex();
  for (const [kind, objects] of Object.entries(lists))
    index.apply(kind as InventoryKind, { type: 'SYNCED', objects });
  const oneEvent = timeRuns(
    EVENT_RUNS,
    () => undefined,
    () => index.apply('pods', { type: 'MODIFIED', object: nextPodChange() }),
  );
  const assemble = timeRuns(
    RUNS,
    () => index.apply('pods', { type: 'MODIFIED', object: nextPodChange() }),
    () => index.inventory(),
  );
  // as TierHealthService: one matcher per catalog view, remembering each inventory object's match
  const matcher = new CatalogComponentMatcher(catalog);
  const models = new ComponentModelIndex();
  let evaluation = new ClusterEvaluation(
    index.inventory(),
    matcher,
    tiers,
    models,
  );
  const afterChange = () => {
    index.apply('pods', { type: 'MODIFIED', object: nextPodChange() });
    evaluation = new ClusterEvaluation(
      index.inventory(),
      matcher,
      tiers,
      models,
    );
  };
  const newSummaryBody = () =>
    JSON.stringify({ clusters: [{ cluster: 'bench', ...evaluation.summary }] });
  // the event and the assembly of the inventory count: they are what a change costs
  const newSummary = timeRuns(
    RUNS,
    () => undefined,
    () => {
      afterChange();
      return newSummaryBody();
    },
  );
  const newSummaryBytes = Buffer.byteLength(newSummaryBody());
  const newFailureDomains = timeRuns(
    RUNS,
    () => undefined,
    () => {
      afterChange();
      return JSON.stringify({
        clusters: [
          {
            singlePointsOfFailure: evaluation.overview.singlePointsOfFailure,
            nodes: evaluation.overview.nodes,
          },
        ],
      });
    },
  );
  const newFailureDomainsBytes = Buffer.byteLength(
    JSON.stringify({
      clusters: [
        {
          singlePointsOfFailure: evaluation.overview.singlePointsOfFailure,
          nodes: evaluation.overview.nodes,
        },
      ],
    }),
  );
  // main before this change: a fresh matcher, every component summed up and the analyzer's
  // indexes built for every node before the card's component and its nodes' what-ifs
  const newEntityFullModel = timeRuns(
    RUNS,
    () => undefined,
    () => {
      index.apply('pods', { type: 'MODIFIED', object: nextPodChange() });
      evaluation = new ClusterEvaluation(index.inventory(), catalog, tiers);
      void evaluation.model.components;
      const component = evaluation.component(cardRef)!;
      const analyzer = evaluation.analyzer;
      void analyzer.nodes;
      return JSON.stringify(
        componentTierStatus(component, evaluation.inventory, {
          displacementOf: name => analyzer.impactOf(name)?.impact,
        }),
      );
    },
  );
  const newEntity = timeRuns(
    RUNS,
    () => undefined,
    () => {
      afterChange();
      const component = evaluation.component(cardRef)!;
      return JSON.stringify(
        componentTierStatus(
          component,
          evaluation.inventory,
          evaluation.analyzer,
        ),
      );
    },
  );
  // one node's Ready condition flips (and flips back, unevaluated, before the next run, so the
  // rest of the bench sees the generated nodes)
  let nodeCursor = 0;
  let flippedAt: number | undefined;
  const flipNode = (at: number) => {
    lists.nodes[at] = flippedNode(lists.nodes[at]);
    index.apply('nodes', { type: 'MODIFIED', object: lists.nodes[at] });
  };
  const newEntityAfterNodeEvent = timeRuns(
    RUNS,
    () => {
      if (flippedAt !== undefined) flipNode(flippedAt);
    },
    () => {
      flippedAt = 3 + ((nodeCursor += 37) % (lists.nodes.length - 3));
      flipNode(flippedAt);
      evaluation = new ClusterEvaluation(
        index.inventory(),
        matcher,
        tiers,
        models,
      );
      const component = evaluation.component(cardRef)!;
      return JSON.stringify(
        componentTierStatus(
          component,
          evaluation.inventory,
          evaluation.analyzer,
        ),
      );
    },
  );
  if (flippedAt !== undefined) flipNode(flippedAt);
  // a pod is deleted (the one deleted before it was re-added, unevaluated, in between)
  let deleted: Listed | undefined;
  const newEntityAfterPodDeleted = timeRuns(
    RUNS,
    () => {
      if (deleted) index.apply('pods', { type: 'ADDED', object: deleted });
    },
    () => {
      deleted = nextPodChange();
      index.apply('pods', { type: 'DELETED', object: deleted });
      evaluation = new ClusterEvaluation(
        index.inventory(),
        matcher,
        tiers,
        models,
      );
      const component = evaluation.component(cardRef)!;
      return JSON.stringify(
        componentTierStatus(
          component,
          evaluation.inventory,
          evaluation.analyzer,
        ),
      );
    },
  );
  if (deleted) index.apply('pods', { type: 'ADDED', object: deleted });
  // the page asks for the summary too: the component model is then already built
  const newEntityAfterSummary = timeRuns(
    RUNS,
    () => {
      afterChange();
      void evaluation.summary;
    },
    () => {
      const component = evaluation.component(cardRef)!;
      return JSON.stringify(
        componentTierStatus(
          component,
          evaluation.inventory,
          evaluation.analyzer,
        ),
      );
    },
  );
  const newUnchanged = timeRuns(RUNS, () => undefined, newSummaryBody);

  console.log(
    `\n  ${'in-process (compute + JSON)'.padEnd(
      42,
    )} ${'old: wall p50 / p95 (cpu p50)'.padStart(
      34,
    )}   ${'new: wall p50 / p95 (cpu p50)'.padStart(34)}`,
  );
  row(
    'one pod event: full rebuild vs update',
    dist(old.rebuild),
    dist(oneEvent),
  );
  row('  + assemble the inventory for readers', '—', dist(assemble));
  row('summary, first after a change', dist(oldSummary), dist(newSummary));
  row('summary, unchanged', dist(oldUnchanged), dist(newUnchanged));
  row(
    'failure domains, first after a change',
    dist(oldFailureDomains),
    dist(newFailureDomains),
  );
  row(
    'entity card, first after a change (full model)',
    dist(oldEntity),
    dist(newEntityFullModel),
  );
  row('entity card, first after a change', dist(oldEntity), dist(newEntity));
  row(
    'entity card, first after a node event',
    '—',
    dist(newEntityAfterNodeEvent),
  );
  row(
    'entity card, first after a pod deleted',
    '—',
    dist(newEntityAfterPodDeleted),
  );
  row(
    '  the same, model already built by /summary',
    '—',
    dist(newEntityAfterSummary),
  );
  row('summary body', kib(oldSummaryBytes), kib(newSummaryBytes));
  row('failure-domains body', '—', kib(newFailureDomainsBytes));

  // ---------- new over HTTP: the routes as the page calls them
  const cache = new MemoryClusterCache(['bench']);
  const inventories = new ClusterInventories(cache);
  for (const [name, kind] of Object.entries(INVENTORY_KINDS))
    cache.sync('bench', kind.plural, lists[name as InventoryKind]);
  const entities = catalog.map(entityOf);
  const catalogStub = {
    getEntities: async () => ({ items: entities }),
    getEntityByRef: async (ref: string) =>
      entities.find(e => `component:default/${e.metadata.name}` === ref),
  } as unknown as CatalogService;
  const service = new TierHealthService({
    inventories,
    catalog: catalogStub,
    priorityClassTiers: tiers,
  });
  const app = express()
    .use(
      await createRouter({
        service,
        httpAuth: mockServices.httpAuth(),
        permissions: mockServices.permissions(),
      }),
    )
    .use(mockErrorHandler());
  const server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const podEvent = () =>
    cache.emit('bench', 'pods', 'MODIFIED', nextPodChange());
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    const body = await response.text();
    if (!response.ok && response.status !== 304)
      throw new Error(`${path}: ${response.status} ${body}`);
    return { response, bytes: Buffer.byteLength(body) };
  };
  const http = {
    summaryChanged: await timeRunsAsync(RUNS, podEvent, () => get('/summary')),
    summaryUnchanged: await timeRunsAsync(
      RUNS,
      () => undefined,
      () => get('/summary'),
    ),
    summary304: { wall: [], cpu: [] } as Times,
    failureDomains: await timeRunsAsync(RUNS, podEvent, () =>
      get('/failure-domains'),
    ),
    entity: await timeRunsAsync(RUNS, podEvent, () =>
      get(`/entity?entityRef=${encodeURIComponent(cardRef)}`),
    ),
    entityUnchanged: await timeRunsAsync(
      RUNS,
      () => undefined,
      () => get(`/entity?entityRef=${encodeURIComponent(cardRef)}`),
    ),
    whatIf: await timeRunsAsync(RUNS, podEvent, () =>
      get('/nodes/bench/worker-apps-0007'),
    ),
    nodePage: await timeRunsAsync(
      RUNS,
      () => undefined,
      () => get('/nodes?cluster=bench&pool=apps&limit=24'),
    ),
  };
  const first = await get('/summary');
  const etag = first.response.headers.get('etag')!;
  http.summary304 = await timeRunsAsync(
    RUNS,
    () => undefined,
    async () => {
      const { response } = await get('/summary', { 'If-None-Match': etag });
      if (response.status !== 304) throw new Error('expected a 304');
    },
  );
  const bytes = {
    summary: first.bytes,
    page: (await get('/nodes?cluster=bench&pool=apps&limit=24')).bytes,
    whatIf: (await get('/nodes/bench/worker-apps-0007')).bytes,
    failureDomains: (await get('/failure-domains')).bytes,
  };
  server.close();
  inventories.close();

  console.log('\n  new routes over HTTP (localhost, p50 / p95)');
  const httpRow = (what: string, values: Times, size?: number) =>
    console.log(
      `  ${what.padEnd(42)} ${dist(values).padStart(34)}${
        size === undefined ? '' : `   ${kib(size)}`
      }`,
    );
  httpRow('GET /summary after a pod event', http.summaryChanged, bytes.summary);
  httpRow('GET /summary unchanged (200)', http.summaryUnchanged);
  httpRow('GET /summary If-None-Match (304)', http.summary304, 0);
  httpRow(
    'GET /failure-domains after a pod event',
    http.failureDomains,
    bytes.failureDomains,
  );
  httpRow('GET /entity after a pod event', http.entity);
  httpRow('GET /entity unchanged', http.entityUnchanged);
  httpRow(
    'GET /nodes/:cluster/:node after an event',
    http.whatIf,
    bytes.whatIf,
  );
  httpRow('GET /nodes?pool=apps&limit=24', http.nodePage, bytes.page);

  gc();
  console.log(
    `load average at the end: ${loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  );
  const memory = { old: probeMemory('old'), new: probeMemory('new') };
  console.log(
    `\n  ${'steady-state memory, a process per design, after gc'.padEnd(
      55,
    )} ${'old'.padStart(10)} ${'new'.padStart(10)}`,
  );
  console.log(
    `  ${'RSS'.padEnd(55)} ${mib(memory.old.rss).padStart(10)} ${mib(
      memory.new.rss,
    ).padStart(10)}`,
  );
  console.log(
    `  ${'heap used'.padEnd(55)} ${mib(memory.old.heapUsed).padStart(10)} ${mib(
      memory.new.heapUsed,
    ).padStart(10)}`,
  );
  console.log(
    '  (new holds the raw objects the cache keeps for every plugin; old allocated them anew every refresh)',
  );
}

const design = process.env.TIER_BENCH_MEMORY;
if (design === 'old' || design === 'new') {
  memoryProbe(design);
} else {
  void main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
