import { ownerOfPath, serviceDir, teamDir } from './layout';

describe('layout', () => {
  it('names team and service directories', () => {
    expect(teamDir('team-a')).toBe('K8s/teams/team-a');
    expect(serviceDir('team-a', 'web')).toBe('K8s/apps/team-a/web');
  });

  it.each([
    ['K8s/teams/x', { kind: 'team-dir', team: 'x' }],
    ['K8s/teams/x/namespace.yaml', { kind: 'team-dir', team: 'x' }],
    ['K8s/apps/x/svc', { kind: 'team-apps', team: 'x' }],
    ['K8s/apps/x', { kind: 'team-apps', team: 'x' }],
    ['K8s/teams/applicationset-teams.yaml', { kind: 'platform' }],
    ['K8s/apps/Team_X/svc', { kind: 'platform' }],
    ['K8s/policies/x', { kind: 'platform' }],
    ['K8s/teams', { kind: 'platform' }],
  ])('%s belongs to %j', (p, owner) => {
    expect(ownerOfPath(p)).toEqual(owner);
  });
});
