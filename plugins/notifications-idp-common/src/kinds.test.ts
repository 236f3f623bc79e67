import {
  NOTIFICATION_KINDS,
  NOTIFICATION_TOPICS,
  teamTag,
  teamTags,
} from './kinds';

describe('notification kinds', () => {
  it('lists every topic the detectors send exactly once', () => {
    expect(NOTIFICATION_KINDS.map(k => k.topic).sort()).toEqual(
      Object.values(NOTIFICATION_TOPICS).sort(),
    );
  });

  it('lets a person mute every kind but the tier-state broadcast', () => {
    expect(
      NOTIFICATION_KINDS.filter(k => !k.mutable).map(k => k.topic),
    ).toEqual([NOTIFICATION_TOPICS.tierState]);
  });

  it("never lets one team's tag match inside another's", () => {
    const tags = teamTags(['group:default/team-a', 'group:default/team-ab']);
    expect(tags).toBe(
      '(team group:default/team-a) (team group:default/team-ab)',
    );
    expect(tags.split(teamTag('group:default/team-a')).length).toBe(2);
  });
});
