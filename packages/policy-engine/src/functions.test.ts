import { KYVERNO_FUNCTIONS, UnsupportedFunctionError } from './functions';
import { evaluateJmespath, JmespathError, UnknownKeyError } from './jmespath';

const data = {
  name: 'Frontend-Web',
  labels: { app: 'web', tier: 'frontend' },
  selector: { app: 'web' },
  containers: [{ name: 'a' }, { name: 'b' }],
  cm: { 'config.yaml': 'replicas: 3\nimage: nginx\n' },
};

const q = (expression: string) => evaluateJmespath(expression, data);

// Expected values follow the Kyverno docs, "JMESPath" → "Custom Filters" (one
// entry per filter), and the Go semantics those entries name.
describe('Kyverno docs, JMESPath → Custom Filters', () => {
  it.each<[string, string, unknown]>([
    ['compare', "compare('a', 'b')", -1],
    ['compare', "compare('b', 'a')", 1],
    ['compare', "compare('a', 'a')", 0],
    ['equal_fold', "equal_fold('Go', 'GO')", true],
    ['equal_fold', "equal_fold('Go', 'Ga')", false],
    [
      'replace',
      "replace('Lorem ipsum dolor ipsum', 'ipsum', 'muspi', `1`)",
      'Lorem muspi dolor ipsum',
    ],
    ['replace', "replace('a-a-a', '-', '+', `-1`)", 'a+a+a'],
    ['replace_all', "replace_all('a-a-a', '-', '+')", 'a+a+a'],
    ['to_upper', 'to_upper(name)', 'FRONTEND-WEB'],
    ['to_lower', 'to_lower(name)', 'frontend-web'],
    ['trim', "trim('¡¡¡Hello, Gophers!!!', '!¡')", 'Hello, Gophers'],
    ['trim_prefix', "trim_prefix('registry.io/app', 'registry.io/')", 'app'],
    ['trim_prefix', "trim_prefix('app', 'registry.io/')", 'app'],
    ['split', "split('a,b,c', ',')", ['a', 'b', 'c']],
    [
      'regex_replace_all',
      "regex_replace_all('([Hh]e|G)l', 'Hello, Gophers', '${1}G')",
      'HeGlo, Gophers',
    ],
    [
      'regex_replace_all',
      "regex_replace_all('(\\d+)', 'v1.22', '<$1>')",
      'v<1>.<22>',
    ],
    [
      'regex_replace_all_literal',
      "regex_replace_all_literal('[0-9]', 'abc123', '$1')",
      'abc$1$1$1',
    ],
    ['regex_match', "regex_match('^[a-z]+-web$', 'frontend-web')", true],
    ['regex_match', "regex_match('^[0-9]+$', `123`)", true],
    ['regex_match', "regex_match('(?i)^frontend', name)", true],
    ['regex_match', "regex_match('^x', name)", false],
    ['pattern_match', "pattern_match('front*', 'frontend')", true],
    ['pattern_match', "pattern_match('1??', `123`)", true],
    ['pattern_match', "pattern_match('back*', 'frontend')", false],
    ['label_match', 'label_match(selector, labels)', true],
    ['label_match', 'label_match(`{"app": "api"}`, labels)', false],
    ['to_boolean', "to_boolean('TruE')", true],
    ['to_boolean', "to_boolean('faLSE')", false],
    ['add (numbers)', 'add(`12`, `13`)', 25],
    ['add (quantities)', "add('12Mi', '13Mi')", '25Mi'],
    ['add (quantities, mixed suffixes)', "add('1Gi', '512Mi')", '1536Mi'],
    ['add (durations)', "add('1h', '30m0s')", '1h30m0s'],
    ['sum (numbers)', 'sum([`1`, `2`, `3`])', 6],
    ['sum (quantities)', "sum(['100m', '200m', '1'])", '1300m'],
    ['sum (durations)', "sum(['1m0s', '30s'])", '1m30s'],
    ['subtract', 'subtract(`12`, `13`)', -1],
    ['subtract (quantities)', "subtract('2Gi', '512Mi')", '1536Mi'],
    ['subtract (durations)', "subtract('2h', '30m0s')", '1h30m0s'],
    ['multiply', 'multiply(`12`, `13`)', 156],
    ['multiply (quantity × number)', "multiply('250m', `4`)", '1'],
    ['multiply (duration × number)', "multiply('10s', `6`)", '1m0s'],
    ['divide', 'divide(`12`, `4`)', 3],
    ['divide (quantity / quantity)', "divide('1Gi', '512Mi')", 2],
    ['divide (quantity / number)', "divide('1Gi', `2`)", '512Mi'],
    ['divide (duration / duration)', "divide('1h', '15m0s')", 4],
    ['modulo', 'modulo(`13`, `4`)', 1],
    ['modulo (durations)', "modulo('1h10m', '30m0s')", '10m0s'],
    ['round', 'round(`3.14159`, `2`)', 3.14],
    ['round', 'round(`2.5`, `0`)', 3],
    ['base64_encode', "base64_encode('hello: world')", 'aGVsbG86IHdvcmxk'],
    ['base64_decode', "base64_decode('aGVsbG86IHdvcmxk')", 'hello: world'],
    [
      'time_since',
      "time_since('', '2021-01-02T15:04:05Z', '2021-01-02T16:05:06Z')",
      '1h1m1s',
    ],
    [
      'time_since (Go layout)',
      "time_since('2006-01-02 15:04:05', '2021-01-02 15:04:05', '2021-01-03 15:04:05')",
      '24h0m0s',
    ],
    [
      'path_canonicalize',
      "path_canonicalize('/var//lib/../run/./secrets/')",
      '/var/run/secrets',
    ],
    ['path_canonicalize', "path_canonicalize('//etc')", '/etc'],
    ['truncate', 'truncate(name, `8`)', 'Frontend'],
    ['truncate', 'truncate(name, `99`)', 'Frontend-Web'],
    ['semver_compare', "semver_compare('1.2.3', '>1.0.0 <2.0.0')", true],
    [
      'semver_compare',
      "semver_compare('2.1.0', '>1.0.0 <2.0.0 || >=3.0.0')",
      false,
    ],
    ['semver_compare', "semver_compare('4.1.3', '1.x || >=4.0.0')", true],
    ['semver_compare', "semver_compare('1.2.3-beta', '<1.2.3')", true],
    ['parse_json', 'parse_json(\'{"a": [1, 2]}\')', { a: [1, 2] }],
    [
      'parse_yaml',
      'parse_yaml(cm."config.yaml")',
      { replicas: 3, image: 'nginx' },
    ],
    ['lookup (object)', "lookup(labels, 'tier')", 'frontend'],
    ['lookup (array)', 'lookup(containers, `1`)', { name: 'b' }],
    ['lookup (missing)', "lookup(labels, 'nope')", null],
    [
      'items (object)',
      "items(labels, 'key', 'value')",
      [
        { key: 'app', value: 'web' },
        { key: 'tier', value: 'frontend' },
      ],
    ],
    [
      'items (array)',
      "items(containers, 'i', 'c')",
      [
        { i: 0, c: { name: 'a' } },
        { i: 1, c: { name: 'b' } },
      ],
    ],
    [
      'object_from_lists',
      "object_from_lists(['a', 'b'], [`1`])",
      { a: 1, b: null },
    ],
    ['time_to_cron', "time_to_cron('2024-01-15T10:30:00Z')", '30 10 15 1 1'],
    [
      'time_add',
      "time_add('2021-01-02T15:04:05Z', '3h')",
      '2021-01-02T18:04:05Z',
    ],
    [
      'time_parse',
      "time_parse('2006-01-02T15:04:05Z07:00', '2021-01-02T15:04:05-07:00')",
      '2021-01-02T15:04:05-07:00',
    ],
    [
      'time_parse (epoch)',
      "time_parse('1136214245', '1136214245')",
      '2006-01-02T15:04:05Z',
    ],
    [
      'time_parse (Mon Jan _2)',
      "time_parse('Mon Jan _2 15:04:05 2006', 'Sat Jan  2 15:04:05 2021')",
      '2021-01-02T15:04:05Z',
    ],
    [
      'time_utc',
      "time_utc('2021-01-02T18:04:05+03:00')",
      '2021-01-02T15:04:05Z',
    ],
    [
      'time_diff',
      "time_diff('2021-01-02T15:04:05Z', '2021-01-02T16:04:05Z')",
      '1h0m0s',
    ],
    [
      'time_before',
      "time_before('2021-01-02T15:04:05Z', '2021-01-02T16:04:05Z')",
      true,
    ],
    [
      'time_after',
      "time_after('2021-01-02T15:04:05Z', '2021-01-02T16:04:05Z')",
      false,
    ],
    [
      'time_between',
      "time_between('2021-01-02T15:30:00Z', '2021-01-02T15:00:00Z', '2021-01-02T16:00:00Z')",
      true,
    ],
    [
      'time_truncate',
      "time_truncate('2021-01-02T15:04:05Z', '1h')",
      '2021-01-02T15:00:00Z',
    ],
    ['image_normalize', "image_normalize('nginx')", 'docker.io/nginx:latest'],
    [
      'is_external_url (public IP)',
      "is_external_url('https://8.8.8.8/x')",
      true,
    ],
    [
      'is_external_url (private IP)',
      "is_external_url('http://10.1.2.3:8080')",
      false,
    ],
    [
      'is_external_url (172.16/12)',
      "is_external_url('http://172.20.0.1')",
      false,
    ],
    [
      'is_external_url (loopback)',
      "is_external_url('http://127.0.0.1')",
      false,
    ],
    [
      'is_external_url (IPv6 loopback)',
      "is_external_url('http://[::1]:80/')",
      false,
    ],
    [
      'is_external_url (IPv6 ULA)',
      "is_external_url('http://[fd00::1]/')",
      false,
    ],
    [
      'is_external_url (localhost)',
      "is_external_url('http://localhost:3000')",
      false,
    ],
    [
      'sha256',
      "sha256('abc')",
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    ],
    ['sha1', "sha1('abc')", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['md5', "md5('abc')", '900150983cd24fb0d6963f7d28e17f72'],
    [
      'image_normalize',
      "image_normalize('ghcr.io/acme/app:1.2')",
      'ghcr.io/acme/app:1.2',
    ],
  ])('%s: %s', (_name, expression, expected) => {
    expect(q(expression)).toEqual(expected);
  });

  it('time_now and time_now_utc are RFC 3339 now', () => {
    const now = q('time_now_utc()') as string;
    expect(now).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Math.abs(Date.parse(now) - Date.now())).toBeLessThan(5000);
    expect(q('time_now()')).toMatch(/Z$/);
  });

  it.each([
    ['random', "random('[0-9a-z]{5}')"],
    [
      'is_external_url with a host name (needs DNS)',
      "is_external_url('http://example.com')",
    ],
  ])('%s is unsupported and says so', (_name, expression) => {
    expect(() => q(expression)).toThrow(UnsupportedFunctionError);
  });

  it.each([
    ['type mismatch in arithmetic', "add('1Gi', '1h')"],
    // Kyverno reads a string as a quantity before a duration: '30m' is 30 milli-units.
    ['quantity-looking duration', "add('1h', '30m')"],
    ['division by zero', 'divide(`1`, `0`)'],
    ['to_boolean of a non-boolean', "to_boolean('yes')"],
    ['wrong argument type', 'to_upper(`1`)'],
    ['unknown function', 'no_such_function(name)'],
    ['syntax error', 'name.['],
  ])('%s is a JMESPath error', (_name, expression) => {
    expect(() => q(expression)).toThrow(JmespathError);
  });

  it('every function Kyverno lists is declared', () => {
    expect(KYVERNO_FUNCTIONS.map(f => f.name).sort()).toEqual(
      [
        'add',
        'base64_decode',
        'base64_encode',
        'compare',
        'divide',
        'equal_fold',
        'image_normalize',
        'is_external_url',
        'items',
        'label_match',
        'lookup',
        'md5',
        'modulo',
        'multiply',
        'object_from_lists',
        'parse_json',
        'parse_yaml',
        'path_canonicalize',
        'pattern_match',
        'random',
        'regex_match',
        'regex_replace_all',
        'regex_replace_all_literal',
        'replace',
        'replace_all',
        'round',
        'semver_compare',
        'sha1',
        'sha256',
        'split',
        'subtract',
        'sum',
        'time_add',
        'time_after',
        'time_before',
        'time_between',
        'time_diff',
        'time_now',
        'time_now_utc',
        'time_parse',
        'time_since',
        'time_to_cron',
        'time_truncate',
        'time_utc',
        'to_boolean',
        'to_lower',
        'to_upper',
        'trim',
        'trim_prefix',
        'truncate',
        'x509_decode',
      ].sort(),
    );
  });
});

describe('Kyverno docs, JMESPath: missing keys', () => {
  it('a backtick literal that is not JSON is a string (go-jmespath legacy literals)', () => {
    expect(q('labels.app == `web`')).toBe(true);
  });

  it('a plain path to a missing key is an error; `||` supplies a default', () => {
    expect(() => q('labels.team')).toThrow(UnknownKeyError);
    expect(q("labels.team || 'none'")).toBe('none');
    expect(q('containers[5]')).toBeNull();
    expect(q('containers[].image')).toEqual([]);
  });
});
