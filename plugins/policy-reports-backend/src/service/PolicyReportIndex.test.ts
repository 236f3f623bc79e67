import type { KubernetesObject } from '@internal/kube-model';
import {
  buildComplianceOverview,
  type RawPolicyReport,
} from '@internal/plugin-policy-reports-common';
import { InMemoryClusterCache } from '../__testUtils__/InMemoryClusterCache';
import { PolicyReportIndex } from './PolicyReportIndex';
import { registerPolicyReportSources } from './policyReportKinds';

const ID = 'backstage.io/kubernetes-id';

function namespace(name: string, owner?: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: `ns-${name}`,
      ...(owner ? { labels: { owner } } : {}),
    },
  };
}

function deployment(name: string): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'team-a',
      uid: `deploy-${name}`,
      labels: { [ID]: name },
    },
  };
}

function replicaSet(name: string, deploymentName: string): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'team-a',
      uid: `rs-${name}`,
      labels: { [ID]: deploymentName },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deploymentName,
          uid: `deploy-${deploymentName}`,
          controller: true,
        },
      ],
    },
  };
}

function pod(
  name: string,
  replicaSetName: string,
  version = '1',
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'team-a',
      uid: `pod-${name}`,
      resourceVersion: version,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: replicaSetName,
          uid: `rs-${replicaSetName}`,
          controller: true,
        },
      ],
    },
  };
}

function podReport(
  podName: string,
  results: Array<[policy: string, outcome: string]>,
): RawPolicyReport & KubernetesObject {
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: { name: `pod-${podName}`, namespace: 'team-a' },
    scope: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: podName,
      namespace: 'team-a',
      uid: `pod-${podName}`,
    },
    results: results.map(([policy, result]) => ({
      policy,
      rule: 'r',
      result,
      severity: 'high',
    })),
  };
}

const initialObjects = (): KubernetesObject[] => [
  namespace('team-a', 'payments'),
  deployment('web'),
  deployment('api'),
  replicaSet('web-1', 'web'),
  replicaSet('api-1', 'api'),
  pod('web-1-a', 'web-1'),
  podReport('web-1-a', [
    ['disallow-latest-tag', 'fail'],
    ['require-requests-limits', 'pass'],
  ]),
];

const web = { labelSelector: `${ID}=web`, namespace: 'team-a' };
const api = { labelSelector: `${ID}=api` };

function setUp() {
  const cache = new InMemoryClusterCache(['c', 'other']);
  const index = new PolicyReportIndex(registerPolicyReportSources(cache));
  cache.syncAll('c', initialObjects());
  return {
    cache,
    index,
    reports: cache.resource<RawPolicyReport & KubernetesObject>(
      'policyreports',
    ),
    pods: cache.resource('pods'),
    namespaces: cache.resource('namespaces'),
  };
}

const describeResults = (
  results: Array<{
    policy: string;
    result: string;
    owner: { kind: string; name: string };
  }>,
) =>
  results
    .map(r => `${r.owner.kind}/${r.owner.name}:${r.policy}:${r.result}`)
    .sort();

/** A second index built from the cache's current state in one go: what a full rebuild answers. */
function rebuilt(cache: InMemoryClusterCache): PolicyReportIndex {
  return new PolicyReportIndex(registerPolicyReportSources(cache));
}

