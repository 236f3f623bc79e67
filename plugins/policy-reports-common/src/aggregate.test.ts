import {
  buildComplianceOverview,
  filterResults,
  groupResultsByResource,
  summarizeResults,
} from './aggregate';
import { aResult } from './testData';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'web',
  namespace: 'team-a',
  uid: 'd1',
};
const results = [
  aResult({
    owner: deployment,
    result: 'fail',
    severity: 'high',
    policy: 'disallow-privileged-containers',
  }),
  aResult({ owner: deployment, result: 'pass', severity: 'medium' }),
  aResult({
    resource: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'web-2',
      namespace: 'team-a',
      uid: 'p2',
    },
    owner: deployment,
    result: 'fail',
    severity: 'medium',
  }),
  aResult({
    resource: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'api-1',
      namespace: 'team-b',
      uid: 'p3',
    },
    result: 'warn',
    severity: 'low',
    category: 'Other',
    cluster: 'remote',
  }),
  aResult({
    resource: {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'team-b',
      uid: 'n1',
    },
    policy: 'require-namespace-labels',
    result: 'skip',
    severity: 'critical',
  }),
];

describe('summarizeResults', () => {
  it.each([
    [
      'nothing',
      [],
      {
        total: 0,
        compliancePercent: undefined,
        worstFailingSeverity: undefined,
      },
    ],
    [
      'all results',
      results,
      { total: 5, compliancePercent: 25, worstFailingSeverity: 'high' },
    ],
    [
      'only skips',
      [results[4]],
      {
        total: 1,
        compliancePercent: undefined,
        worstFailingSeverity: undefined,
      },
    ],
    [
      'one error',
      [aResult({ result: 'error', severity: 'critical' })],
      { total: 1, compliancePercent: 0, worstFailingSeverity: 'critical' },
    ],
  ])('summarises %s', (_, input, expected) => {
    const summary = summarizeResults(input);
    expect(summary.total).toBe(expected.total);
    expect(summary.compliancePercent).toBe(expected.compliancePercent);
    expect(summary.worstFailingSeverity).toBe(expected.worstFailingSeverity);
  });

  it('counts per result and failing per severity', () => {
    const summary = summarizeResults(results);
    expect(summary.byResult).toEqual({
      pass: 1,
      fail: 2,
      warn: 1,
      error: 0,
      skip: 1,
    });
    expect(summary.failingBySeverity).toEqual({
      critical: 0,
      high: 1,
      medium: 1,
      low: 0,
      info: 0,
    });
  });
});

describe('filterResults', () => {
  it.each([
    ['no filter', {}, 5],
    ['result', { result: ['fail' as const] }, 2],
    ['several severities', { severity: ['high' as const, 'low' as const] }, 2],
    ['policy', { policy: ['require-namespace-labels'] }, 1],
    ['category', { category: ['Other'] }, 1],
    ['cluster', { cluster: ['remote'] }, 1],
    [
      'namespaces, including the Namespace report',
      { namespaces: ['team-b'] },
      2,
    ],
    ['search in resource names', { search: 'API-1' }, 1],
    ['an empty list as no filter', { result: [] }, 5],
    [
      'combined fields',
      { result: ['fail' as const], severity: ['medium' as const] },
      1,
    ],
  ])('filters by %s', (_, filter, expected) => {
    expect(filterResults(results, filter)).toHaveLength(expected);
  });
});

describe('groupResultsByResource', () => {
  it('groups Pods under their Deployment, most failing first', () => {
    const groups = groupResultsByResource(results);
    expect(groups.map(g => `${g.resource.kind}/${g.resource.name}`)).toEqual([
      'Deployment/web',
      'Pod/api-1',
      'Namespace/team-b',
    ]);
    expect(groups[0].results).toHaveLength(3);
    expect(groups[0].summary.byResult.fail).toBe(2);
  });
});

describe('buildComplianceOverview', () => {
  const overview = buildComplianceOverview(
    results,
    new Map([['team-a', 'payments']]),
    1,
  );

  it('aggregates per namespace with teams from the owner label', () => {
    expect(
      overview.byNamespace.map(n => [n.namespace, n.team, n.summary.total]),
    ).toEqual([
      ['team-a', 'payments', 3],
      ['team-b', undefined, 2],
    ]);
    expect(overview.byTeam.map(t => [t.team, t.namespaces])).toEqual([
      ['(no owner)', ['team-b']],
      ['payments', ['team-a']],
    ]);
  });

  it('aggregates per policy with distinct failing resources', () => {
    const latest = overview.byPolicy.find(
      p => p.policy === 'disallow-latest-tag',
    )!;
    expect(latest.summary.byResult.fail).toBe(1);
    expect(latest.failingResources).toBe(1);
    expect(overview.topFailingPolicies).toHaveLength(1);
    expect(overview.topFailingNamespaces.map(n => n.namespace)).toEqual([
      'team-a',
    ]);
  });

  it('aggregates per severity, worst first', () => {
    expect(overview.bySeverity.map(s => [s.severity, s.counts.fail])).toEqual([
      ['critical', 0],
      ['high', 1],
      ['medium', 1],
      ['low', 0],
    ]);
    expect(overview.totals.total).toBe(5);
  });
});
