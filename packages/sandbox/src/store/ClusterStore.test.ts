import { ClusterStore, type ChangeEvent } from './ClusterStore';
import {
  LabelSelectorError,
  type KubernetesObject,
} from '@internal/kube-model';

function pod(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  nodeName = 'worker-apps',
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName, containers: [{ name: 'main', image: 'nginx:1.27' }] },
    status: { phase: 'Running' },
  };
}

describe('ClusterStore', () => {
  it('assigns uid, creationTimestamp, generation and resourceVersion on create', () => {
    const store = new ClusterStore();
    const stored = store.apply(pod('a', 'p1'));
    expect(stored.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored.metadata.creationTimestamp).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(stored.metadata.generation).toBe(1);
    expect(stored.metadata.resourceVersion).toBe(store.resourceVersion);
  });

  it('keeps uid and creationTimestamp on replace and bumps generation only when spec changes', () => {
    const store = new ClusterStore();
    const first = store.apply(pod('a', 'p1'));
    const relabelled = store.apply(pod('a', 'p1', { app: 'x' }));
    expect(relabelled.metadata.uid).toBe(first.metadata.uid);
    expect(relabelled.metadata.creationTimestamp).toBe(
      first.metadata.creationTimestamp,
    );
    expect(relabelled.metadata.generation).toBe(1);
    expect(Number(relabelled.metadata.resourceVersion)).toBeGreaterThan(
      Number(first.metadata.resourceVersion),
    );
    const moved = store.apply(pod('a', 'p1', {}, 'worker-infra'));
    expect(moved.metadata.generation).toBe(2);
  });

  it('keeps the stored status when an object is applied without one', () => {
    const store = new ClusterStore();
    store.apply(pod('a', 'p1'));
    const { status: _dropped, ...withoutStatus } = pod('a', 'p1');
    expect(store.apply(withoutStatus as KubernetesObject).status).toEqual({
      phase: 'Running',
    });
  });

  it('updates status without a generation bump', () => {
    const store = new ClusterStore();
    store.apply(pod('a', 'p1'));
    const ref = { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'p1' };
    const updated = store.updateStatus(ref, { phase: 'Failed' });
    expect(updated?.status).toEqual({ phase: 'Failed' });
    expect(updated?.metadata.generation).toBe(1);
    expect(store.updateStatus({ ...ref, name: 'nope' }, {})).toBeUndefined();
  });

  it('returns deep copies', () => {
    const store = new ClusterStore();
    const input = pod('a', 'p1', { app: 'x' });
    const stored = store.apply(input);
    input.metadata.labels!.app = 'changed';
    stored.metadata.labels!.app = 'changed';
    const ref = { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'p1' };
    store.get(ref)!.metadata.labels!.app = 'changed';
    store.list({ kind: 'Pod' })[0].metadata.labels!.app = 'changed';
    store.all()[0].metadata.labels!.app = 'changed';
    expect(store.get(ref)!.metadata.labels).toEqual({ app: 'x' });
  });

  it('identifies objects by group, not version', () => {
    const store = new ClusterStore();
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'a' },
      spec: {},
    };
    store.apply(deployment);
    expect(
      store.get({
        apiVersion: 'apps/v1beta2',
        kind: 'Deployment',
        namespace: 'a',
        name: 'd',
      }),
    ).toBeDefined();
    expect(
      store.get({
        apiVersion: 'extensions/v1beta1',
        kind: 'Deployment',
        namespace: 'a',
        name: 'd',
      }),
    ).toBeUndefined();
    expect(
      store.list({ kind: 'Deployment', apiVersion: 'apps/v1' }),
    ).toHaveLength(1);
    expect(store.list({ kind: 'Deployment', apiVersion: 'v1' })).toHaveLength(
      0,
    );
  });

  it('lists by namespace, label and field selectors, sorted by namespace and name', () => {
    const store = new ClusterStore();
    store.apply(pod('b', 'p2', { app: 'web' }));
    store.apply(pod('a', 'p9', { app: 'web' }, 'worker-infra'));
    store.apply(pod('a', 'p1', { app: 'db' }));
    store.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'a' },
    });
    const names = (objs: KubernetesObject[]) =>
      objs.map(o => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(names(store.list({ kind: 'Pod' }))).toEqual([
      'a/p1',
      'a/p9',
      'b/p2',
    ]);
    expect(names(store.list({ kind: 'Pod', namespace: 'a' }))).toEqual([
      'a/p1',
      'a/p9',
    ]);
    expect(names(store.list({ kind: 'Pod', namespace: 'zzz' }))).toEqual([]);
    expect(
      names(store.list({ kind: 'Pod', labelSelector: 'app=web' })),
    ).toEqual(['a/p9', 'b/p2']);
    expect(
      names(
        store.list({
          kind: 'Pod',
          fieldSelector: 'spec.nodeName=worker-infra',
        }),
      ),
    ).toEqual(['a/p9']);
    expect(() => store.list({ kind: 'Pod', labelSelector: 'app in' })).toThrow(
      LabelSelectorError,
    );
    expect(store.list({ kind: 'Namespace' })).toHaveLength(1);
  });

  it('deletes and clears', () => {
    const store = new ClusterStore();
    store.apply(pod('a', 'p1'));
    const before = Number(store.resourceVersion);
    const ref = { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'p1' };
    expect(store.delete(ref)).toBe(true);
    expect(store.delete(ref)).toBe(false);
    expect(Number(store.resourceVersion)).toBe(before + 1);
    store.apply(pod('a', 'p2'));
    store.clear();
    expect(store.all()).toEqual([]);
    expect(store.list({ kind: 'Pod' })).toEqual([]);
  });

  it('lists 30,000 pods in one namespace of many quickly', () => {
    const store = new ClusterStore();
    for (let i = 0; i < 30000; i++)
      store.apply(pod(`ns-${i % 100}`, `p-${i}`, { app: `a${i % 7}` }));
    const started = Date.now();
    expect(store.list({ kind: 'Pod', namespace: 'ns-5' })).toHaveLength(300);
    expect(
      store.listShared({ kind: 'Pod', labelSelector: 'app=a3' }).length,
    ).toBeGreaterThan(4000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  describe('changes', () => {
    const ref = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'a',
      name,
    });
    const summary = (e: ChangeEvent) => [
      e.type,
      e.object.metadata.name,
      e.revision,
      e.object.metadata.resourceVersion,
      e.previous?.metadata.resourceVersion,
    ];

    it('tells subscribers about apply, updateStatus, delete and clear, one revision each', () => {
      const store = new ClusterStore();
      const seen: ChangeEvent[] = [];
      const unsubscribe = store.subscribe(e => seen.push(e));
      store.apply(pod('a', 'p1'));
      store.apply(pod('a', 'p1', { app: 'x' }));
      store.updateStatus(ref('p1'), { phase: 'Failed' });
      store.delete(ref('p1'));
      store.apply(pod('a', 'p2'));
      store.apply(pod('b', 'p3'));
      store.clear();
      expect(seen.map(summary)).toEqual([
        ['ADDED', 'p1', 1, '1', undefined],
        ['MODIFIED', 'p1', 2, '2', '1'],
        ['MODIFIED', 'p1', 3, '3', '2'],
        // A deletion has its own, new resourceVersion; previous is the last stored state.
        ['DELETED', 'p1', 4, '4', '3'],
        ['ADDED', 'p2', 5, '5', undefined],
        ['ADDED', 'p3', 6, '6', undefined],
        ['DELETED', 'p2', 7, '7', '5'],
        ['DELETED', 'p3', 8, '8', '6'],
      ]);
      expect(seen[2].object.status).toEqual({ phase: 'Failed' });
      expect(seen[3].object.status).toEqual({ phase: 'Failed' });
      expect(store.resourceVersion).toBe('8');
      unsubscribe();
      store.apply(pod('a', 'p4'));
      expect(seen).toHaveLength(8);
    });

    it('never mutates an object it handed to a change', () => {
      const store = new ClusterStore();
      const seen: ChangeEvent[] = [];
      store.subscribe(e => seen.push(e));
      store.apply(pod('a', 'p1'));
      const added = JSON.stringify(seen[0].object);
      store.updateStatus(ref('p1'), { phase: 'Succeeded' });
      store.apply(pod('a', 'p1', { app: 'y' }));
      store.delete(ref('p1'));
      expect(JSON.stringify(seen[0].object)).toBe(added);
    });

    it('keeps a bounded history to resume from; older versions are expired', () => {
      const store = new ClusterStore({ historyLimit: 3 });
      expect(store.changesSince('0')).toEqual([]);
      for (let i = 1; i <= 5; i++) store.apply(pod('a', `p${i}`));
      expect(store.oldestResourceVersion).toBe('2');
      expect(store.changesSince('1')).toBeUndefined();
      expect(store.changesSince('2')!.map(e => e.revision)).toEqual([3, 4, 5]);
      expect(store.changesSince('4')!.map(e => e.revision)).toEqual([5]);
      expect(store.changesSince('5')).toEqual([]);
      expect(store.changesSince('6')).toBeUndefined(); // ahead: another run's version
      expect(store.changesSince('x')).toBeUndefined();
    });

    it('starts at initialResourceVersion and keeps writing when a listener throws', () => {
      const errors: unknown[] = [];
      const store = new ClusterStore({
        initialResourceVersion: 1000,
        onListenerError: error => errors.push(error),
      });
      store.subscribe(() => {
        throw new Error('listener bug');
      });
      const seen: string[] = [];
      store.subscribe(e => seen.push(e.object.metadata.name));
      expect(store.apply(pod('a', 'p1')).metadata.resourceVersion).toBe('1001');
      expect(seen).toEqual(['p1']);
      expect(errors).toHaveLength(1);
      expect(store.changesSince('999')).toBeUndefined();
      expect(store.changesSince('1000')).toHaveLength(1);
      expect(() => new ClusterStore({ historyLimit: 0 })).toThrow(RangeError);
    });
  });

  it('lists a page after a position, skipping whole namespaces before it', () => {
    const store = new ClusterStore();
    for (const ns of ['b', 'a', 'c']) {
      for (const name of ['p2', 'p1', 'p3']) store.apply(pod(ns, name));
    }
    const keys = (objects: ReadonlyArray<{ metadata: any }>) =>
      objects.map(o => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(keys(store.listShared({ kind: 'Pod' }, { limit: 2 }))).toEqual([
      'a/p1',
      'a/p2',
    ]);
    expect(
      keys(
        store.listShared(
          { kind: 'Pod' },
          { after: { namespace: 'a', name: 'p3' }, limit: 4 },
        ),
      ),
    ).toEqual(['b/p1', 'b/p2', 'b/p3', 'c/p1']);
    expect(
      keys(
        store.listShared(
          { kind: 'Pod', namespace: 'c' },
          { after: { namespace: 'c', name: 'p1' } },
        ),
      ),
    ).toEqual(['c/p2', 'c/p3']);
  });
});
