import {
  EntityResultIndex,
  kubernetesTargetOfEntity,
  selectEntityResults,
  type LabelledObject,
} from './entityMatching';
import { aResult } from './testData';
import type { PolicyResult } from './types';

describe('kubernetesTargetOfEntity', () => {
  it.each([
    ['no annotations', undefined, undefined],
    ['an unrelated annotation', { 'argocd/app-name': 'x' }, undefined],
    [
      'a kubernetes-id',
      { 'backstage.io/kubernetes-id': 'web' },
      { labelSelector: 'backstage.io/kubernetes-id=web' },
    ],
    [
      'a label selector, which wins over the id',
      {
        'backstage.io/kubernetes-id': 'web',
        'backstage.io/kubernetes-label-selector': 'app in (web,api)',
      },
      { labelSelector: 'app in (web,api)' },
    ],
    [
      'a namespace',
      {
        'backstage.io/kubernetes-id': 'web',
        'backstage.io/kubernetes-namespace': 'team-a',
      },
      { labelSelector: 'backstage.io/kubernetes-id=web', namespace: 'team-a' },
    ],
  ])('resolves %s', (_, annotations, expected) => {
    expect(kubernetesTargetOfEntity(annotations)).toEqual(expected);
  });
});

describe('selectEntityResults', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'web',
    namespace: 'team-a',
    uid: 'deploy-1',
  };
  const otherNamespaceDeployment = {
    ...deployment,
    namespace: 'team-b',
    uid: 'deploy-2',
  };
  const objects: LabelledObject[] = [
    { ...deployment, labels: { app: 'web' } },
    { ...otherNamespaceDeployment, labels: { app: 'web' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'api',
      namespace: 'team-a',
      uid: 'deploy-3',
      labels: { app: 'api' },
    },
  ];
  const podOfWeb = aResult({
    resource: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'web-1',
      namespace: 'team-a',
      uid: 'pod-1',
    },
    owner: deployment,
  });
  const podOfWebInTeamB = aResult({
    resource: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'web-2',
      namespace: 'team-b',
      uid: 'pod-2',
    },
    owner: otherNamespaceDeployment,
  });
  const deploymentOfApi = aResult({
    resource: objects[2],
  });
  const namespaceTeamA = aResult({
    policy: 'require-namespace-labels',
    resource: {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'team-a',
      uid: 'ns-a',
    },
  });
  const namespaceTeamC = aResult({
    resource: {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'team-c',
      uid: 'ns-c',
    },
  });
  const all = [
    podOfWeb,
    podOfWebInTeamB,
    deploymentOfApi,
    namespaceTeamA,
    namespaceTeamC,
  ];

  it.each([
    [
      'by owner roll-up within one namespace',
      { labelSelector: 'app=web', namespace: 'team-a' },
      [podOfWeb, namespaceTeamA],
    ],
    [
      'cluster-wide without a namespace',
      { labelSelector: 'app=web' },
      [podOfWeb, podOfWebInTeamB, namespaceTeamA],
    ],
    [
      'with a set-based selector',
      { labelSelector: 'app in (web,api)', namespace: 'team-a' },
      [podOfWeb, deploymentOfApi, namespaceTeamA],
    ],
    [
      'only the namespace report when nothing matches',
      { labelSelector: 'app=none', namespace: 'team-a' },
      [namespaceTeamA],
    ],
  ])('selects %s', (_, target, expected) => {
    expect(selectEntityResults(all, objects, target)).toEqual(expected);
  });
});

describe('EntityResultIndex kept current per change', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    name: 'web-1',
    namespace: 'team-a',
    uid: 'pod-1',
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'web',
    namespace: 'team-a',
    uid: 'deploy-web',
  };
  const result = (policy: string): PolicyResult => ({
    cluster: 'c',
    policy,
    rule: 'r',
    result: 'fail',
    severity: 'high',
    category: '',
    message: '',
    timestamp: '',
    reportApiGroup: 'wgpolicyk8s.io',
    resource: pod,
    owner: deployment,
  });
  const target = { labelSelector: 'app=web' };

  it('replaces and removes the results of one group and follows relabelled and deleted objects', () => {
    const index = new EntityResultIndex();
    index.setObject({ ...deployment, labels: { app: 'web' } });
    index.setResults('report-1', [result('a'), result('b')]);
    index.setResults('report-2', [result('c')]);
    expect(index.select(target).map(r => r.policy)).toEqual(['a', 'b', 'c']);

    index.setResults('report-1', [result('d')]);
    expect(index.select(target).map(r => r.policy)).toEqual(['d', 'c']);
    index.removeResults('report-2');
    expect(index.select(target).map(r => r.policy)).toEqual(['d']);

    index.setObject({ ...deployment, labels: { app: 'api' } });
    expect(index.select(target)).toEqual([]);
    index.setObject({ ...deployment, labels: { app: 'web' } });
    index.removeObject(deployment);
    expect(index.select(target)).toEqual([]);
  });
});
