import {
  blockMatches,
  kindMatches,
  MatchBlock,
  parseKindSelector,
  ruleSelects,
  selectorMatches,
} from './match';
import type { EvaluationContext, KubeResource } from './types';

const deployment: KubeResource = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'payments-api',
    namespace: 'team-a',
    labels: { app: 'payments', tier: 'backend' },
    annotations: { 'example.com/owner': 'team-a' },
  },
};
const namespace: KubeResource = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'team-a', labels: { environment: 'prod' } },
};
const pod: KubeResource = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'team-a' },
};

describe('parseKindSelector', () => {
  it.each([
    ['Pod', { group: '*', version: '*', kind: 'Pod', subresource: '' }],
    ['v1/Pod', { group: '*', version: 'v1', kind: 'Pod', subresource: '' }],
    [
      'apps/v1/Deployment',
      { group: 'apps', version: 'v1', kind: 'Deployment', subresource: '' },
    ],
    [
      '*/Deployment',
      { group: '*', version: '*', kind: 'Deployment', subresource: '' },
    ],
    [
      'Deployment/status',
      { group: '*', version: '*', kind: 'Deployment', subresource: 'status' },
    ],
    [
      'apps/v1/Deployment/scale',
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        subresource: 'scale',
      },
    ],
    ['*', { group: '*', version: '*', kind: '*', subresource: '' }],
  ])('%p', (input, expected) => {
    expect(parseKindSelector(input)).toEqual(expected);
  });
});

describe('kindMatches', () => {
  it.each([
    ['Deployment', deployment, true],
    ['Pod', deployment, false],
    ['apps/v1/Deployment', deployment, true],
    ['apps/v2/Deployment', deployment, false],
    ['*/Deployment', deployment, true],
    ['extensions/*/Deployment', deployment, false],
    ['Deployment/status', deployment, false],
    ['v1/Pod', pod, true],
    ['apps/v1/Pod', pod, false],
    ['*', namespace, true],
  ])('%p selects %p: %p', (selector, resource, expected) => {
    expect(kindMatches(selector, resource as KubeResource)).toBe(expected);
  });
});

describe('selectorMatches', () => {
  const labels = { app: 'payments', tier: 'backend' };
  it.each([
    [{ matchLabels: { app: 'payments' } }, true],
    [{ matchLabels: { app: 'pay*' } }, true],
    [{ matchLabels: { app: 'orders' } }, false],
    [
      {
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['backend', 'db'] },
        ],
      },
      true,
    ],
    [
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] },
      false,
    ],
    [
      {
        matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
      },
      true,
    ],
    [
      {
        matchExpressions: [
          { key: 'tier', operator: 'NotIn', values: ['backend'] },
        ],
      },
      false,
    ],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    // Selectors Kubernetes cannot build select nothing, as in Kyverno.
    [{ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, false],
    [
      { matchExpressions: [{ key: 'team', operator: 'NotIn', values: [] }] },
      false,
    ],
  ])('%j -> %p', (selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});

const r = (resources: Record<string, unknown>) =>
  ({ any: [{ resources }] } as MatchBlock);

