import {
  matchPattern,
  matchValuePattern,
  parseKey,
  PatternSyntaxError,
} from './pattern';
import { wildcardMatch } from './wildcard';

describe('wildcardMatch', () => {
  it.each([
    ['*', '', true],
    ['?*', '', false],
    ['?*', 'a', true],
    ['nginx:*', 'nginx:1.25', true],
    ['*:latest', 'nginx:1.25', false],
    ['prod-?', 'prod-1', true],
    ['prod-?', 'prod-12', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
  ])('%p matches %p: %p', (pattern, text, expected) => {
    expect(wildcardMatch(pattern, text)).toBe(expected);
  });
});

describe('matchValuePattern', () => {
  it.each([
    // wildcards
    ['*', 'anything', true],
    ['*', '', true],
    ['*', undefined, false],
    ['?*', 'x', true],
    ['?*', '', false],
    ['?*', null, false],
    ['nginx:?.*', 'nginx:1.25', true],
    ['nginx:?.*', 'nginx:12.5', false],
    // alternatives and conjunction
    ['Always | IfNotPresent', 'IfNotPresent', true],
    ['Always | IfNotPresent', 'Never', false],
    ['>1 & <5', '3', true],
    ['>1 & <5', '7', false],
    // negation
    ['!*:latest', 'nginx:1.25', true],
    ['!*:latest', 'nginx:latest', false],
    ['!default', 'team-a', true],
    ['!default', 'default', false],
    // numeric comparison, quantities, durations
    ['>1', 2, true],
    ['>1', 1, false],
    ['>=1', 1, true],
    ['<3', 3, false],
    ['<=2Gi', '1Gi', true],
    ['<=2Gi', '3Gi', false],
    ['>100m', '250m', true],
    ['>100m', '0.05', false],
    ['<=1h', '30m', true],
    ['<=1h', '2h', false],
    ['>1', 'abc', false],
    // ranges
    ['1-10', 5, true],
    ['1-10', 11, false],
    ['1!-10', 11, true],
    ['1!-10', 5, false],
    ['100m-2', '500m', true],
    ['100m-2', '3', false],
    // numeric equality of quantities, string form of numbers/bools
    ['1Gi', '1024Mi', true],
    ['1Gi', '1000Mi', false],
    ['80', 80, true],
    ['80', 81, false],
    ['false', false, true],
    ['false', true, false],
    // number / bool patterns
    [80, 80, true],
    [80, '80', true],
    [80, 8080, false],
    [true, true, true],
    [true, 'true', false],
    // null pattern
    [null, undefined, true],
    [null, null, true],
    [null, '', true],
    [null, 'x', false],
    [null, 1, false],
    // string pattern vs map
    ['*', { a: 1 }, true],
    ['?*', { a: 1 }, false],
  ])('pattern %p vs %p -> %p', (pattern, value, expected) => {
    expect(matchValuePattern(value, pattern)).toBe(expected);
  });

  it('rejects a comparison without a comparable operand', () => {
    expect(() => matchValuePattern('1', '>abc')).toThrow(PatternSyntaxError);
  });
});

describe('parseKey', () => {
  it.each([
    ['name', 'none', 'name'],
    ['(name)', 'conditional', 'name'],
    ['=(name)', 'equality', 'name'],
    ['^(containers)', 'existence', 'containers'],
    ['X(hostPath)', 'negation', 'hostPath'],
    ['<(image)', 'global', 'image'],
  ])('%p -> %p %p', (raw, anchor, key) => {
    expect(parseKey(raw)).toEqual({ anchor, key });
  });

  it.each([['+(name)'], ['()']])('rejects %p', raw => {
    expect(() => parseKey(raw)).toThrow(PatternSyntaxError);
  });
});

const pod = (
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', ...metadata },
  spec,
});

