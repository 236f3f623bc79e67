import {
  namespaceOfResult,
  normalizeReport,
  rollUpToOwner,
  type OwnedObject,
} from './normalize';
import type { RawPolicyReport } from './types';

const objects: OwnedObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'web',
    namespace: 'team-a',
    uid: 'deploy-1',
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: 'web-abc',
    namespace: 'team-a',
    uid: 'rs-1',
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: 'deploy-1',
        controller: true,
      },
    ],
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    name: 'web-abc-1',
    namespace: 'team-a',
    uid: 'pod-1',
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web-abc',
        uid: 'rs-1',
        controller: true,
      },
    ],
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    name: 'orphan-rs-pod',
    namespace: 'team-a',
    uid: 'pod-2',
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'unlisted',
        uid: 'rs-unlisted',
        controller: true,
      },
    ],
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    name: 'static',
    namespace: 'team-a',
    uid: 'static-1',
    ownerReferences: [
      {
        apiVersion: 'v1',
        kind: 'Node',
        name: 'control-plane',
        uid: 'node-1',
        controller: true,
      },
    ],
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: 'loop',
    namespace: 'team-a',
    uid: 'loop-1',
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'loop',
        uid: 'loop-1',
      },
    ],
  },
];
const byUid = new Map(objects.map(object => [object.uid!, object]));
const lookup = (uid: string) => byUid.get(uid);

describe('rollUpToOwner', () => {
  it.each([
    [
      'a Pod to its Deployment through its ReplicaSet',
      'pod-1',
      'Deployment/web',
    ],
    ['a ReplicaSet to its Deployment', 'rs-1', 'Deployment/web'],
    ['a Deployment to itself', 'deploy-1', 'Deployment/web'],
    [
      'a Pod to an owner known only by reference',
      'pod-2',
      'ReplicaSet/unlisted',
    ],
    [
      'an object that owns itself, without looping',
      'loop-1',
      'ReplicaSet/loop',
    ],
    ['a static Pod to itself, not to its Node', 'static-1', 'Pod/static'],
    ['an unlisted object to itself', 'unknown', 'Pod/unknown'],
  ])('rolls %s', (_, uid, expected) => {
    const listed = byUid.get(uid);
    const resource = listed ?? {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'unknown',
      namespace: 'team-a',
      uid,
    };
    const owner = rollUpToOwner(resource, lookup);
    expect(`${owner.kind}/${owner.name}`).toBe(expected);
    expect(owner.namespace).toBe('team-a');
  });
});

const scopedResult = {
  policy: 'disallow-latest-tag',
  rule: 'require-image-tag',
  result: 'fail',
  severity: 'medium',
  category: 'Best Practices',
  message: 'An image tag is required.',
  timestamp: { seconds: 1767225600, nanos: 0 },
};

describe('normalizeReport', () => {
  it.each<[string, RawPolicyReport, Array<Record<string, unknown>>]>([
    [
      'a wgpolicyk8s.io PolicyReport scoped to a Pod, rolled up to its Deployment',
      {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: { name: 'pod-1', namespace: 'team-a' },
        scope: {
          apiVersion: 'v1',
          kind: 'Pod',
          name: 'web-abc-1',
          namespace: 'team-a',
          uid: 'pod-1',
        },
        results: [scopedResult],
      },
      [
        {
          resource: 'Pod/web-abc-1',
          owner: 'Deployment/web',
          result: 'fail',
          severity: 'medium',
          timestamp: '2026-01-01T00:00:00.000Z',
          reportApiGroup: 'wgpolicyk8s.io',
          namespace: 'team-a',
        },
      ],
    ],
    [
      'an openreports.io ClusterReport scoped to a Namespace',
      {
        apiVersion: 'openreports.io/v1alpha1',
        kind: 'ClusterReport',
        metadata: { name: 'ns-1' },
        scope: {
          apiVersion: 'v1',
          kind: 'Namespace',
          name: 'team-a',
          uid: 'ns-1',
        },
        results: [
          {
            ...scopedResult,
            policy: 'require-namespace-labels',
            result: 'pass',
            severity: 'HIGH',
          },
        ],
      },
      [
        {
          resource: 'Namespace/team-a',
          owner: 'Namespace/team-a',
          result: 'pass',
          severity: 'high',
          reportApiGroup: 'openreports.io',
          namespace: 'team-a',
        },
      ],
    ],
    [
      'an aggregated report without scope, one result per listed resource',
      {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: { name: 'polr-ns-team-a', namespace: 'team-a' },
        results: [
          {
            ...scopedResult,
            severity: undefined,
            result: 'surprising',
            timestamp: undefined,
            resources: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: 'web-abc',
                uid: 'rs-1',
              },
              { apiVersion: 'v1', kind: 'Pod' },
            ],
          },
        ],
      },
      [
        {
          resource: 'ReplicaSet/web-abc',
          owner: 'Deployment/web',
          result: 'error',
          severity: 'info',
          timestamp: '',
          reportApiGroup: 'wgpolicyk8s.io',
          namespace: 'team-a',
        },
      ],
    ],
    [
      'an object of another API group, to nothing',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', namespace: 'team-a' },
        results: [scopedResult],
      },
      [],
    ],
  ])('normalises %s', (_, report, expected) => {
    const actual = normalizeReport(report, 'local', lookup).map(result => ({
      resource: `${result.resource.kind}/${result.resource.name}`,
      owner: `${result.owner.kind}/${result.owner.name}`,
      result: result.result,
      severity: result.severity,
      timestamp: result.timestamp,
      reportApiGroup: result.reportApiGroup,
      namespace: namespaceOfResult(result),
    }));
    expect(actual).toEqual(expected.map(e => expect.objectContaining(e)));
    expect(actual).toHaveLength(expected.length);
  });
});
