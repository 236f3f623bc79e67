import type { KubernetesObject } from '@internal/kube-model';
import { Admission } from './admission';

const noScaleDown: KubernetesObject = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'no-scale-down' },
  spec: {
    validationFailureAction: 'Enforce',
    rules: [
      {
        name: 'replicas',
        match: {
          any: [
            { resources: { kinds: ['Deployment'], operations: ['UPDATE'] } },
          ],
        },
        validate: {
          message:
            'scaling {{ request.object.metadata.name }} down from {{ request.oldObject.spec.replicas }} is not allowed',
          deny: {
            conditions: {
              all: [
                {
                  key: '{{ request.object.spec.replicas }}',
                  operator: 'LessThan',
                  value: '{{ request.oldObject.spec.replicas }}',
                },
              ],
            },
          },
        },
      },
    ],
  },
};

const deployment = (replicas: number): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'team-a' },
  spec: { replicas },
});

describe('Admission', () => {
  const admission = new Admission([noScaleDown], () => ({}));

  it('an UPDATE sees the live object as request.oldObject', () => {
    expect(
      admission.review(deployment(1), 'UPDATE', deployment(3))?.message,
    ).toContain('scaling web down from 3 is not allowed');
    expect(
      admission.review(deployment(5), 'UPDATE', deployment(3)),
    ).toBeUndefined();
  });

  it('a CREATE is not reviewed by an UPDATE-only rule', () => {
    expect(admission.review(deployment(1), 'CREATE')).toBeUndefined();
  });
});
