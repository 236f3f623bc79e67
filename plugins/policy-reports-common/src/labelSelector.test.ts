import {
  InvalidLabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';

// The parser itself is table-tested in @internal/kube-model; this checks the
// names this package exports keep behaving as entity matching relies on.
describe('label selectors', () => {
  const labels = {
    app: 'web',
    tier: 'frontend',
    'app.kubernetes.io/part-of': 'shop',
  };

  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app in (web, api)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app.kubernetes.io/part-of', true],
    ['!app', false],
    ['!missing', true],
    ['app=web,tier in (frontend,backend),!legacy', true],
    ['app=web,tier=backend', false],
    ['', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabelSelector(labels, parseLabelSelector(selector))).toBe(
      expected,
    );
  });

  it.each(['app=(web', 'a b', '=web'])('rejects %s', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(
      InvalidLabelSelectorError,
    );
  });

  it('treats missing labels as no labels', () => {
    expect(matchesLabelSelector(undefined, parseLabelSelector('!app'))).toBe(
      true,
    );
  });
});
