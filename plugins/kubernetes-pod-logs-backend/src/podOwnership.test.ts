import type { Entity } from '@backstage/catalog-model';
import { parseEqualitySelector, podBelongsToEntity } from './podOwnership';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('podBelongsToEntity', () => {
  const pod = {
    namespace: 'shop',
    labels: { 'backstage.io/kubernetes-id': 'checkout', tier: 'web' },
  };

  it('matches by kubernetes-id, within the namespace annotation', () => {
    expect(
      podBelongsToEntity(
        pod,
        entity({ 'backstage.io/kubernetes-id': 'checkout' }),
      ),
    ).toBe(true);
    expect(
      podBelongsToEntity(
        pod,
        entity({
          'backstage.io/kubernetes-id': 'checkout',
          'backstage.io/kubernetes-namespace': 'other',
        }),
      ),
    ).toBe(false);
    expect(
      podBelongsToEntity(pod, entity({ 'backstage.io/kubernetes-id': 'cart' })),
    ).toBe(false);
  });

  it('prefers the label selector, equality clauses only', () => {
    const bySelector = (s: string) =>
      podBelongsToEntity(
        pod,
        entity({
          'backstage.io/kubernetes-label-selector': s,
          'backstage.io/kubernetes-id': 'checkout',
        }),
      );
    expect(bySelector('tier=web')).toBe(true);
    expect(bySelector('tier==web,backstage.io/kubernetes-id=checkout')).toBe(
      true,
    );
    expect(bySelector('tier!=web')).toBe(false);
    expect(bySelector('tier in (web)')).toBe(false);
    expect(parseEqualitySelector('')).toBeUndefined();
  });

  it('never matches an entity without Kubernetes annotations', () => {
    expect(podBelongsToEntity(pod, entity({}))).toBe(false);
  });
});
