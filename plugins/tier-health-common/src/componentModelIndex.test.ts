import {
  buildComponents,
  CatalogComponentMatcher,
  ComponentModelIndex,
} from './components';
import type { KubernetesObject } from './inventory';
import { InventoryIndex } from './inventoryIndex';
import { priorityClassTiers } from './tiers';
import type { CatalogComponent } from './types';

/** Park–Miller: every run replays the same event sequences. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

const NAMESPACES = ['team-a', 'team-b'];
const node = (name: string, ready: boolean): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { role: 'apps' } },
  status: {
    allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }],
  },
});
const controller = (kind: string, name: string) => ({
  apiVersion: 'apps/v1',
  kind,
  name,
  uid: `uid-${kind}-${name}`,
  controller: true,
});
const deployment = (
  namespace: string,
  name: string,
  replicas: number,
  id: string,
): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name,
    namespace,
    labels: { 'backstage.io/kubernetes-id': id },
  },
  spec: {
    replicas,
    template: {
      metadata: { labels: { app: name } },
      spec: { priorityClassName: replicas > 2 ? 'platform' : undefined },
    },
  },
});
const replicaSet = (namespace: string, name: string): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `${name}-rs`,
    namespace,
    ownerReferences: [controller('Deployment', name)],
  },
  spec: { replicas: 1 },
});
const pod = (
  namespace: string,
  name: string,
  options: {
    owner?: string;
    nodeName?: string;
    ready: boolean;
    labels: Record<string, string>;
  },
): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    labels: options.labels,
    ownerReferences: options.owner
      ? [controller('ReplicaSet', `${options.owner}-rs`)]
      : [],
  },
  spec: {
    nodeName: options.nodeName,
    priorityClassName: options.ready ? undefined : 'platform',
    containers: [{ resources: { requests: { cpu: '100m' } } }],
  },
  status: {
    phase: options.nodeName ? 'Running' : 'Pending',
    conditions: [{ type: 'Ready', status: options.ready ? 'True' : 'False' }],
  },
});

const catalog: CatalogComponent[] = [
  { entityRef: 'component:default/alpha', kubernetesId: 'alpha', tier: 1 },
  { entityRef: 'component:default/beta', kubernetesId: 'beta' },
  {
    entityRef: 'component:default/gamma',
    labelSelector: 'app=d3',
    namespace: 'team-b',
    title: 'Gamma',
  },
  { entityRef: 'component:default/loose', kubernetesId: 'loose' },
];

/**
 * Random pod, node and Deployment events; after each, the model derived from the last version
 * must equal one built from scratch.
 */
function runSequence(seed: number, steps: number) {
  const random = seeded(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const tiers = priorityClassTiers();
  const matcher = new CatalogComponentMatcher(catalog);
  const index = new InventoryIndex();
  const models = new ComponentModelIndex();
  const nodes = ['n0', 'n1', 'n2', 'n3'];
  const deployments = ['d0', 'd1', 'd2', 'd3', 'd4'];
  const ids = ['alpha', 'beta', 'other', 'loose'];
  // `namespace/name`: the same pod name in both namespaces gives components of equal names
  const podNames = Array.from(
    { length: 24 },
    (_, i) => `${NAMESPACES[i % 2]}/p${i % 12}`,
  );

  const randomLabels = (): Record<string, string> => {
    const roll = random();
    if (roll < 0.3) return { 'backstage.io/kubernetes-id': pick(ids) };
    return roll < 0.45 ? { app: 'd3' } : {};
  };
  const randomPod = (name: string) =>
    pod(pick(NAMESPACES), name, {
      owner: random() < 0.8 ? pick(deployments) : undefined,
      nodeName: random() < 0.9 ? pick(nodes) : undefined,
      ready: random() < 0.7,
      labels: randomLabels(),
    });
  const sync = (
    kind: Parameters<InventoryIndex['apply']>[0],
    objects: KubernetesObject[],
  ) => index.apply(kind, { type: 'SYNCED', objects });
  sync(
    'nodes',
    nodes.map(n => node(n, true)),
  );
  sync(
    'deployments',
    NAMESPACES.flatMap(ns =>
      deployments.map(d => deployment(ns, d, 2, pick(ids))),
    ),
  );
  sync(
    'replicaSets',
    NAMESPACES.flatMap(ns => deployments.map(d => replicaSet(ns, d))),
  );
  sync('statefulSets', []);
  sync('daemonSets', []);
  sync('priorityClasses', []);
  // pods keep one namespace for life, so a MODIFIED event replaces the same pod
  const split = (id: string) => {
    const [namespace, name] = id.split('/');
    return { namespace, name };
  };
  const podObject = (id: string) => {
    const { namespace, name } = split(id);
    const object = randomPod(name);
    return { ...object, metadata: { ...object.metadata, namespace } };
  };
  sync('pods', podNames.filter(() => random() < 0.7).map(podObject));

  let derived = 0;
  let previousKey = 'none';
  let previous: ReturnType<ComponentModelIndex['modelOf']> | undefined;
  for (let step = 0; step < steps; step++) {
    const roll = random();
    if (roll < 0.55) {
      index.apply('pods', {
        type: 'MODIFIED',
        object: podObject(pick(podNames)),
      });
    } else if (roll < 0.65) {
      const { namespace, name } = split(pick(podNames));
      index.apply('pods', {
        type: 'DELETED',
        object: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace },
        },
      });
    } else if (roll < 0.85) {
      index.apply('nodes', {
        type: 'MODIFIED',
        object: node(pick(nodes), random() < 0.6),
      });
    } else {
      index.apply('deployments', {
        type: random() < 0.15 ? 'DELETED' : 'MODIFIED',
        object: deployment(
          pick(NAMESPACES),
          pick(deployments),
          Math.floor(random() * 4),
          pick(ids),
        ),
      });
    }
    const inventory = index.inventory();
    const model = models.modelOf(inventory, matcher, tiers);
    const fresh = buildComponents(inventory, catalog, tiers);
    expect(model.podComponentKeys).toEqual(fresh.podComponentKeys);
    // read one component first, sometimes all: what a version left unread must still be right
    const key = pick(fresh.components.map(c => c.key).concat('none'));
    expect(model.component(key)).toEqual(
      fresh.components.find(c => c.key === key),
    );
    if (random() < 0.5) expect(model.components).toEqual(fresh.components);
    // a derived model shares the components no event touched with the last one
    const shared = model.component(previousKey);
    if (
      previous &&
      (model.podComponentKeys === previous.podComponentKeys ||
        (shared !== undefined && shared === previous.component(previousKey)))
    )
      derived += 1;
    previous = model;
    previousKey = key;
  }
  return derived;
}

