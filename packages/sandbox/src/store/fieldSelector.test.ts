import type { KubernetesObject } from '@internal/kube-model';
import { FieldSelectorError, parseFieldSelector } from './fieldSelector';

const pod: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'team-a' },
  spec: { nodeName: 'worker-apps' },
  status: { phase: 'Running' },
};

describe('parseFieldSelector', () => {
  it.each([
    ['', 'Pod', true],
    ['metadata.name=web-1', 'Pod', true],
    ['metadata.name==web-1', 'Pod', true],
    ['metadata.name!=web-1', 'Pod', false],
    ['metadata.namespace=team-a', 'Pod', true],
    ['metadata.namespace=team-b', 'Pod', false],
    ['spec.nodeName=worker-apps', 'Pod', true],
    ['spec.nodeName!=worker-apps', 'Pod', false],
    ['status.phase=Running,metadata.namespace=team-a', 'Pod', true],
    ['status.phase=Pending', 'Pod', false],
    ['status.phase!=Pending', 'Pod', true],
    ['metadata.name=web-1', 'ConfigMap', true],
  ])('%j on a %s matches: %s', (selector, kind, expected) => {
    expect(parseFieldSelector(selector, kind)(pod)).toBe(expected);
  });

  it.each([
    ['spec.nodeName=x', 'ConfigMap'],
    ['metadata.labels=x', 'Pod'],
    ['metadata.name', 'Pod'],
    ['metadata.name=a,', 'Pod'],
    ['=x', 'Pod'],
  ])('rejects %j for a %s', (selector, kind) => {
    expect(() => parseFieldSelector(selector, kind)).toThrow(
      FieldSelectorError,
    );
  });
});
