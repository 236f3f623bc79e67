import {
  inventoryFromKubernetes,
  type KubernetesLists,
  type KubernetesObject,
} from './inventory';
import { InventoryIndex, type InventoryKind } from './inventoryIndex';

const node = (name: string, ready = true): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { role: 'apps' } },
  status: {
    allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }],
  },
});
const deployment = (name: string, replicas = 2): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'team', labels: { app: name } },
  spec: { replicas, template: { metadata: { labels: { app: name } } } },
});
const replicaSet = (
  name: string,
  deploymentName?: string,
): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: 'team',
    ownerReferences: deploymentName
      ? [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: deploymentName,
            uid: `uid-${deploymentName}`,
            controller: true,
          },
        ]
      : [],
  },
  spec: { replicas: 1 },
});
const pod = (
  name: string,
  owner: { kind: string; name: string },
  phase = 'Running',
): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'team',
    ownerReferences: [
      {
        apiVersion: owner.kind === 'Job' ? 'batch/v1' : 'apps/v1',
        uid: `uid-${owner.name}`,
        ...owner,
        controller: true,
      },
    ],
  },
  spec: {
    nodeName: 'w1',
    containers: [{ resources: { requests: { cpu: '100m' } } }],
  },
  status: { phase, conditions: [{ type: 'Ready', status: 'True' }] },
});

const priorityClass = (value: number): KubernetesObject => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name: 'platform' },
  value,
});

function lists(): KubernetesLists {
  return {
    nodes: [node('w1'), node('w2')],
    pods: [
      pod('web-rs-a', { kind: 'ReplicaSet', name: 'web-rs' }),
      pod('web-rs-b', { kind: 'ReplicaSet', name: 'web-rs' }),
      pod('db-0', { kind: 'StatefulSet', name: 'db' }),
      pod('migrate', { kind: 'Job', name: 'migrate' }),
    ],
    deployments: [deployment('web')],
    replicaSets: [replicaSet('web-rs', 'web'), replicaSet('bare-rs')],
    statefulSets: [deployment('db', 1)],
    daemonSets: [],
    priorityClasses: [priorityClass(1000)],
  };
}

function synced(from: KubernetesLists): InventoryIndex {
  const index = new InventoryIndex();
  for (const [kind, objects] of Object.entries(from))
    index.apply(kind as InventoryKind, { type: 'SYNCED', objects });
  return index;
}

describe('InventoryIndex', () => {
  it('after the initial lists holds what a full reduction of them gives', () => {
    const index = synced(lists());
    expect(index.synced()).toBe(true);
    expect(index.inventory()).toEqual(inventoryFromKubernetes(lists()));
    expect(index.inventory().pods.map(p => p.owner?.kind)).toEqual([
      'Deployment',
      'Deployment',
      'StatefulSet',
    ]);
  });

  it('is not synced before every kind had its list', () => {
    const index = new InventoryIndex();
    index.apply('nodes', { type: 'SYNCED', objects: [node('w1')] });
    expect(index.synced()).toBe(false);
  });

  it('applies added, modified and deleted objects one at a time, as a rebuild would see them', () => {
    const index = synced(lists());
    const before = index.version();
    const first = index.inventory();
    expect(index.inventory()).toBe(first); // memoised while nothing changes

    const changed = lists();
    index.apply('nodes', { type: 'MODIFIED', object: node('w2', false) });
    changed.nodes[1] = node('w2', false);
    index.apply('pods', {
      type: 'ADDED',
      object: pod('web-rs-c', { kind: 'ReplicaSet', name: 'web-rs' }),
    });
    changed.pods.push(pod('web-rs-c', { kind: 'ReplicaSet', name: 'web-rs' }));
    index.apply('pods', { type: 'DELETED', object: changed.pods[2] });
    changed.pods.splice(2, 1);
    index.apply('replicaSets', {
      type: 'DELETED',
      object: replicaSet('bare-rs'),
    });
    changed.replicaSets.pop();
    index.apply('statefulSets', {
      type: 'DELETED',
      object: deployment('db', 1),
    });
    changed.statefulSets = [];
    index.apply('priorityClasses', {
      type: 'MODIFIED',
      object: priorityClass(2000),
    });
    changed.priorityClasses = [priorityClass(2000)];

    expect(index.version()).toBe(before + 6);
    const after = index.inventory();
    expect(after).not.toBe(first);
    expect(after).toEqual(inventoryFromKubernetes(changed));
  });

  it('resolves pods to their Deployment when the ReplicaSet arrives after them', () => {
    const index = new InventoryIndex();
    index.apply('pods', {
      type: 'ADDED',
      object: pod('web-rs-a', { kind: 'ReplicaSet', name: 'web-rs' }),
    });
    expect(index.inventory().pods[0].owner).toEqual({
      kind: 'ReplicaSet',
      namespace: 'team',
      name: 'web-rs',
    });
    index.apply('replicaSets', {
      type: 'ADDED',
      object: replicaSet('web-rs', 'web'),
    });
    expect(index.inventory().pods[0].owner).toEqual({
      kind: 'Deployment',
      namespace: 'team',
      name: 'web',
    });
    index.apply('replicaSets', {
      type: 'DELETED',
      object: replicaSet('web-rs', 'web'),
    });
    expect(index.inventory().pods[0].owner?.kind).toBe('ReplicaSet');
  });

  it('drops a pod that finishes and a workload scaled to zero', () => {
    const index = synced(lists());
    index.apply('pods', {
      type: 'MODIFIED',
      object: pod('db-0', { kind: 'StatefulSet', name: 'db' }, 'Succeeded'),
    });
    index.apply('deployments', {
      type: 'MODIFIED',
      object: deployment('web', 0),
    });
    const inventory = index.inventory();
    expect(inventory.pods.map(p => p.name)).toEqual(['web-rs-a', 'web-rs-b']);
    expect(inventory.workloads.map(w => w.name)).toEqual(['bare-rs', 'db']);
  });

  it('places a ReplicaSet again when it scales, and every pod again when its owner changes', () => {
    const index = synced(lists());
    const scaled = (replicas: number) => ({
      ...replicaSet('bare-rs'),
      spec: { replicas },
    });
    index.apply('replicaSets', { type: 'MODIFIED', object: scaled(0) });
    expect(index.inventory().workloads.map(w => w.name)).toEqual(['web', 'db']);
    index.apply('replicaSets', { type: 'MODIFIED', object: scaled(3) });
    expect(
      index.inventory().workloads.find(w => w.name === 'bare-rs'),
    ).toMatchObject({ kind: 'ReplicaSet', desiredReplicas: 3 });
    // web-rs loses its Deployment: it becomes a workload and its pods count towards it
    index.apply('replicaSets', {
      type: 'MODIFIED',
      object: replicaSet('web-rs'),
    });
    const changed = lists();
    changed.replicaSets = [replicaSet('web-rs'), scaled(3)];
    expect(index.inventory()).toEqual(inventoryFromKubernetes(changed));
    expect(index.inventory().pods[0].owner?.kind).toBe('ReplicaSet');
  });

  it('replaces what it holds of a kind on a relist', () => {
    const index = synced(lists());
    index.apply('nodes', { type: 'SYNCED', objects: [node('w3')] });
    expect(index.inventory().nodes.map(n => n.name)).toEqual(['w3']);
  });
});
