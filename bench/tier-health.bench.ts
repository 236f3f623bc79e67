/*
 * Tier health at the scale of a large cluster: 1,000 nodes and 30,000 pods, generated here with a
 * seeded random source so every run measures the same input. Measures the median time of what
 * the backend computes per snapshot — reducing the raw API lists to the inventory, the summary
 * (components, state, node map) and the failure-domain analysis — and the process RSS holding it.
 */
import {
  analyzeFailureDomains,
  assessCluster,
  buildComponents,
  describeNodes,
  inventoryFromKubernetes,
  priorityClassTiers,
  type CatalogComponent,
  type KubernetesLists,
  type KubernetesObject,
} from '@internal/plugin-tier-health-common';

const NODES = 1_000;
const PODS = 30_000;
const REPLICAS = 3;
const RUNS = 7;

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

function generate(): { lists: KubernetesLists; catalog: CatalogComponent[] } {
  const random = seeded(42);
  const nodes: KubernetesObject[] = Array.from({ length: NODES }, (_, i) => {
    const controlPlane = i < 3;
    const role = controlPlane ? undefined : i % 2 === 0 ? 'infra' : 'apps';
    // a few lost nodes make the state and the analysis do real work
    const ready = i % 97 !== 5;
    return {
      metadata: {
        name: controlPlane
          ? `control-plane-${i}`
          : `worker-${role}-${String(i).padStart(4, '0')}`,
        labels: controlPlane
          ? { 'node-role.kubernetes.io/control-plane': '' }
          : { role: role! },
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
  const deployments: KubernetesObject[] = [];
  const replicaSets: KubernetesObject[] = [];
  const pods: KubernetesObject[] = [];
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
      metadata: { name, namespace, labels },
      spec: {
        replicas: REPLICAS,
        template: { metadata: { labels }, spec: podSpec },
      },
    });
    replicaSets.push({
      metadata: {
        name: `${name}-rs`,
        namespace,
        ownerReferences: [{ kind: 'Deployment', name, controller: true }],
      },
      spec: { replicas: REPLICAS },
    });
    for (let r = 0; r < REPLICAS; r++) {
      const node = workers[Math.floor(random() * workers.length)];
      const nodeReady = node.status.conditions[0].status === 'True';
      const crashing = random() < 0.002;
      pods.push({
        metadata: {
          name: `${name}-rs-${r}`,
          namespace,
          labels,
          ownerReferences: [
            { kind: 'ReplicaSet', name: `${name}-rs`, controller: true },
          ],
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
        metadata: { name: c.name },
        value: c.value,
      })),
    },
    catalog,
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function main() {
  const rssBefore = process.memoryUsage().rss;
  const { lists, catalog } = generate();
  const tiers = priorityClassTiers();
  const timings = {
    inventory: [] as number[],
    summary: [] as number[],
    failureDomains: [] as number[],
  };
  let result: { state: string; spofs: number; components: number } | undefined;
  for (let run = 0; run <= RUNS; run++) {
    const t0 = performance.now();
    const inventory = inventoryFromKubernetes(lists);
    const t1 = performance.now();
    const model = buildComponents(inventory, catalog, tiers);
    const assessment = assessCluster(inventory.nodes, model.components);
    describeNodes(inventory, model);
    const t2 = performance.now();
    const analysis = analyzeFailureDomains(inventory, model);
    const t3 = performance.now();
    result = {
      state: assessment.state,
      spofs: analysis.singlePointsOfFailure.length,
      components: model.components.length,
    };
    if (run === 0) continue; // warm-up: JIT and caches
    timings.inventory.push(t1 - t0);
    timings.summary.push(t2 - t1);
    timings.failureDomains.push(t3 - t2);
  }
  (globalThis as { gc?: () => void }).gc?.();
  const rss = process.memoryUsage().rss;
  console.log(
    `input: ${lists.nodes.length} nodes, ${lists.pods.length} pods, ${lists.deployments.length} deployments, ${catalog.length} catalog components`,
  );
  console.log(
    `result: state ${result!.state}, ${result!.components} components, ${
      result!.spofs
    } single points of failure`,
  );
  console.log(`median of ${RUNS} runs:`);
  console.log(
    `  inventory from API lists  ${median(timings.inventory).toFixed(1)} ms`,
  );
  console.log(
    `  summary (components, state, node map)  ${median(timings.summary).toFixed(
      1,
    )} ms`,
  );
  console.log(
    `  failure-domain analysis (all ${NODES} nodes)  ${median(
      timings.failureDomains,
    ).toFixed(1)} ms`,
  );
  console.log(
    `  summary + failure domains  ${(
      median(timings.summary) + median(timings.failureDomains)
    ).toFixed(1)} ms`,
  );
  console.log(
    `process RSS: ${mib(rss)} (before generating the input: ${mib(rssBefore)})`,
  );
}

main();
