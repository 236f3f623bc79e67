import { inventoryFromKubernetes, nodeFromKubernetes } from './inventory';
import { cpuMillis, memoryBytes } from './quantity';
import { parseLabelSelector } from './labelSelector';
import { parseTier } from './tiers';

describe('inventoryFromKubernetes', () => {
  const inventory = inventoryFromKubernetes({
    nodes: [
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: 'control-plane',
          labels: { 'node-role.kubernetes.io/control-plane': '' },
        },
        spec: {
          taints: [
            {
              key: 'node-role.kubernetes.io/control-plane',
              effect: 'NoSchedule',
            },
          ],
        },
        status: {
          allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'w1', labels: { role: 'infra' } },
        status: {
          allocatable: { cpu: '7800m', memory: '31Gi' },
          conditions: [{ type: 'Ready', status: 'Unknown' }],
        },
      },
    ],
    deployments: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'a', labels: { x: '1' } },
        spec: {
          replicas: 2,
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { priorityClassName: 'user-workloads' },
          },
        },
      },
    ],
    replicaSets: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'web-abc',
          namespace: 'a',
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'web',
              uid: 'd1',
              controller: true,
            },
          ],
        },
        spec: { replicas: 2 },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'lonely', namespace: 'a' },
        spec: { replicas: 0 },
      },
    ],
    statefulSets: [],
    daemonSets: [
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'kube-system' },
        status: { desiredNumberScheduled: 2 },
      },
    ],
    pods: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'web-abc-1',
          namespace: 'a',
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: 'web-abc',
              uid: 'rs1',
              controller: true,
            },
          ],
        },
        spec: {
          nodeName: 'w1',
          priority: 3000,
          containers: [
            { resources: { requests: { cpu: '250m', memory: '128Mi' } } },
            { resources: { requests: { cpu: '0.5' } } },
          ],
          initContainers: [{ resources: { requests: { cpu: '2' } } }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'role', operator: 'In', values: ['infra'] },
                    ],
                  },
                ],
              },
            },
          },
        },
        status: {
          phase: 'Running',
          conditions: [
            { type: 'Ready', status: 'False', message: 'containers not ready' },
          ],
          containerStatuses: [
            {
              state: {
                waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m' },
              },
            },
          ],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'job-1',
          namespace: 'a',
          ownerReferences: [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              name: 'migrate',
              uid: 'j1',
              controller: true,
            },
          ],
        },
        status: { phase: 'Running' },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'done', namespace: 'a' },
        status: { phase: 'Succeeded' },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'waiting', namespace: 'a' },
        spec: {},
        status: {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/2 nodes are available',
            },
          ],
        },
      },
    ],
    priorityClasses: [
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'user-workloads' },
        value: 3000,
      },
    ],
  });

  it('follows ReplicaSets to their Deployment and drops Job and finished pods', () => {
    expect(
      inventory.pods.map(p => [p.name, p.owner?.kind, p.owner?.name]),
    ).toEqual([
      ['web-abc-1', 'Deployment', 'web'],
      ['waiting', undefined, undefined],
    ]);
    expect(
      inventory.workloads.map(w => [
        w.kind,
        w.name,
        w.desiredReplicas,
        w.priorityClassName,
      ]),
    ).toEqual([
      ['Deployment', 'web', 2, 'user-workloads'],
      ['DaemonSet', 'agent', 2, undefined],
    ]);
    expect(inventory.priorityClasses).toEqual({ 'user-workloads': 3000 });
  });

  it('reads requests (init containers included), affinity and problems', () => {
    const [web, waiting] = inventory.pods;
    expect(web.requests).toEqual({
      cpuMillis: 2000,
      memoryBytes: 128 * 2 ** 20,
      pods: 1,
    });
    expect(web.requiredNodeAffinity).toEqual([
      [{ key: 'role', operator: 'In', values: ['infra'] }],
    ]);
    expect(web.problem).toEqual({
      reason: 'CrashLoopBackOff',
      message: 'back-off 5m',
    });
    expect(waiting.problem).toEqual({
      reason: 'Pending',
      message: 'Unschedulable: 0/2 nodes are available',
    });
  });

  it('reads node pools, control plane, readiness and allocatable', () => {
    expect(
      inventory.nodes.map(n => [
        n.name,
        n.pool,
        n.controlPlane,
        n.ready,
        n.allocatable.cpuMillis,
      ]),
    ).toEqual([
      ['control-plane', 'control-plane', true, true, 4000],
      ['w1', 'infra', false, false, 7800],
    ]);
    expect(
      nodeFromKubernetes({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'x', labels: { 'node-role.kubernetes.io/gpu': '' } },
      }).pool,
    ).toBe('gpu');
  });
});

