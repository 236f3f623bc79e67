import type { NotificationSettings } from '@backstage/plugin-notifications-common';
import {
  isKindMuted,
  kindsOf,
  matchesText,
  notificationsQuery,
  withKindMuted,
} from './notificationFilters';
import { teamTag } from '@internal/plugin-notifications-idp-common';

describe('notificationsQuery', () => {
  const base = { view: 'all' as const, page: 2, pageSize: 10 };

  it('pages newest first and filters nothing by default', () => {
    expect(notificationsQuery(base)).toEqual({
      limit: 10,
      offset: 20,
      sort: 'created',
      sortOrder: 'desc',
    });
  });

  it('filters by kind, view and team on the server', () => {
    expect(
      notificationsQuery({
        ...base,
        view: 'unread',
        kind: 'policy-failure',
        team: 'group:default/team-a',
      }),
    ).toMatchObject({
      read: false,
      topic: 'policy-failure',
      search: '(team group:default/team-a)',
    });
    expect(notificationsQuery({ ...base, view: 'saved' })).toMatchObject({
      saved: true,
    });
  });

  it('searches the typed words unless a team takes the search term', () => {
    expect(notificationsQuery({ ...base, text: 'shop' }).search).toBe('shop');
    expect(
      notificationsQuery({ ...base, text: 'shop', team: 'group:default/a' })
        .search,
    ).toBe(teamTag('group:default/a'));
  });
});

describe('matchesText', () => {
  const n = { payload: { title: 'Policy x fails on Shop', description: 'd' } };
  it('matches title or description in any case', () => {
    expect(matchesText(n, 'shop')).toBe(true);
    expect(matchesText(n, 'D')).toBe(true);
    expect(matchesText(n, 'cart')).toBe(false);
    expect(matchesText(n, undefined)).toBe(true);
  });
});

describe('kindsOf', () => {
  it("lists the portal's kinds first, then other received topics once", () => {
    const kinds = kindsOf(['zeta', 'policy-failure', 'alpha', 'zeta']);
    expect(kinds.map(k => k.topic)).toEqual([
      'argocd-application',
      'policy-failure',
      'scaffolder-task',
      'cluster-tier-state',
      'alpha',
      'zeta',
    ]);
    expect(kinds.find(k => k.topic === 'cluster-tier-state')?.mutable).toBe(
      false,
    );
  });
});

describe('muting a kind', () => {
  const settings: NotificationSettings = {
    channels: [
      {
        id: 'Web',
        origins: [
          {
            id: 'plugin:notifications',
            enabled: true,
            topics: [
              { id: 'policy-failure', enabled: true },
              { id: 'scaffolder-task', enabled: true },
            ],
          },
          {
            id: 'plugin:scaffolder',
            enabled: true,
            topics: [{ id: 'scaffolder-task', enabled: true }],
          },
        ],
      },
      { id: 'Email', origins: [] },
    ],
  };

  it('turns the topic off for every origin sending it, and nothing else', () => {
    const muted = withKindMuted(settings, 'scaffolder-task', true);
    expect(isKindMuted(muted, 'scaffolder-task')).toBe(true);
    expect(isKindMuted(muted, 'policy-failure')).toBe(false);
    expect(muted.channels[0].origins.map(o => o.topics)).toEqual([
      [
        { id: 'policy-failure', enabled: true },
        { id: 'scaffolder-task', enabled: false },
      ],
      [{ id: 'scaffolder-task', enabled: false }],
    ]);
    expect(muted.channels[1]).toBe(settings.channels[1]);
    expect(
      isKindMuted(
        withKindMuted(muted, 'scaffolder-task', false),
        'scaffolder-task',
      ),
    ).toBe(false);
  });

  it("adds a kind nobody listed yet under the portal's origin", () => {
    const muted = withKindMuted(settings, 'argocd-application', true);
    expect(isKindMuted(settings, 'argocd-application')).toBe(false);
    expect(isKindMuted(muted, 'argocd-application')).toBe(true);
    expect(muted.channels[0].origins[0].topics).toContainEqual({
      id: 'argocd-application',
      enabled: false,
    });
  });

  it('creates the web channel when the settings have none', () => {
    const muted = withKindMuted({ channels: [] }, 'policy-failure', true);
    expect(muted).toEqual({
      channels: [
        {
          id: 'Web',
          origins: [
            {
              id: 'plugin:notifications',
              enabled: true,
              topics: [{ id: 'policy-failure', enabled: false }],
            },
          ],
        },
      ],
    });
    expect(isKindMuted(muted, 'policy-failure')).toBe(true);
  });
});