describe('ComponentModelIndex', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'equals a model built from scratch after every random event (seed %i)',
    seed => {
      const derived = runSequence(seed, 150);
      // the sequences must exercise the derived path, not only full builds
      expect(derived).toBeGreaterThan(20);
    },
  );

  it('keeps the components a pod event does not touch', () => {
    const tiers = priorityClassTiers();
    const matcher = new CatalogComponentMatcher(catalog);
    const index = new InventoryIndex();
    index.apply('nodes', { type: 'SYNCED', objects: [node('n0', true)] });
    index.apply('deployments', {
      type: 'SYNCED',
      objects: [
        deployment('team-a', 'd0', 1, 'alpha'),
        deployment('team-a', 'd1', 1, 'beta'),
      ],
    });
    index.apply('replicaSets', {
      type: 'SYNCED',
      objects: [replicaSet('team-a', 'd0'), replicaSet('team-a', 'd1')],
    });
    const podOf = (name: string, owner: string, ready: boolean) =>
      pod('team-a', name, { owner, nodeName: 'n0', ready, labels: {} });
    index.apply('pods', {
      type: 'SYNCED',
      objects: [podOf('a', 'd0', true), podOf('b', 'd1', true)],
    });
    const models = new ComponentModelIndex();
    const before = models.modelOf(index.inventory(), matcher, tiers);
    const beta = before.component('component:default/beta');
    expect(before.component('component:default/alpha')?.ready).toBe(1);

    index.apply('pods', { type: 'MODIFIED', object: podOf('a', 'd0', false) });
    const after = models.modelOf(index.inventory(), matcher, tiers);
    expect(after.component('component:default/alpha')?.ready).toBe(0);
    expect(after.component('component:default/beta')).toBe(beta);
    expect(after.components).toEqual(
      buildComponents(index.inventory(), catalog, tiers).components,
    );
  });

  it('orders components of equal names as a full build after a pod leaves', () => {
    const tiers = priorityClassTiers();
    const matcher = new CatalogComponentMatcher(catalog);
    const index = new InventoryIndex();
    for (const kind of [
      'deployments',
      'replicaSets',
      'statefulSets',
      'daemonSets',
      'priorityClasses',
    ] as const)
      index.apply(kind, { type: 'SYNCED', objects: [] });
    index.apply('nodes', { type: 'SYNCED', objects: [node('n0', true)] });
    // static-style pods: each namespace's `etcd` pods are one component named etcd
    const etcd = (namespace: string, name: string) =>
      pod(namespace, name, {
        nodeName: 'n0',
        ready: true,
        labels: { component: 'etcd' },
      });
    index.apply('pods', {
      type: 'SYNCED',
      objects: [
        etcd('team-a', 'a1'),
        etcd('team-b', 'b1'),
        etcd('team-a', 'a2'),
      ],
    });
    const models = new ComponentModelIndex();
    expect(
      models
        .modelOf(index.inventory(), matcher, tiers)
        .components.map(c => c.key),
    ).toEqual(['team-a/Pod/etcd', 'team-b/Pod/etcd']);

    index.apply('pods', { type: 'DELETED', object: etcd('team-a', 'a1') });
    const after = models.modelOf(index.inventory(), matcher, tiers);
    expect(after.components).toEqual(
      buildComponents(index.inventory(), catalog, tiers).components,
    );
    expect(after.components.map(c => c.key)).toEqual([
      'team-b/Pod/etcd',
      'team-a/Pod/etcd',
    ]);
  });
});
