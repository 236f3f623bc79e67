import {
  groupResultsByResource,
  summarizeResults,
  buildComplianceOverview,
  type ClusterStatus,
  type ComplianceOverviewResponse,
  type EntityPolicyResultsResponse,
  type PolicyResult,
  type PolicyDetailResponse,
} from '@internal/plugin-policy-reports-common';
import type { PolicyReportsApi } from '../api';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'web',
  namespace: 'team-a',
  uid: 'd1',
};

function result(overrides: Partial<PolicyResult>): PolicyResult {
  return {
    cluster: 'sandbox',
    policy: 'disallow-latest-tag',
    rule: 'require-image-tag',
    result: 'fail',
    severity: 'medium',
    category: 'Best Practices',
    message: 'An image tag is required.',
    timestamp: '2026-01-01T00:00:00.000Z',
    reportApiGroup: 'wgpolicyk8s.io',
    resource: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'web-1',
      namespace: 'team-a',
      uid: 'p1',
    },
    owner: deployment,
    ...overrides,
  };
}

export const results: PolicyResult[] = [
  result({}),
  result({
    policy: 'disallow-privileged-containers',
    rule: 'privileged',
    severity: 'high',
    message: 'Privileged mode is disallowed.',
  }),
  result({
    policy: 'require-requests-limits',
    rule: 'validate-resources',
    result: 'pass',
  }),
  result({
    policy: 'require-workload-labels',
    rule: 'check-labels',
    result: 'warn',
    severity: 'low',
  }),
];

export const healthyClusters: ClusterStatus[] = [
  {
    cluster: 'sandbox',
    stale: false,
    lastSuccessfulRefresh: '2026-01-01T00:00:00.000Z',
  },
];

export const unreachableClusters: ClusterStatus[] = [
  ...healthyClusters,
  {
    cluster: 'edge',
    stale: true,
    lastSuccessfulRefresh: '2026-01-01T00:00:00.000Z',
    error: 'cluster edge is unreachable: connect ECONNREFUSED',
  },
];

export function entityResponse(
  all: PolicyResult[],
  clusters = healthyClusters,
): EntityPolicyResultsResponse {
  return {
    summary: summarizeResults(all),
    filteredSummary: summarizeResults(all),
    resources: groupResultsByResource(all),
    facets: {
      policies: [...new Set(all.map(r => r.policy))].sort(),
      categories: [...new Set(all.map(r => r.category))].sort(),
      clusters: ['sandbox'],
    },
    clusters,
  };
}

export function overviewResponse(
  all: PolicyResult[],
  clusters = healthyClusters,
): ComplianceOverviewResponse {
  return {
    ...buildComplianceOverview(all, new Map([['team-a', 'payments']])),
    teams: ['payments'],
    clusters,
  };
}

export function policyResponse(): PolicyDetailResponse {
  const failing = results.filter(r => r.policy === 'disallow-latest-tag');
  return {
    definition: {
      name: 'disallow-latest-tag',
      title: 'Disallow Latest Tag',
      description: 'Images must be pinned.',
      severity: 'medium',
      category: 'Best Practices',
      validationFailureAction: 'Enforce',
      rules: ['require-image-tag'],
      source: { type: 'gitops-repo', path: 'disallow-latest-tag.yaml' },
    },
    summary: summarizeResults(failing),
    failingResources: groupResultsByResource(failing),
    clusters: healthyClusters,
  };
}

/** A PolicyReportsApi whose methods are jest mocks. */
export function mockPolicyReportsApi(): jest.Mocked<PolicyReportsApi> {
  return {
    getEntityResults: jest.fn(),
    getOverview: jest.fn(),
    getPolicy: jest.fn(),
  };
}
