import { buildPolicyReport, summarizeResults } from './report';
import type { KubeResource, RuleResult } from './types';

const result = (
  r: RuleResult['result'],
  extra: Partial<RuleResult> = {},
): RuleResult => ({
  policy: 'p',
  rule: 'r',
  result: r,
  message: 'm',
  enforce: false,
  scored: true,
  ...extra,
});

const deployment: KubeResource = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'team-a', uid: 'uid-1' },
};
const namespace: KubeResource = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'team-a', uid: 'uid-2' },
};
const now = new Date('2026-01-02T03:04:05.678Z');

describe('buildPolicyReport', () => {
  it.each<
    [
      string,
      KubeResource,
      'wgpolicyk8s.io' | 'openreports.io' | undefined,
      string,
      string,
    ]
  >([
    [
      'namespaced, default group',
      deployment,
      undefined,
      'wgpolicyk8s.io/v1alpha2',
      'PolicyReport',
    ],
    [
      'cluster-scoped, default group',
      namespace,
      undefined,
      'wgpolicyk8s.io/v1alpha2',
      'ClusterPolicyReport',
    ],
    [
      'namespaced, wgpolicyk8s.io',
      deployment,
      'wgpolicyk8s.io',
      'wgpolicyk8s.io/v1alpha2',
      'PolicyReport',
    ],
    [
      'namespaced, openreports.io',
      deployment,
      'openreports.io',
      'openreports.io/v1alpha1',
      'Report',
    ],
    [
      'cluster-scoped, openreports.io',
      namespace,
      'openreports.io',
      'openreports.io/v1alpha1',
      'ClusterReport',
    ],
  ])('%s', (_name, resource, apiGroup, apiVersion, kind) => {
    const report = buildPolicyReport(resource, [result('pass')], {
      now,
      apiGroup,
    });
    expect(report.apiVersion).toBe(apiVersion);
    expect(report.kind).toBe(kind);
    expect(report.metadata.name).toBe(resource.metadata.uid);
    expect(report.metadata.namespace).toBe(resource.metadata.namespace);
    expect(report.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'kyverno',
    });
    expect(report.scope).toEqual({
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      name: resource.metadata.name,
      ...(resource.metadata.namespace
        ? { namespace: resource.metadata.namespace }
        : {}),
      uid: resource.metadata.uid,
    });
  });

  it('maps results like Kyverno', () => {
    const report = buildPolicyReport(
      deployment,
      [
        result('fail', {
          severity: 'low',
          category: 'Best Practices',
          scored: false,
          enforce: true,
        }),
        result('skip'),
      ],
      { now, process: 'admission review' },
    );
    expect(report.results).toEqual([
      {
        policy: 'p',
        rule: 'r',
        result: 'fail',
        severity: 'low',
        category: 'Best Practices',
        message: 'm',
        properties: { process: 'admission review' },
        scored: false,
        source: 'kyverno',
        timestamp: { seconds: 1767323045, nanos: 0 },
      },
      {
        policy: 'p',
        rule: 'r',
        result: 'skip',
        message: 'm',
        properties: { process: 'admission review' },
        scored: true,
        source: 'kyverno',
        timestamp: { seconds: 1767323045, nanos: 0 },
      },
    ]);
  });

  it('falls back to a readable name without a UID', () => {
    const report = buildPolicyReport(
      { ...deployment, metadata: { name: 'API_x', namespace: 'team-a' } },
      [],
      { now },
    );
    expect(report.metadata.name).toBe('deployment-team-a-api-x');
    expect(report.metadata.ownerReferences).toBeUndefined();
    expect(report.scope).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'API_x',
      namespace: 'team-a',
    });
    expect(report.results).toEqual([]);
  });
});

describe('summarizeResults', () => {
  it.each<[RuleResult['result'][], Record<string, number>]>([
    [[], { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }],
    [
      ['pass', 'pass', 'fail', 'warn', 'error', 'skip', 'skip'],
      { pass: 2, fail: 1, warn: 1, error: 1, skip: 2 },
    ],
  ])('%p', (statuses, expected) => {
    expect(summarizeResults(statuses.map(s => result(s)))).toEqual(expected);
  });
});
