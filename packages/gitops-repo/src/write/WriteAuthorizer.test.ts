import { NotAllowedError } from '@backstage/errors';
import { WriteAuthorizer, Writer } from './WriteAuthorizer';

const writer = (userRef: string | undefined, ...groups: string[]) => ({
  userRef,
  groups: new Set(groups.map(g => `group:default/${g}`)),
});

const member = writer('user:default/alice', 'team-a');
const stranger = writer('user:default/bob', 'team-b');
const platform = writer('user:default/root', 'platform-team');

function authorizer(selfServiceOnboarding: boolean, catalog?: any) {
  return new WriteAuthorizer({
    platformGroup: 'group:default/platform-team',
    selfServiceOnboarding,
    catalog,
  });
}

describe('WriteAuthorizer', () => {
  it.each([
    // who, path, operation, self-service onboarding, allowed
    ['member', member, 'K8s/apps/team-a/web', 'create', false, true],
    ['member', member, 'K8s/apps/team-a/web', 'update', false, true],
    ['member', member, 'K8s/teams/team-a', 'update', false, true],
    ['non-member', stranger, 'K8s/apps/team-a/web', 'create', true, false],
    ['non-member', stranger, 'K8s/teams/team-a', 'update', true, false],
    ['platform-team', platform, 'K8s/apps/team-a/web', 'create', false, true],
    ['platform-team', platform, 'K8s/policies/x', 'update', false, true],
    ['platform-team', platform, 'K8s/teams/new', 'create', false, true],
    ['member', member, 'K8s/policies/x', 'update', true, false],
    [
      'member',
      member,
      'K8s/teams/applicationset-teams.yaml',
      'update',
      true,
      false,
    ],
    ['onboarding on', stranger, 'K8s/teams/new', 'create', true, true],
    ['onboarding off', stranger, 'K8s/teams/new', 'create', false, false],
    [
      'onboarding on, no user',
      writer(undefined),
      'K8s/teams/new',
      'create',
      true,
      false,
    ],
  ] as const)(
    '%s: %s %s (%s, self-service %s) → allowed %s',
    (_, who, path, operation, selfService, allowed) => {
      expect(authorizer(selfService).decide(who, path, operation).allowed).toBe(
        allowed,
      );
    },
  );

  it('says why, naming the team, the platform group and the config key', () => {
    expect(
      authorizer(false).decide(stranger, 'K8s/apps/team-a/web', 'create'),
    ).toEqual({
      allowed: false,
      reason: expect.stringMatching(
        /^user:default\/bob is not a member of team 'team-a' \(nor of group:default\/platform-team\)/,
      ),
    });
    expect(() =>
      authorizer(false).assertMayWrite(stranger, 'K8s/teams/new', 'create'),
    ).toThrow(
      new NotAllowedError(
        "onboarding team 'new' requires membership of group:default/platform-team (gitops.selfServiceOnboarding is off)",
      ),
    );
    expect(
      authorizer(true).decide(member, 'K8s/policies/x', 'update'),
    ).toMatchObject({ reason: /^only group:default\/platform-team may write/ });
  });

  it('tells platform members apart for the permission policy', () => {
    expect(
      authorizer(false).isPlatform([
        'user:default/root',
        'group:default/platform-team',
      ]),
    ).toBe(true);
    expect(authorizer(false).isPlatform(['group:default/team-a'])).toBe(false);
  });

  it('resolves the task user from the catalog with the initiator credentials', async () => {
    const credentials = {
      principal: { type: 'user', userEntityRef: 'user:default/alice' },
    };
    const catalog = {
      getEntityByRef: jest.fn(async () => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'alice' },
        spec: {
          profile: { displayName: 'Alice A', email: 'alice@example.com' },
          memberOf: ['team-c'],
        },
        relations: [{ type: 'memberOf', targetRef: 'group:default/team-a' }],
      })),
    };
    const user: Writer = await authorizer(false, catalog).resolveUser({
      getInitiatorCredentials: async () => credentials,
    });
    expect(catalog.getEntityByRef).toHaveBeenCalledWith('user:default/alice', {
      credentials,
    });
    expect(user).toEqual({
      userRef: 'user:default/alice',
      groups: new Set(['group:default/team-a', 'group:default/team-c']),
      name: 'Alice A',
      email: 'alice@example.com',
    });
    // membership read from the catalog decides, not what a form sent
    expect(
      authorizer(false).decide(user, 'K8s/apps/team-c/x', 'create').allowed,
    ).toBe(true);
  });

  it('gives a task without a user the fallback author and no groups', async () => {
    const user = await authorizer(true).resolveUser({
      getInitiatorCredentials: async () => ({ principal: { type: 'service' } }),
    });
    expect(user).toEqual({
      groups: new Set(),
      name: 'IDP Portal',
      email: 'idp-portal@noreply.local',
    });
  });
});
