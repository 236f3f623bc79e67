import { ClusterStore } from './ClusterStore';
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
});