describe('PolicyReportIndex', () => {
  it('rolls a Pod report up to its Deployment from the synced cluster', () => {
    const { index } = setUp();
    expect(describeResults(index.entityResults(web))).toEqual([
      'Deployment/web:disallow-latest-tag:fail',
      'Deployment/web:require-requests-limits:pass',
    ]);
    expect(index.entityResults(api)).toEqual([]);
    expect(index.results('other')).toEqual([]);
  });

  it('replaces only the results of a modified report, and drops them when it is deleted', () => {
    const { cache, index, reports } = setUp();
    const before = index.version();
    reports.modify(
      'c',
      podReport('web-1-a', [['disallow-latest-tag', 'pass']]),
    );
    expect(index.version()).toBeGreaterThan(before);
    expect(describeResults(index.entityResults(web))).toEqual([
      'Deployment/web:disallow-latest-tag:pass',
    ]);

    reports.add('c', podReport('web-1-b', [['require-labels', 'warn']]));
    // no Pod web-1-b is known: the result stays on the Pod itself, which no entity selects
    expect(index.results().map(r => `${r.owner.kind}/${r.owner.name}`)).toEqual(
      ['Deployment/web', 'Pod/web-1-b'],
    );

    reports.delete('c', podReport('web-1-a', []));
    expect(index.entityResults(web)).toEqual([]);
    expect(index.overview({}).totals.total).toBe(1);
    expect(index.overview({})).toEqual(rebuilt(cache).overview({}));
  });

  it('re-rolls the results of a Pod that moves to another owner, and of a Pod listed after its report', () => {
    const { cache, index, reports, pods } = setUp();
    pods.modify('c', pod('web-1-a', 'api-1', '2'));
    expect(index.entityResults(web)).toEqual([]);
    expect(describeResults(index.entityResults(api))).toEqual([
      'Deployment/api:disallow-latest-tag:fail',
      'Deployment/api:require-requests-limits:pass',
    ]);

    reports.add('c', podReport('api-1-b', [['require-labels', 'fail']]));
    expect(describeResults(index.entityResults(api))).toHaveLength(2);
    pods.add('c', pod('api-1-b', 'api-1'));
    expect(describeResults(index.entityResults(api))).toEqual([
      'Deployment/api:disallow-latest-tag:fail',
      'Deployment/api:require-labels:fail',
      'Deployment/api:require-requests-limits:pass',
    ]);

    pods.delete('c', pod('web-1-a', 'api-1'));
    // without its Pod the report can only be shown on the Pod it names
    expect(describeResults(index.entityResults(api))).toEqual([
      'Deployment/api:require-labels:fail',
    ]);
    expect(describeResults(index.results())).toEqual(
      describeResults(rebuilt(cache).results()),
    );
  });

  it('moves a relabelled namespace to its new team', () => {
    const { index, namespaces } = setUp();
    expect(index.overview({}).byTeam.map(team => team.team)).toEqual([
      'payments',
    ]);
    namespaces.modify('c', namespace('team-a', 'search'));
    expect(index.namespaceTeams().get('team-a')).toBe('search');
    expect(index.overview({}).byTeam.map(team => team.team)).toEqual([
      'search',
    ]);
    namespaces.modify('c', namespace('team-a'));
    expect(index.overview({}).byTeam.map(team => team.team)).toEqual([
      '(no owner)',
    ]);
  });

  it('combines the overview from namespace counts into what aggregating every result gives', () => {
    const { cache, index, reports, pods, namespaces } = setUp();
    cache.syncAll('other', [
      namespace('team-a', 'search'),
      namespace('billing', 'billing'),
      deployment('web'),
      replicaSet('web-1', 'web'),
      pod('web-1-a', 'web-1'),
      podReport('web-1-a', [['disallow-latest-tag', 'fail']]),
      {
        ...podReport('billing-ns', [['require-namespace-labels', 'fail']]),
        kind: 'ClusterPolicyReport',
        metadata: { name: 'billing-ns' },
        scope: { apiVersion: 'v1', kind: 'Namespace', name: 'billing' },
      },
    ]);
    const expectEveryViewAsAggregated = () => {
      for (const cluster of [undefined, 'c', 'other']) {
        for (const wanted of [undefined, ['team-a'], ['billing', 'nowhere']]) {
          const results = index
            .results(cluster)
            .filter(
              r =>
                !wanted ||
                wanted.includes(r.resource.namespace ?? r.resource.name),
            );
          expect(index.overview({ cluster, namespaces: wanted })).toEqual(
            buildComplianceOverview(results, index.namespaceTeams(cluster)),
          );
        }
      }
    };
    expectEveryViewAsAggregated();
    reports.add('c', podReport('web-1-b', [['require-labels', 'fail']]));
    pods.add('c', pod('web-1-b', 'web-1'));
    pods.modify('c', pod('web-1-a', 'api-1', '2'));
    namespaces.modify('other', namespace('billing', 'payments'));
    reports.delete('other', podReport('web-1-a', []));
    expectEveryViewAsAggregated();
    // namespaces of the same name are one row; the team is the one of the last cluster that labels it
    expect(index.overview({}).byTeam.map(team => team.team)).toEqual([
      'payments',
      'search',
    ]);
  });

  it('memoises the overview per index version', () => {
    const { index, reports } = setUp();
    const first = index.overview({});
    expect(index.overview({})).toBe(first);
    expect(index.overview({ severities: ['high'] })).toBe(
      index.overview({ severities: ['high'] }),
    );
    reports.modify(
      'c',
      podReport('web-1-a', [['disallow-latest-tag', 'pass']]),
    );
    const after = index.overview({});
    expect(after).not.toBe(first);
    expect(after.totals.byResult.pass).toBe(1);
  });

  it('replaces what it held of a cluster and kind when the cache relists it', () => {
    const { index, reports, pods } = setUp();
    reports.sync('c', [podReport('web-1-b', [['require-labels', 'fail']])]);
    pods.sync('c', [pod('web-1-b', 'web-1')]);
    expect(describeResults(index.entityResults(web))).toEqual([
      'Deployment/web:require-labels:fail',
    ]);
    expect(index.results()).toHaveLength(1);
  });

  it('keeps what a relist did not change (same resourceVersion) and re-rolls what it did', () => {
    const { index, reports, pods } = setUp();
    const versioned = (version: string) => {
      const report = podReport('web-1-a', [['disallow-latest-tag', 'fail']]);
      return {
        ...report,
        metadata: { ...report.metadata, resourceVersion: version },
      };
    };
    reports.sync('c', [versioned('7')]);
    const [before] = index.results();
    reports.sync('c', [versioned('7')]);
    pods.sync('c', [pod('web-1-a', 'web-1')]);
    expect(index.results()[0]).toBe(before);
    pods.sync('c', [pod('web-1-a', 'api-1', '2')]);
    expect(index.results()[0].owner.name).toBe('api');
  });

  it('answers per cluster and keeps clusters apart', () => {
    const { cache, index } = setUp();
    cache.syncAll('other', [namespace('billing', 'billing')]);
    expect(index.clusterNames()).toEqual(['c', 'other']);
    expect(index.results('c')).toHaveLength(2);
    expect(index.results('other')).toEqual([]);
    expect([...index.namespaceTeams('other')]).toEqual([
      ['billing', 'billing'],
    ]);
    expect([...index.namespaceTeams()]).toEqual([
      ['team-a', 'payments'],
      ['billing', 'billing'],
    ]);
  });

  it('reports each cluster with the freshness the cache gives it', () => {
    const { cache, index } = setUp();
    cache.setFreshness('other', {
      synced: false,
      stale: true,
      mode: 'starting',
      error: { message: 'cluster other is unreachable', at: new Date() },
    });
    cache.setFreshness('c', {
      mode: 'poll',
      lastSuccess: new Date('2026-01-01T00:00:00Z'),
      note: 'watch refused (403): polling every 10 s',
    });
    expect(index.clusterStatuses()).toEqual([
      {
        cluster: 'c',
        stale: false,
        lastSuccessfulRefresh: '2026-01-01T00:00:00.000Z',
        note: 'watch refused (403): polling every 10 s',
      },
      { cluster: 'other', stale: true, error: 'cluster other is unreachable' },
    ]);
  });

  it('stops following the cache when closed', () => {
    const { index, reports } = setUp();
    index.close();
    const version = index.version();
    reports.delete('c', podReport('web-1-a', []));
    expect(index.version()).toBe(version);
    expect(index.results()).toHaveLength(2);
  });
});