describe('blockMatches', () => {
  it.each<[string, MatchBlock, KubeResource, EvaluationContext, boolean]>([
    ['kinds pass', r({ kinds: ['Deployment'] }), deployment, {}, true],
    ['kinds fail', r({ kinds: ['StatefulSet'] }), deployment, {}, false],
    [
      'namespaces wildcard pass',
      r({ kinds: ['*'], namespaces: ['team-*'] }),
      deployment,
      {},
      true,
    ],
    [
      'namespaces wildcard fail',
      r({ kinds: ['*'], namespaces: ['kube-*'] }),
      deployment,
      {},
      false,
    ],
    [
      'namespaces on a Namespace use its name (pass)',
      r({ kinds: ['Namespace'], namespaces: ['team-a'] }),
      namespace,
      {},
      true,
    ],
    [
      'namespaces on a Namespace use its name (fail)',
      r({ kinds: ['Namespace'], namespaces: ['kube-system'] }),
      namespace,
      {},
      false,
    ],
    [
      'names wildcard pass',
      r({ kinds: ['Deployment'], names: ['payments-*'] }),
      deployment,
      {},
      true,
    ],
    [
      'names wildcard fail',
      r({ kinds: ['Deployment'], names: ['orders-*'] }),
      deployment,
      {},
      false,
    ],
    [
      'name pass',
      r({ kinds: ['Deployment'], name: 'pay?ents-api' }),
      deployment,
      {},
      true,
    ],
    [
      'name fail',
      r({ kinds: ['Deployment'], name: 'orders' }),
      deployment,
      {},
      false,
    ],
    [
      'annotations pass',
      r({
        kinds: ['Deployment'],
        annotations: { 'example.com/owner': 'team-*' },
      }),
      deployment,
      {},
      true,
    ],
    [
      'annotations fail',
      r({
        kinds: ['Deployment'],
        annotations: { 'example.com/owner': 'team-b' },
      }),
      deployment,
      {},
      false,
    ],
    [
      'selector pass',
      r({
        kinds: ['Deployment'],
        selector: { matchLabels: { app: 'payments' } },
      }),
      deployment,
      {},
      true,
    ],
    [
      'selector fail',
      r({
        kinds: ['Deployment'],
        selector: { matchLabels: { app: 'orders' } },
      }),
      deployment,
      {},
      false,
    ],
    [
      'namespaceSelector pass',
      r({
        kinds: ['Deployment'],
        namespaceSelector: { matchLabels: { environment: 'prod' } },
      }),
      deployment,
      { namespaceLabels: { environment: 'prod' } },
      true,
    ],
    [
      'namespaceSelector fail',
      r({
        kinds: ['Deployment'],
        namespaceSelector: { matchLabels: { environment: 'prod' } },
      }),
      deployment,
      { namespaceLabels: { environment: 'dev' } },
      false,
    ],
    [
      'namespaceSelector without labels fails',
      r({
        kinds: ['Deployment'],
        namespaceSelector: { matchLabels: { environment: 'prod' } },
      }),
      deployment,
      {},
      false,
    ],
    [
      'namespaceSelector on a Namespace uses its labels',
      r({
        kinds: ['Namespace'],
        namespaceSelector: { matchLabels: { environment: 'prod' } },
      }),
      namespace,
      {},
      true,
    ],
    [
      'operations pass',
      r({ kinds: ['Deployment'], operations: ['CREATE'] }),
      deployment,
      { operation: 'CREATE' },
      true,
    ],
    [
      'operations fail',
      r({ kinds: ['Deployment'], operations: ['CREATE'] }),
      deployment,
      { operation: 'UPDATE' },
      false,
    ],
    [
      'operations in background: CREATE/UPDATE pass',
      r({ kinds: ['Deployment'], operations: ['UPDATE'] }),
      deployment,
      {},
      true,
    ],
    [
      'operations in background: DELETE only fails',
      r({ kinds: ['Deployment'], operations: ['DELETE'] }),
      deployment,
      {},
      false,
    ],
    [
      'any: one filter enough',
      {
        any: [
          { resources: { kinds: ['Pod'] } },
          { resources: { kinds: ['Deployment'] } },
        ],
      },
      deployment,
      {},
      true,
    ],
    [
      'any: no filter',
      {
        any: [
          { resources: { kinds: ['Pod'] } },
          { resources: { kinds: ['Job'] } },
        ],
      },
      deployment,
      {},
      false,
    ],
    [
      'all: every filter',
      {
        all: [
          { resources: { kinds: ['Deployment'] } },
          { resources: { namespaces: ['team-a'] } },
        ],
      },
      deployment,
      {},
      true,
    ],
    [
      'all: one filter fails',
      {
        all: [
          { resources: { kinds: ['Deployment'] } },
          { resources: { namespaces: ['team-b'] } },
        ],
      },
      deployment,
      {},
      false,
    ],
    [
      'legacy resources pass',
      { resources: { kinds: ['Deployment'], namespaces: ['team-a'] } },
      deployment,
      {},
      true,
    ],
    [
      'legacy resources fail',
      { resources: { kinds: ['Deployment'], namespaces: ['team-b'] } },
      deployment,
      {},
      false,
    ],
    [
      'user-info filters never match',
      {
        any: [
          {
            subjects: [{ kind: 'User', name: 'x' }],
            resources: { kinds: ['Deployment'] },
          },
        ],
      },
      deployment,
      {},
      false,
    ],
    [
      'legacy subjects never match',
      { resources: { kinds: ['Deployment'] }, clusterRoles: ['cluster-admin'] },
      deployment,
      {},
      false,
    ],
    [
      'empty filter selects nothing',
      { any: [{ resources: {} }] },
      deployment,
      {},
      false,
    ],
    ['empty block selects nothing', {}, deployment, {}, false],
  ])('%s', (_name, block, resource, context, expected) => {
    expect(blockMatches(block, resource, context)).toBe(expected);
  });
});

describe('ruleSelects', () => {
  it.each<[string, MatchBlock | undefined, boolean]>([
    ['no exclude', undefined, true],
    ['exclude by namespace', r({ namespaces: ['team-a'] }), false],
    ['exclude by other namespace', r({ namespaces: ['kube-system'] }), true],
    [
      'exclude by clusterRoles does not exclude',
      { any: [{ clusterRoles: ['cluster-admin'] }] },
      true,
    ],
  ])('%s', (_name, exclude, expected) => {
    expect(
      ruleSelects({ match: r({ kinds: ['Deployment'] }), exclude }, deployment),
    ).toBe(expected);
  });
});
