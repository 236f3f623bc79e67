import type { PolicyResult } from './types';

/** Builds a normalised result for tests; only what a test cares about needs to be given. */
export function aResult(overrides: Partial<PolicyResult> = {}): PolicyResult {
  const resource = overrides.resource ?? {
    apiVersion: 'v1',
    kind: 'Pod',
    name: 'web-1',
    namespace: 'team-a',
    uid: 'pod-1',
  };
  return {
    cluster: 'local',
    policy: 'disallow-latest-tag',
    rule: 'require-image-tag',
    result: 'fail',
    severity: 'medium',
    category: 'Best Practices',
    message: 'An image tag is required.',
    timestamp: '2026-01-01T00:00:00.000Z',
    reportApiGroup: 'wgpolicyk8s.io',
    ...overrides,
    resource,
    owner: overrides.owner ?? resource,
  };
}