describe('small parsers', () => {
  it.each([
    ['500m', 500],
    ['2', 2000],
    ['0.25', 250],
    ['1e-3', 1],
    // An exponent and a suffix together is not a quantity (resource.ParseQuantity rejects it).
    ['1e3m', 0],
    ['bogus', 0],
  ])('cpu %s is %i millicores', (value, expected) =>
    expect(cpuMillis(value)).toBe(expected),
  );

  it.each([
    ['1Gi', 2 ** 30],
    ['128Mi', 128 * 2 ** 20],
    ['1G', 1e9],
    ['1k', 1000],
  ])('memory %s is %i bytes', (value, expected) =>
    expect(memoryBytes(value)).toBe(expected),
  );

  it.each([
    ['1', 1],
    ['4', 4],
    [2, 2],
    ['5', undefined],
    ['', undefined],
    ['two', undefined],
  ])('tier %j parses to %j', (value, expected) =>
    expect(parseTier(value)).toBe(expected),
  );

  it('parses set-based and equality label selectors and rejects garbage', () => {
    expect(parseLabelSelector('a=b,c!=d,e in (f, g),!h,i')).toEqual([
      { key: 'a', operator: 'In', values: ['b'] },
      { key: 'c', operator: 'NotIn', values: ['d'] },
      { key: 'e', operator: 'In', values: ['f', 'g'] },
      { key: 'h', operator: 'DoesNotExist', values: [] },
      { key: 'i', operator: 'Exists', values: [] },
    ]);
    expect(() => parseLabelSelector('a b c')).toThrow('invalid label selector');
  });
});

describe('inventoryFromKubernetes owner roll-up', () => {
  const reference = (kind: string, name: string) => ({
    apiVersion: 'apps/v1',
    kind,
    name,
    uid: `${kind}-${name}`,
    controller: true,
  });
  const pod = (name: string, owner: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'a',
      ownerReferences: [reference('ReplicaSet', owner)],
    },
    status: { phase: 'Running' },
  });
  const replicaSet = (name: string, owner: string) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'a',
      ownerReferences: [reference('ReplicaSet', owner)],
    },
    spec: { replicas: 1 },
  });

  it('keeps an unlisted ReplicaSet as the owner, and stops at ownerReference cycles', () => {
    const inventory = inventoryFromKubernetes({
      nodes: [],
      pods: [pod('orphan', 'gone'), pod('looped', 'rs-a')],
      deployments: [],
      replicaSets: [replicaSet('rs-a', 'rs-b'), replicaSet('rs-b', 'rs-a')],
      statefulSets: [],
      daemonSets: [],
      priorityClasses: [],
    });
    expect(inventory.pods.map(p => [p.name, p.owner])).toEqual([
      ['orphan', { kind: 'ReplicaSet', namespace: 'a', name: 'gone' }],
      ['looped', { kind: 'ReplicaSet', namespace: 'a', name: 'rs-a' }],
    ]);
    expect(inventory.workloads.map(w => w.name)).toEqual(['rs-a', 'rs-b']);
  });
});