describe('matchPattern', () => {
  it.each([
    // plain maps: every key must exist and match
    [
      'map keys, pass',
      { metadata: { labels: { app: '?*' } } },
      pod({}, { labels: { app: 'a' } }),
      'pass',
      undefined,
    ],
    [
      'map keys, missing key fails',
      { metadata: { labels: { app: '?*' } } },
      pod({}, { labels: {} }),
      'fail',
      '/metadata/labels/app/',
    ],
    [
      'map keys, missing map fails',
      { metadata: { labels: { app: '?*' } } },
      pod({}),
      'fail',
      '/metadata/labels/',
    ],
    [
      'map vs scalar fails',
      { spec: { containers: { a: 1 } } },
      pod({ containers: 'x' }),
      'fail',
      '/spec/containers/',
    ],
    // arrays: one element pattern applies to all elements
    [
      'array, all match',
      { spec: { containers: [{ image: '!*:latest' }] } },
      pod({ containers: [{ image: 'a:1' }, { image: 'b:2' }] }),
      'pass',
      undefined,
    ],
    [
      'array, one fails',
      { spec: { containers: [{ image: '!*:latest' }] } },
      pod({ containers: [{ image: 'a:1' }, { image: 'b:latest' }] }),
      'fail',
      '/spec/containers/1/image/',
    ],
    [
      'scalar array pass',
      { spec: { args: ['!--privileged'] } },
      pod({ args: ['--a', '--b'] }),
      'pass',
      undefined,
    ],
    [
      'scalar array fail',
      { spec: { args: ['!--privileged'] } },
      pod({ args: ['--a', '--privileged'] }),
      'fail',
      '/spec/args/',
    ],
    [
      'array vs map fails',
      { spec: { containers: [{ name: '*' }] } },
      pod({ containers: { name: 'x' } }),
      'fail',
      '/spec/containers/',
    ],
    [
      'scalar pattern array: every element must match its first element (Kyverno validateArray)',
      { spec: { ports: [80, 443] } },
      pod({ ports: [80, 80] }),
      'pass',
      undefined,
    ],
    [
      'scalar pattern array: an element other than the first pattern element fails',
      { spec: { ports: [80, 443] } },
      pod({ ports: [80, 443] }),
      'fail',
      '/spec/ports/',
    ],
    // conditional anchor: element skipped when the condition fails
    [
      'conditional in array: matching element validated, pass',
      {
        spec: {
          containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }],
        },
      },
      pod({
        containers: [
          { image: 'a:latest', imagePullPolicy: 'Always' },
          { image: 'b:1', imagePullPolicy: 'IfNotPresent' },
        ],
      }),
      'pass',
      undefined,
    ],
    [
      'conditional in array: matching element validated, fail',
      {
        spec: {
          containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }],
        },
      },
      pod({
        containers: [
          { image: 'b:1' },
          { image: 'a:latest', imagePullPolicy: 'IfNotPresent' },
        ],
      }),
      'fail',
      '/spec/containers/1/imagePullPolicy/',
    ],
    [
      'conditional in array: no element meets the condition -> skip',
      {
        spec: {
          containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }],
        },
      },
      pod({ containers: [{ image: 'b:1' }] }),
      'skip',
      '/spec/containers/0/image/',
    ],
    [
      'conditional on missing key -> skip',
      { metadata: { '(labels)': { tier: 'frontend' }, name: 'web-*' } },
      pod({}, { name: 'x' }),
      'skip',
      '/metadata/labels/',
    ],
    [
      'conditional met, rest of the map applies (fail)',
      { metadata: { labels: { '(tier)': 'frontend', team: '?*' } } },
      pod({}, { labels: { tier: 'frontend' } }),
      'fail',
      '/metadata/labels/team/',
    ],
    // equality anchor
    [
      'equality: key absent -> pass',
      {
        spec: {
          containers: [{ '=(securityContext)': { '=(privileged)': 'false' } }],
        },
      },
      pod({ containers: [{ name: 'a' }, { name: 'b', securityContext: {} }] }),
      'pass',
      undefined,
    ],
    [
      'equality: key present and matching -> pass',
      {
        spec: {
          containers: [{ '=(securityContext)': { '=(privileged)': 'false' } }],
        },
      },
      pod({ containers: [{ securityContext: { privileged: false } }] }),
      'pass',
      undefined,
    ],
    [
      'equality: key present and not matching -> fail',
      {
        spec: {
          containers: [{ '=(securityContext)': { '=(privileged)': 'false' } }],
        },
      },
      pod({ containers: [{ securityContext: { privileged: true } }] }),
      'fail',
      '/spec/containers/0/securityContext/privileged/',
    ],
    // existence anchor
    [
      'existence: one element matches -> pass',
      { spec: { '^(containers)': [{ image: 'registry.io/*' }] } },
      pod({
        containers: [{ image: 'docker.io/a' }, { image: 'registry.io/b' }],
      }),
      'pass',
      undefined,
    ],
    [
      'existence: no element matches -> fail',
      { spec: { '^(containers)': [{ image: 'registry.io/*' }] } },
      pod({ containers: [{ image: 'docker.io/a' }] }),
      'fail',
      '/spec/containers/',
    ],
    // negation anchor
    [
      'negation: key absent -> pass',
      { spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } },
      pod({ volumes: [{ emptyDir: {} }] }),
      'pass',
      undefined,
    ],
    [
      'negation: key present -> fail',
      { spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } },
      pod({ volumes: [{ emptyDir: {} }, { hostPath: { path: '/' } }] }),
      'fail',
      '/spec/volumes/1/hostPath/',
    ],
    [
      'negation: explicit null counts as absent',
      { spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } },
      pod({ volumes: [{ emptyDir: {}, hostPath: null }] }),
      'pass',
      undefined,
    ],
    // global anchor
    [
      'global: condition met, sibling validated (pass)',
      {
        spec: {
          containers: [{ name: '*', '<(image)': 'corp/*' }],
          imagePullSecrets: [{ name: 'corp-pull' }],
        },
      },
      pod({
        containers: [{ name: 'a', image: 'corp/a' }],
        imagePullSecrets: [{ name: 'corp-pull' }],
      }),
      'pass',
      undefined,
    ],
    [
      'global: condition met, sibling validated (fail)',
      {
        spec: {
          containers: [{ name: '*', '<(image)': 'corp/*' }],
          imagePullSecrets: [{ name: 'corp-pull' }],
        },
      },
      pod({ containers: [{ name: 'a', image: 'corp/a' }] }),
      'fail',
      '/spec/imagePullSecrets/',
    ],
    [
      'global: condition not met -> whole pattern skipped',
      {
        spec: {
          containers: [{ name: '*', '<(image)': 'corp/*' }],
          imagePullSecrets: [{ name: 'corp-pull' }],
        },
      },
      pod({ containers: [{ name: 'a', image: 'docker.io/a' }] }),
      'skip',
      '/spec/containers/0/image/',
    ],
    // null pattern in a map
    [
      'null pattern, absent -> pass',
      { spec: { hostNetwork: null } },
      pod({}),
      'pass',
      undefined,
    ],
    [
      'null pattern, present -> fail',
      { spec: { hostNetwork: null } },
      pod({ hostNetwork: true }),
      'fail',
      '/spec/hostNetwork/',
    ],
  ])('%s', (_name, pattern, resource, status, path) => {
    const outcome = matchPattern(resource, pattern);
    expect(outcome.status).toBe(status);
    expect(outcome.status === 'pass' ? undefined : outcome.path).toBe(path);
  });

  it.each([
    ['empty array pattern', { spec: { containers: [] } }],
    ['mutate-only anchor', { metadata: { '+(labels)': {} } }],
    [
      'existence anchor without array',
      { spec: { '^(containers)': { name: 'x' } } },
    ],
    ['non-comparable operand', { spec: { replicas: '>many' } }],
  ])('throws PatternSyntaxError for %s', (_name, pattern) => {
    expect(() =>
      matchPattern(
        pod({ containers: [{ name: 'a' }], replicas: 1 }, { labels: {} }),
        pattern,
      ),
    ).toThrow(PatternSyntaxError);
  });
});
