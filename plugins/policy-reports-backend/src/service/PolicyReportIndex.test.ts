import type { PolicyResult } from '@internal/plugin-policy-reports-common';
import type { ClusterPolicyData } from './loadClusterPolicyData';
import {
  PolicyReportIndex,
  type PolicyDataSnapshots,
} from './PolicyReportIndex';

function data(namespace: string, results: number): ClusterPolicyData {
  const resource = {
    apiVersion: 'v1',
    kind: 'Pod',
    name: 'p',
    namespace,
    uid: `${namespace}-p`,
  };
  const result: PolicyResult = {
    cluster: 'c',
    policy: 'p',
    rule: 'r',
    result: 'fail',
    severity: 'high',
    category: '',
    message: '',
    timestamp: '',
    reportApiGroup: 'wgpolicyk8s.io',
    resource,
    owner: resource,
  };
  return {
    results: Array.from({ length: results }, () => result),
    objects: [],
    namespaceTeams: new Map([[namespace, 'team']]),
    policies: [],
  };
}

describe('PolicyReportIndex', () => {
  it('memoises the overview per snapshot and recomputes after a refresh', () => {
    let current = data('a', 2);
    const snapshots: PolicyDataSnapshots = {
      states: () => [{ cluster: 'c', data: current, stale: false }],
    };
    const index = new PolicyReportIndex(snapshots);
    const first = index.overview({});
    expect(index.overview({})).toBe(first);
    expect(first.totals.total).toBe(2);

    current = data('b', 3);
    const afterRefresh = index.overview({});
    expect(afterRefresh).not.toBe(first);
    expect(afterRefresh.byNamespace.map(n => n.namespace)).toEqual(['b']);
  });

  it('reports a cluster that never loaded, without data', () => {
    const index = new PolicyReportIndex({
      states: () => [
        {
          cluster: 'down',
          stale: true,
          error: { message: 'cluster down is unreachable' },
        },
      ],
    });
    expect(index.clusterStatuses()).toEqual([
      { cluster: 'down', stale: true, error: 'cluster down is unreachable' },
    ]);
    expect(index.results()).toEqual([]);
    expect(index.overview({}).totals.total).toBe(0);
  });
});
