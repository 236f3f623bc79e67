import { ClusterStore } from '../store';
import {
  generateSyntheticCluster,
  parseScaleSpec,
  ScaleSpecError,
} from './generateSyntheticCluster';

describe('parseScaleSpec', () => {
  it('parses all keys and defaults missing ones', () => {
    expect(
      parseScaleSpec('nodes=10,namespaces=20,pods=300,reports=40'),
    ).toEqual({ nodes: 10, namespaces: 20, pods: 300, reports: 40 });
    expect(parseScaleSpec('pods=7')).toEqual({
      nodes: 3,
      namespaces: 5,
      pods: 7,
      reports: 0,
    });
  });
  it.each(['nodes=x', 'cpus=3', 'nodes', 'nodes=0'])('rejects %j', spec => {
    expect(() => parseScaleSpec(spec)).toThrow(ScaleSpecError);
  });
});

describe('generateSyntheticCluster', () => {
  const scale = { nodes: 5, namespaces: 4, pods: 31, reports: 10 };

  it('creates the requested numbers of objects', () => {
    const store = new ClusterStore();
    generateSyntheticCluster(store, scale);
    expect(store.list({ kind: 'Node' })).toHaveLength(5);
    expect(store.list({ kind: 'Namespace' })).toHaveLength(5); // + argocd
    expect(store.list({ kind: 'Pod' })).toHaveLength(31);
    expect(store.list({ kind: 'Deployment' })).toHaveLength(11);
    expect(store.list({ kind: 'ReplicaSet' })).toHaveLength(11);
    expect(
      store.list({ kind: 'Application', namespace: 'argocd' }),
    ).toHaveLength(4);
    const reports = store.list({ kind: 'PolicyReport' });
    expect(reports).toHaveLength(10);
    const pods = store.list({ kind: 'Pod' });
    for (const report of reports) {
      const scoped = pods.find(p => p.metadata.uid === report.metadata.name);
      expect(scoped).toBeDefined();
      expect(report.scope).toMatchObject({
        kind: 'Pod',
        name: scoped!.metadata.name,
      });
      expect((report as any).results).toHaveLength(4);
      expect((report as any).results[0]).toEqual(
        expect.objectContaining({
          policy: expect.any(String),
          result: expect.stringMatching(/^(pass|fail)$/),
          source: 'kyverno',
        }),
      );
    }
    // Workers only: the control plane is tainted.
    expect(pods.every(p => (p as any).spec.nodeName !== 'control-plane')).toBe(
      true,
    );
  });

  it('is deterministic', () => {
    const a = new ClusterStore();
    const b = new ClusterStore();
    generateSyntheticCluster(a, scale);
    generateSyntheticCluster(b, scale);
    const strip = (store: ClusterStore) =>
      store.all().map(o => ({
        ...o,
        metadata: { ...o.metadata, resourceVersion: undefined },
      }));
    expect(strip(a)).toEqual(strip(b));
  });

  it('generates thousands of pods in reasonable time', () => {
    const store = new ClusterStore();
    const started = Date.now();
    generateSyntheticCluster(store, {
      nodes: 20,
      namespaces: 50,
      pods: 5000,
      reports: 500,
    });
    expect(store.listShared({ kind: 'Pod' })).toHaveLength(5000);
    expect(Date.now() - started).toBeLessThan(15000);
  });
});
