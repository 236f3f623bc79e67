import { globMatcher } from './globs';

describe('globMatcher', () => {
  const matches = globMatcher([
    'K8s/teams/*/catalog-info.yaml',
    'K8s/apps/*/*/catalog-info.yaml',
  ]);

  it.each([
    ['K8s/teams/team-a/catalog-info.yaml', true],
    ['K8s/apps/team-a/api/catalog-info.yaml', true],
    ['K8s/teams/catalog-info.yaml', false],
    ['K8s/teams/team-a/sub/catalog-info.yaml', false],
    ['K8s/apps/team-a/catalog-info.yaml', false],
    ['K8s/observability/loki/catalog-info.yaml', false],
    ['K8s/teams/team-a/catalog-info.yaml.bak', false],
    ['K8s/teams/team-a/catalog-infoXyaml', false],
  ])('%s → %s', (p, expected) => {
    expect(matches(p)).toBe(expected);
  });

  it('supports ** for any depth', () => {
    const any = globMatcher(['K8s/**/catalog-info.yaml']);
    expect(any('K8s/catalog-info.yaml')).toBe(true);
    expect(any('K8s/a/b/c/catalog-info.yaml')).toBe(true);
    expect(any('other/catalog-info.yaml')).toBe(false);
  });
});
