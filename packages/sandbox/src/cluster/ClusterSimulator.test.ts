import type { KubernetesObject } from '@internal/kube-model';
import { ClusterStore } from '../store/ClusterStore';
import { generateSyntheticCluster } from '../synthetic';
import { ClusterSimulator, NotFoundError } from './ClusterSimulator';

function deployment(
  namespace: string,
  name: string,
  replicas: number,
  podSpec: Record<string, unknown> = {},
): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name,
              image: `example/${name}:1.0.0`,
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
          ...podSpec,
        },
      },
    },
  };
}

function setup() {
  const store = new ClusterStore();
  const simulator = new ClusterSimulator({
    store,
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  simulator.createDefaultTopology();
  return { store, simulator };
}

const pods = (store: ClusterStore, namespace?: string) =>
  store.list({ kind: 'Pod', namespace });
const nodeOf = (pod: KubernetesObject) =>
  (pod.spec as { nodeName?: string }).nodeName;
const phaseOf = (pod: KubernetesObject) =>
  (pod.status as { phase: string }).phase;
const getDeployment = (store: ClusterStore, namespace: string, name: string) =>
  store.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name })!;

describe('ClusterSimulator', () => {
  it('creates the default topology with control-plane static pods', () => {
    const { store } = setup();
    const nodes = store.list({ kind: 'Node' });
    expect(nodes.map(n => n.metadata.name)).toEqual([
      'control-plane',
      'worker-apps',
      'worker-infra',
    ]);
    const controlPlane = nodes[0];
    expect(controlPlane.metadata.labels).toMatchObject({
      'node-role.kubernetes.io/control-plane': '',
      'kubernetes.io/hostname': 'control-plane',
      'kubernetes.io/os': 'linux',
    });
    expect(controlPlane.spec).toMatchObject({
      taints: [
        { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      ],
    });
    expect(controlPlane.status).toMatchObject({
      capacity: { cpu: '8', memory: '16Gi', pods: '110' },
    });
    expect(nodes[2].metadata.labels).toMatchObject({ role: 'infra' });

    const system = pods(store, 'kube-system');
    expect(system.map(p => p.metadata.name)).toEqual([
      'etcd-control-plane',
      'kube-apiserver-control-plane',
      'kube-controller-manager-control-plane',
      'kube-scheduler-control-plane',
    ]);
    for (const pod of system) {
      expect(pod.metadata.labels).toMatchObject({ tier: 'control-plane' });
      expect(pod.spec).toMatchObject({
        priorityClassName: 'system-node-critical',
        nodeName: 'control-plane',
      });
      expect(phaseOf(pod)).toBe('Running');
    }
  });

  it('runs a Deployment: ReplicaSet, spread pods, status', () => {
    const { store, simulator } = setup();
    store.apply(deployment('team-a', 'api', 2));
    simulator.reconcileWorkloads();

    const [rs] = store.list({ kind: 'ReplicaSet', namespace: 'team-a' });
    expect(rs.metadata.name).toMatch(/^api-[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'api',
      controller: true,
    });

    const running = pods(store, 'team-a');
    expect(running).toHaveLength(2);
    for (const pod of running) {
      expect(pod.metadata.name).toMatch(
        new RegExp(`^${rs.metadata.name}-[a-z0-9]{5}$`),
      );
      expect(pod.metadata.labels?.['pod-template-hash']).toBe(
        rs.metadata.name.slice(4),
      );
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        name: rs.metadata.name,
      });
      expect(pod.status).toMatchObject({
        phase: 'Running',
        qosClass: 'Burstable',
        containerStatuses: [
          { ready: true, restartCount: 0, state: { running: {} } },
        ],
      });
      expect((pod.status as { podIP: string }).podIP).toMatch(
        /^10\.244\.\d+\.\d+$/,
      );
    }
    expect(new Set(running.map(nodeOf))).toEqual(
      new Set(['worker-apps', 'worker-infra']),
    );
    expect(getDeployment(store, 'team-a', 'api').status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True' },
      ],
    });

    // a steady cluster is not rewritten
    const version = store.resourceVersion;
    simulator.reconcileWorkloads();
    expect(store.resourceVersion).toBe(version);
  });

  it('gives every pod on a node its own IP', () => {
    const { store, simulator } = setup();
    store.apply(
      deployment('team-a', 'many', 70, { nodeSelector: { role: 'apps' } }),
    );
    simulator.reconcileWorkloads();
    const statuses = pods(store, 'team-a').map(
      p => p.status as { podIP: string; hostIP: string },
    );
    const ips = statuses.map(s => s.podIP);
    expect(ips).toHaveLength(70);
    expect(new Set(ips).size).toBe(70);
    expect(ips.every(ip => /^10\.244\.\d+\.\d+$/.test(ip))).toBe(true);
    expect(statuses.every(s => /^172\.18\.0\.\d+$/.test(s.hostIP))).toBe(true);
  });

  it('names are deterministic across runs', () => {
    const names = () => {
      const { store, simulator } = setup();
      store.apply(deployment('team-a', 'api', 3));
      simulator.reconcileWorkloads();
      return pods(store, 'team-a').map(p => p.metadata.name);
    };
    expect(names()).toEqual(names());
  });

  it('runs StatefulSets, DaemonSets and Jobs', () => {
    const { store, simulator } = setup();
    const template = {
      metadata: { labels: { app: 'x' } },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
    };
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'data' },
      spec: { replicas: 2, template },
    });
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'obs' },
      spec: {
        template: {
          ...template,
          spec: { ...template.spec, tolerations: [{ operator: 'Exists' }] },
        },
      },
    });
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'workers-only', namespace: 'obs' },
      spec: { template },
    });
    store.apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'data' },
      spec: { template },
    });
    simulator.reconcileWorkloads();

    expect(
      pods(store, 'data')
        .map(p => p.metadata.name)
        .filter(n => n.startsWith('db')),
    ).toEqual(['db-0', 'db-1']);
    const agents = pods(store, 'obs').filter(p =>
      p.metadata.name.startsWith('agent-'),
    );
    expect(agents.map(nodeOf).sort()).toEqual([
      'control-plane',
      'worker-apps',
      'worker-infra',
    ]);
    expect(
      pods(store, 'obs').filter(p =>
        p.metadata.name.startsWith('workers-only-'),
      ),
    ).toHaveLength(2);
    const [jobPod] = pods(store, 'data').filter(p =>
      p.metadata.name.startsWith('migrate-'),
    );
    expect(phaseOf(jobPod)).toBe('Succeeded');
    expect(
      store.get({
        apiVersion: 'batch/v1',
        kind: 'Job',
        namespace: 'data',
        name: 'migrate',
      })?.status,
    ).toMatchObject({
      succeeded: 1,
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Complete', status: 'True' }),
      ]),
    });
    expect(
      store.get({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        namespace: 'data',
        name: 'db',
      })?.status,
    ).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
    });
    expect(
      store.get({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        namespace: 'obs',
        name: 'agent',
      })?.status,
    ).toMatchObject({
      desiredNumberScheduled: 3,
      numberReady: 3,
    });
  });

  it('leaves unschedulable pods Pending with the scheduler message', () => {
    const { store, simulator } = setup();
    store.apply(
      deployment('team-a', 'gpu', 1, { nodeSelector: { accelerator: 'gpu' } }),
    );
    simulator.reconcileWorkloads();
    const [pod] = pods(store, 'team-a');
    expect(pod.status).toMatchObject({
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message:
            "0/3 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.",
        },
      ],
    });
  });

  it('schedules higher priority first and preempts lower priority pods when capacity is short', () => {
    const { store, simulator } = setup();
    store.apply({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'platform-infrastructure' },
      value: 1000000,
    });
    store.apply({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'user-workloads' },
      value: 3000,
    });
    const big = { cpu: '5', memory: '1Gi' };
    const withRequests = (d: KubernetesObject, priorityClassName: string) => {
      const spec = (d.spec as any).template.spec;
      spec.priorityClassName = priorityClassName;
      spec.containers[0].resources = { requests: big };
      return d;
    };
    store.apply(withRequests(deployment('apps', 'user', 2), 'user-workloads'));
    simulator.reconcileWorkloads();
    expect(pods(store, 'apps').every(p => phaseOf(p) === 'Running')).toBe(true);

    store.apply(
      withRequests(deployment('infra', 'core', 1), 'platform-infrastructure'),
    );
    simulator.reconcileWorkloads();
    const core = pods(store, 'infra');
    expect(core.map(phaseOf)).toEqual(['Running']);
    expect((core[0].spec as { priority: number }).priority).toBe(1000000);
    const user = pods(store, 'apps');
    expect(user.map(phaseOf).sort()).toEqual(['Pending', 'Running']);
    expect(getDeployment(store, 'apps', 'user').status).toMatchObject({
      readyReplicas: 1,
    });
  });

  it('fails a node: pods move, DaemonSet pods go not ready; heal schedules Pending pods', () => {
    const { store, simulator } = setup();
    store.apply(
      deployment('team-a', 'api', 2, { nodeSelector: { role: 'apps' } }),
    );
    store.apply(deployment('team-a', 'web', 2));
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'obs' },
      spec: {
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { containers: [{ name: 'a', image: 'agent:1' }] },
        },
      },
    });
    simulator.reconcileWorkloads();

    simulator.failNode('worker-apps');
    const node = store.get({
      apiVersion: 'v1',
      kind: 'Node',
      name: 'worker-apps',
    })!;
    expect(node.spec).toMatchObject({
      taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }],
    });
    expect(
      (node.status as any).conditions.find((c: any) => c.type === 'Ready'),
    ).toMatchObject({
      status: 'False',
      reason: 'NodeStatusUnknown',
    });

    const teamPods = pods(store, 'team-a');
    const web = teamPods.filter(p => p.metadata.name.startsWith('web-'));
    expect(web.map(nodeOf)).toEqual(['worker-infra', 'worker-infra']);
    expect(web.every(p => phaseOf(p) === 'Running')).toBe(true);
    const api = teamPods.filter(p => p.metadata.name.startsWith('api-'));
    expect(api.map(phaseOf)).toEqual(['Pending', 'Pending']);
    expect((api[0].status as any).conditions[0].message).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were not ready.",
    );
    const agentOnFailed = pods(store, 'obs').find(
      p => nodeOf(p) === 'worker-apps',
    )!;
    expect(agentOnFailed.status).toMatchObject({
      phase: 'Running',
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Ready', status: 'False' }),
      ]),
    });
    expect(getDeployment(store, 'team-a', 'api').status).toMatchObject({
      readyReplicas: 0,
      availableReplicas: 0,
    });

    simulator.healNode('worker-apps');
    const healed = pods(store, 'team-a').filter(p =>
      p.metadata.name.startsWith('api-'),
    );
    expect(healed.map(phaseOf)).toEqual(['Running', 'Running']);
    expect(healed.map(nodeOf)).toEqual(['worker-apps', 'worker-apps']);
    expect(
      store.get({ apiVersion: 'v1', kind: 'Node', name: 'worker-apps' })!.spec,
    ).not.toHaveProperty('taints');
    expect(
      pods(store, 'obs').every(
        p =>
          (p.status as any).conditions.find((c: any) => c.type === 'Ready')
            .status === 'True',
      ),
    ).toBe(true);
  });

  it('crashes and heals a workload', () => {
    const { store, simulator } = setup();
    store.apply(deployment('team-a', 'api', 2));
    simulator.reconcileWorkloads();
    simulator.crashWorkload({
      namespace: 'team-a',
      kind: 'Deployment',
      name: 'api',
    });
    simulator.reconcileWorkloads();
    for (const pod of pods(store, 'team-a')) {
      expect(pod.status).toMatchObject({
        phase: 'Running',
        containerStatuses: [
          {
            ready: false,
            restartCount: 2,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      });
    }
    expect(getDeployment(store, 'team-a', 'api').status).toMatchObject({
      readyReplicas: 0,
      availableReplicas: 0,
      conditions: [{ type: 'Available', status: 'False' }, expect.anything()],
    });

    // kubectl-style kind names work too
    simulator.healWorkload({
      namespace: 'team-a',
      kind: 'deployments',
      name: 'api',
    });
    for (const pod of pods(store, 'team-a')) {
      expect(pod.status).toMatchObject({
        containerStatuses: [
          { ready: true, restartCount: 2, state: { running: {} } },
        ],
      });
    }
    expect(getDeployment(store, 'team-a', 'api').status).toMatchObject({
      readyReplicas: 2,
    });
  });

  it('rolls out a new template and garbage-collects deleted workloads', () => {
    const { store, simulator } = setup();
    store.apply(deployment('team-a', 'api', 1));
    simulator.reconcileWorkloads();
    const before = pods(store, 'team-a')[0].metadata.name;
    const changed = deployment('team-a', 'api', 1);
    (changed.spec as any).template.spec.containers[0].image =
      'example/api:2.0.0';
    store.apply(changed);
    simulator.reconcileWorkloads();
    expect(
      store.list({ kind: 'ReplicaSet', namespace: 'team-a' }),
    ).toHaveLength(1);
    const after = pods(store, 'team-a');
    expect(after).toHaveLength(1);
    expect(after[0].metadata.name).not.toBe(before);

    store.delete({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'team-a',
      name: 'api',
    });
    simulator.reconcileWorkloads();
    expect(
      store.list({ kind: 'ReplicaSet', namespace: 'team-a' }),
    ).toHaveLength(0);
    expect(pods(store, 'team-a')).toHaveLength(0);
  });

  it('throws NotFoundError for unknown nodes and workloads', () => {
    const { simulator } = setup();
    expect(() => simulator.failNode('nope')).toThrow(NotFoundError);
    expect(() =>
      simulator.crashWorkload({
        namespace: 'x',
        kind: 'Deployment',
        name: 'y',
      }),
    ).toThrow(NotFoundError);
  });

  it('moves pods of foreign controllers (synthetic clusters) without replacing them', () => {
    const store = new ClusterStore();
    generateSyntheticCluster(store, {
      nodes: 4,
      namespaces: 3,
      pods: 60,
      reports: 0,
    });
    const simulator = new ClusterSimulator({ store });
    const before = pods(store)
      .map(p => p.metadata.name)
      .sort();
    const [worker] = store
      .list({ kind: 'Node' })
      .filter(
        n =>
          !(
            'node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {})
          ),
      );
    simulator.failNode(worker.metadata.name);
    const after = pods(store);
    expect(after.map(p => p.metadata.name).sort()).toEqual(before);
    expect(after.filter(p => nodeOf(p) === worker.metadata.name)).toEqual([]);
    expect(after.every(p => phaseOf(p) === 'Running')).toBe(true);
    expect(store.list({ kind: 'ReplicaSet' })).toHaveLength(
      store.list({ kind: 'Deployment' }).length,
    );
  });
});
