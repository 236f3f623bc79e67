import {
  compileEntityTarget,
  entityClaimsObject,
  kubernetesTargetOfEntity,
} from './entityTarget';
import { LabelSelectorError } from './labelSelector';

describe('kubernetesTargetOfEntity', () => {
  it.each([
    [undefined, undefined],
    [{}, undefined],
    [{ 'backstage.io/kubernetes-id': '  ' }, undefined],
    [
      { 'backstage.io/kubernetes-id': 'web' },
      { labelSelector: 'backstage.io/kubernetes-id=web' },
    ],
    [
      {
        'backstage.io/kubernetes-id': 'web',
        'backstage.io/kubernetes-label-selector': 'app in (web,api)',
      },
      { labelSelector: 'app in (web,api)' },
    ],
    [
      {
        'backstage.io/kubernetes-id': 'web',
        'backstage.io/kubernetes-label-selector': ' ',
        'backstage.io/kubernetes-namespace': ' team-a ',
      },
      { labelSelector: 'backstage.io/kubernetes-id=web', namespace: 'team-a' },
    ],
    [{ 'backstage.io/kubernetes-namespace': 'team-a' }, undefined],
  ])('%j -> %j', (annotations, expected) => {
    expect(kubernetesTargetOfEntity(annotations)).toEqual(expected);
  });
});

describe('compileEntityTarget', () => {
  const web = {
    namespace: 'team-a',
    labels: { 'backstage.io/kubernetes-id': 'web', app: 'web' },
  };

  it('matches by selector in every namespace when none is named', () => {
    const matches = compileEntityTarget({ labelSelector: 'app=web' });
    expect(matches(web)).toBe(true);
    expect(matches({ ...web, namespace: 'team-b' })).toBe(true);
    expect(matches({ namespace: 'team-a', labels: { app: 'api' } })).toBe(
      false,
    );
    expect(matches({ namespace: 'team-a' })).toBe(false);
  });

  it('matches only in the named namespace', () => {
    const matches = compileEntityTarget({
      labelSelector: 'app in (web, api), tier notin (db)',
      namespace: 'team-a',
    });
    expect(matches(web)).toBe(true);
    expect(matches({ ...web, namespace: 'team-b' })).toBe(false);
    expect(matches({ labels: web.labels })).toBe(false);
    expect(matches({ ...web, labels: { ...web.labels, tier: 'db' } })).toBe(
      false,
    );
  });

  it('rejects a malformed selector', () => {
    expect(() => compileEntityTarget({ labelSelector: 'app in web' })).toThrow(
      LabelSelectorError,
    );
  });
});

describe('entityClaimsObject', () => {
  const pod = { namespace: 'team-a', labels: { app: 'web', env: 'prod' } };

  it('uses the selector, the id label and the namespace', () => {
    expect(
      entityClaimsObject(
        { 'backstage.io/kubernetes-label-selector': 'app=web,env!=dev' },
        pod,
      ),
    ).toBe(true);
    expect(
      entityClaimsObject(
        {
          'backstage.io/kubernetes-label-selector': 'app=web',
          'backstage.io/kubernetes-namespace': 'team-b',
        },
        pod,
      ),
    ).toBe(false);
    expect(
      entityClaimsObject(
        { 'backstage.io/kubernetes-id': 'web' },
        { ...pod, labels: { 'backstage.io/kubernetes-id': 'web' } },
      ),
    ).toBe(true);
    expect(
      entityClaimsObject({ 'backstage.io/kubernetes-id': 'web' }, pod),
    ).toBe(false);
  });

  it('claims nothing without a target or with a malformed selector', () => {
    expect(entityClaimsObject(undefined, pod)).toBe(false);
    expect(
      entityClaimsObject(
        { 'backstage.io/kubernetes-label-selector': 'app in web' },
        pod,
      ),
    ).toBe(false);
  });
});
