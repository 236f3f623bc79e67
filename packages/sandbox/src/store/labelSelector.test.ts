import { LabelSelectorError, parseLabelSelector } from './labelSelector';

const labels = {
  app: 'web',
  tier: 'frontend',
  'app.kubernetes.io/instance': 'payments',
  empty: '',
  replicas: '3',
};

// The grammar is table-tested in @internal/kube-model; these keep the store's
// predicate-returning `parseLabelSelector` honest.
describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app = web', true],
    ['app=api', false],
    ['missing=x', false],
    ['app!=api', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web,api)', true],
    ['app in (api)', false],
    ['missing in (x)', false],
    ['app notin (api,db)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['empty=', true],
    ['app.kubernetes.io/instance=payments', true],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    [
      'app in (web, api),tier notin (backend),!missing,app.kubernetes.io/instance',
      true,
    ],
    ['replicas>2', true],
    ['replicas<2', false],
  ])('%j matches the labels: %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it.each([
    ['app=web', false],
    ['!app', true],
    ['app!=web', true],
    ['', true],
  ])('%j on an object without labels: %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(undefined)).toBe(expected);
  });

  it.each([
    ['app=web,'],
    [',app=web'],
    ['app in web'],
    ['app in (web'],
    ['app in ()'],
    ['app notin (a b)'],
    ['=web'],
    ['app=we b'],
    ['app=web extra'],
    ['-bad=x'],
    ['Bad.Prefix/app=x'],
    ['app=-bad'],
    ['app!'],
    ['!'],
    ['app>x'],
    [`app=${'v'.repeat(64)}`],
  ])('rejects %j', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
  });
});
