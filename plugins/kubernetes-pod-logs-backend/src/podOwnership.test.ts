import type { Entity } from '@backstage/catalog-model';
import { podBelongsToEntity } from './podOwnership';

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

  it('prefers the label selector, with every clause the API server accepts', () => {
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
    expect(bySelector('tier in (web, api),!canary')).toBe(true);
    expect(bySelector('tier notin (web)')).toBe(false);
    // A blank selector is no selector: the kubernetes-id decides.
    expect(bySelector(' ')).toBe(true);
  });

  it('matches no pod for a malformed selector', () => {
    expect(
      podBelongsToEntity(
        pod,
        entity({ 'backstage.io/kubernetes-label-selector': 'tier in web' }),
      ),
    ).toBe(false);
  });

  it('never matches an entity without Kubernetes annotations', () => {
    expect(podBelongsToEntity(pod, entity({}))).toBe(false);
  });
});
