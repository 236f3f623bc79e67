import {
  LabelSelectorError,
  compileLabelSelector,
  labelSelectorRequirements,
  matchesLabelSelector,
  matchesLabelSelectorObject,
  parseLabelSelector,
} from './labelSelector';

const labels = {
  app: 'web',
  tier: 'frontend',
  'app.kubernetes.io/instance': 'payments',
  empty: '',
  replicas: '3',
};

describe('parseLabelSelector', () => {
  it('parses every requirement form', () => {
    expect(
      parseLabelSelector('a=b,c!=d,e in (f, g),!h,i,j==k,l notin (m),n>1,o<2'),
    ).toEqual([
      { key: 'a', operator: 'In', values: ['b'] },
      { key: 'c', operator: 'NotIn', values: ['d'] },
      { key: 'e', operator: 'In', values: ['f', 'g'] },
      { key: 'h', operator: 'DoesNotExist', values: [] },
      { key: 'i', operator: 'Exists', values: [] },
      { key: 'j', operator: 'In', values: ['k'] },
      { key: 'l', operator: 'NotIn', values: ['m'] },
      { key: 'n', operator: 'Gt', values: ['1'] },
      { key: 'o', operator: 'Lt', values: ['2'] },
    ]);
  });

  it.each([
    ['', []],
    ['  ', []],
    ['a=', [{ key: 'a', operator: 'In', values: [''] }]],
    ['a in (x,)', [{ key: 'a', operator: 'In', values: ['x', ''] }]],
    ['a in (,x)', [{ key: 'a', operator: 'In', values: ['', 'x'] }]],
    ['a in (x,x)', [{ key: 'a', operator: 'In', values: ['x'] }]],
    ['\ta = b ', [{ key: 'a', operator: 'In', values: ['b'] }]],
  ])('%j parses to %j', (selector, expected) => {
    expect(parseLabelSelector(selector)).toEqual(expected);
  });

  it.each([
    'app=web,',
    ',app=web',
    'app in web',
    'app in (web',
    'app in ()',
    'app notin (a b)',
    'app=(web',
    '=web',
    'a b',
    'a b c',
    'app=we b',
    'app=web extra',
    '-bad=x',
    'Bad.Prefix/app=x',
    `${'k'.repeat(64)}=x`,
    'app=-bad',
    'app!',
    '!',
    'app>x',
    `app=${'v'.repeat(64)}`,
  ])('rejects %j', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
  });

  it('names the selector in the error', () => {
    expect(() => parseLabelSelector('a b')).toThrow(
      'invalid label selector "a b"',
    );
  });
});

describe('matchesLabelSelector / compileLabelSelector', () => {
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
    ['empty', true],
    ['app.kubernetes.io/instance=payments', true],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    [
      'app in (web, api),tier notin (backend),!missing,app.kubernetes.io/instance',
      true,
    ],
    ['replicas>2', true],
    ['replicas<2', false],
    ['app>2', false],
    ['missing<2', false],
    ['constructor', false],
  ])('%j matches the labels: %s', (selector, expected) => {
    expect(matchesLabelSelector(labels, parseLabelSelector(selector))).toBe(
      expected,
    );
    expect(compileLabelSelector(selector)(labels)).toBe(expected);
  });

  it.each([
    ['app=web', false],
    ['!app', true],
    ['app!=web', true],
    ['app notin (web)', true],
    ['', true],
  ])('%j on an object without labels: %s', (selector, expected) => {
    expect(compileLabelSelector(selector)(undefined)).toBe(expected);
  });
});

describe('label selector objects', () => {
  const podLabels = { app: 'payments', tier: 'backend' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'payments' } }, true],
    [{ matchLabels: { app: 'payments', tier: 'db' } }, false],
    [{ matchLabels: { team: 'a' } }, false],
    [
      {
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['db', 'backend'] },
        ],
      },
      true,
    ],
    [
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] },
      false,
    ],
    [
      {
        matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
      },
      true,
    ],
    [
      { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] },
      true,
    ],
    [
      {
        matchExpressions: [
          { key: 'tier', operator: 'NotIn', values: ['backend'] },
        ],
      },
      false,
    ],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [
      {
        matchLabels: { app: 'payments' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }],
      },
      false,
    ],
  ])('%j -> %p', (selector, expected) => {
    expect(matchesLabelSelectorObject(podLabels, selector)).toBe(expected);
    expect(
      matchesLabelSelector(podLabels, labelSelectorRequirements(selector)),
    ).toBe(expected);
  });

  it.each([
    [{ key: 'a', operator: 'Gt', values: ['1'] }],
    [{ key: 'a', operator: 'in', values: ['x'] }],
    [{ key: 'a', operator: 'In', values: [] }],
    [{ key: 'a', operator: 'NotIn' }],
    [{ key: 'a', operator: 'Exists', values: ['x'] }],
  ])('rejects the expression %j', expression => {
    const selector = { matchExpressions: [expression] };
    expect(() => matchesLabelSelectorObject(podLabels, selector)).toThrow(
      LabelSelectorError,
    );
    expect(() => labelSelectorRequirements(selector)).toThrow(
      LabelSelectorError,
    );
  });

  it('compares matchLabels values with a custom matcher', () => {
    const prefix = (expected: string, actual: string) =>
      actual.startsWith(expected.replace(/\*$/, ''));
    expect(
      matchesLabelSelectorObject(
        podLabels,
        { matchLabels: { app: 'pay*' } },
        { matchLabelValue: prefix },
      ),
    ).toBe(true);
    expect(
      matchesLabelSelectorObject(podLabels, { matchLabels: { app: 'pay*' } }),
    ).toBe(false);
  });

  it('treats missing labels as no labels', () => {
    expect(
      matchesLabelSelectorObject(undefined, {
        matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }],
      }),
    ).toBe(true);
  });
});
