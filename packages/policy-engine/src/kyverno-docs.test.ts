/**
 * Table tests written from the Kyverno documentation (ClusterPolicy
 * "Validate Rules", "Preconditions", "Variables", "JMESPath", "Pod Security"
 * pages). Each test name cites the documentation section its expectation
 * comes from.
 */
import { evaluateCondition } from './conditions';
import { evaluatePolicies } from './evaluate';
import { extractImages, parseImageReference } from './images';
import type { EvaluationContext, KubeResource, RuleResult } from './types';

function clusterPolicy(
  rule: Record<string, unknown>,
  spec: Record<string, unknown> = {},
): KubeResource {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: {
      validationFailureAction: 'Enforce',
      rules: [
        {
          name: 'r',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          ...rule,
        },
      ],
      ...spec,
    },
  };
}

function pod(
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): KubeResource {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'team-a', ...metadata },
    spec,
  };
}

function evaluate(
  rule: Record<string, unknown>,
  resource: KubeResource,
  context: EvaluationContext = { operation: 'CREATE' },
): RuleResult[] {
  return evaluatePolicies([clusterPolicy(rule)], resource, context).filter(
    r => r.rule === 'r',
  );
}

function only(
  rule: Record<string, unknown>,
  resource: KubeResource,
  context?: EvaluationContext,
) {
  const results = evaluate(rule, resource, context);
  expect(results).toHaveLength(1);
  return results[0];
}

describe('Kyverno docs, Preconditions → Operators', () => {
  it.each<[string, string, unknown, unknown, boolean]>([
    ['Equals: strings', 'Equals', 'prod', 'prod', true],
    ['Equals: wildcard in value', 'Equals', 'prod-eu', 'prod-*', true],
    ['Equals: quantities compare numerically', 'Equals', '1Gi', '1024Mi', true],
    [
      'Equals: durations compare numerically (durations first)',
      'Equals',
      '1h',
      '60m',
      true,
    ],
    ['Equals: durations both unambiguous', 'Equals', '1h0m0s', '3600s', true],
    ['Equals: number and numeric string', 'Equals', 3, '3', true],
    ['Equals: booleans', 'Equals', true, true, true],
    ['Equals: boolean vs string', 'Equals', true, 'true', false],
    ['Equals: maps deep', 'Equals', { a: 1 }, { a: 1 }, true],
    ['Equals: arrays deep', 'Equals', ['a'], ['a'], true],
    ['Equals: null key', 'Equals', null, '', false],
    ['NotEquals', 'NotEquals', 'prod', 'dev', true],
    ['NotEquals: wildcard', 'NotEquals', 'prod-eu', 'prod-*', false],
    [
      'In (deprecated): scalar in list',
      'In',
      'prod',
      ['prod', 'staging'],
      true,
    ],
    ['In (deprecated): wildcard in list', 'In', 'prod', ['pr*'], true],
    ['In (deprecated): list subset', 'In', ['a', 'b'], ['a', 'b', 'c'], true],
    ['In (deprecated): JSON list string', 'In', 'b', '["a","b"]', true],
    ['AnyIn: one key in value', 'AnyIn', ['a', 'x'], ['a', 'b'], true],
    ['AnyIn: none', 'AnyIn', ['x', 'y'], ['a', 'b'], false],
    ['AnyIn: wildcard in value', 'AnyIn', ['ghcr.io/x'], ['ghcr.io/*'], true],
    ['AnyIn: range value', 'AnyIn', [8080, 22], '8000-9000', true],
    ['AllIn: all keys in value', 'AllIn', ['a', 'b'], ['a', 'b', 'c'], true],
    ['AllIn: one missing', 'AllIn', ['a', 'x'], ['a', 'b'], false],
    ['AllIn: range value', 'AllIn', [8080, 8443], '8000-9000', true],
    ['NotIn (deprecated)', 'NotIn', 'dev', ['prod'], true],
    ['NotIn (deprecated): present', 'NotIn', 'prod', ['prod'], false],
    ['AnyNotIn', 'AnyNotIn', ['a', 'x'], ['a', 'b'], true],
    ['AnyNotIn: all present', 'AnyNotIn', ['a', 'b'], ['a', 'b'], false],
    ['AllNotIn', 'AllNotIn', ['x', 'y'], ['a'], true],
    ['AllNotIn: one present', 'AllNotIn', ['x', 'a'], ['a'], false],
    ['AllNotIn: wildcard', 'AllNotIn', ['NET_ADMIN'], ['NET_*'], false],
    ['GreaterThan: numbers', 'GreaterThan', 3, 2, true],
    ['GreaterThan: numeric string', 'GreaterThan', '10', 9, true],
    ['GreaterThan: quantities', 'GreaterThan', '1Gi', '2Gi', false],
    [
      'GreaterThanOrEquals: quantities',
      'GreaterThanOrEquals',
      '1024Mi',
      '1Gi',
      true,
    ],
    ['GreaterThan: durations', 'GreaterThan', '2h', '90m0s', true],
    ['GreaterThan: semantic versions', 'GreaterThan', '1.10.0', '1.9.3', true],
    ['LessThan: semantic versions', 'LessThan', '1.10.0', '1.9.3', false],
    ['LessThan: numbers', 'LessThan', 1, 2, true],
    ['LessThanOrEquals: durations', 'LessThanOrEquals', '30m0s', '1h', true],
    ['LessThanOrEquals: durations', 'LessThanOrEquals', '2h', '1h', false],
    ['GreaterThan: incomparable is false', 'GreaterThan', 'abc', 1, false],
    [
      'DurationGreaterThan (deprecated)',
      'DurationGreaterThan',
      '2h',
      '1h',
      true,
    ],
    [
      'DurationGreaterThanOrEquals (deprecated)',
      'DurationGreaterThanOrEquals',
      '1h',
      '60m',
      true,
    ],
    [
      'DurationLessThan (deprecated): number is seconds',
      'DurationLessThan',
      30,
      '1m',
      true,
    ],
    [
      'DurationLessThanOrEquals (deprecated)',
      'DurationLessThanOrEquals',
      '2h',
      '1h',
      false,
    ],
    ['operators are case-insensitive', 'equals', 'a', 'a', true],
  ])('%s', (_name, operator, key, value, expected) => {
    expect(evaluateCondition({ key, operator, value })).toBe(expected);
  });
});

describe('Kyverno docs, Validate Rules → Deny rules', () => {
  const denyHostNetwork = {
    validate: {
      message:
        'Pod {{request.object.metadata.name}} must not use the host network.',
      deny: {
        conditions: {
          any: [
            {
              key: '{{ request.object.spec.hostNetwork || `false` }}',
              operator: 'Equals',
              value: true,
            },
          ],
        },
      },
    },
  };

  it('denies when the conditions hold, message substituted', () => {
    expect(
      only(denyHostNetwork, pod({ hostNetwork: true, containers: [] })),
    ).toMatchObject({
      result: 'fail',
      message: 'Pod web must not use the host network.',
    });
  });

  it('passes when they do not', () => {
    expect(only(denyHostNetwork, pod({ containers: [] }))).toMatchObject({
      result: 'pass',
      message: "validation rule 'r' passed.",
    });
  });

  it('legacy list form is all', () => {
    const rule = {
      validate: {
        deny: {
          conditions: [
            {
              key: '{{ request.object.metadata.name }}',
              operator: 'Equals',
              value: 'web',
            },
            {
              key: '{{ request.object.metadata.namespace }}',
              operator: 'Equals',
              value: 'other',
            },
          ],
        },
      },
    };
    expect(only(rule, pod({ containers: [] })).result).toBe('pass');
  });

  it('condition messages are appended ("Deny rules": message per condition)', () => {
    const rule = {
      validate: {
        message: 'blocked',
        deny: {
          conditions: {
            all: [
              {
                key: "{{ request.operation || 'BACKGROUND' }}",
                operator: 'AnyIn',
                value: ['CREATE', 'UPDATE'],
                message: 'only at admission',
              },
            ],
          },
        },
      },
    };
    expect(only(rule, pod({ containers: [] })).message).toBe(
      'blocked; only at admission',
    );
    // a background scan evaluates as a CREATE (Kyverno's scanner), so it denies too
    expect(only(rule, pod({ containers: [] }), {}).result).toBe('fail');
    expect(
      only(rule, pod({ containers: [] }), { operation: 'DELETE' }).result,
    ).toBe('pass');
  });

  it('no message at all', () => {
    const rule = { validate: { deny: {} } };
    expect(only(rule, pod({ containers: [] }))).toMatchObject({
      result: 'fail',
      message: 'validation error: rule r failed',
    });
  });

  it('a variable that cannot be resolved is an error (Variables: "Unknown key")', () => {
    const rule = {
      validate: {
        deny: {
          conditions: {
            any: [
              {
                key: '{{ request.object.metadata.labels.team }}',
                operator: 'Equals',
                value: 'x',
              },
            ],
          },
        },
      },
    };
    expect(only(rule, pod({ containers: [] })).result).toBe('error');
  });

  it('ownerReferences default idiom ("Variables": defaults with ||)', () => {
    const rule = {
      validate: {
        deny: {
          conditions: {
            any: [
              {
                key: "{{ request.object.metadata.ownerReferences[0].kind || '' }}",
                operator: 'Equals',
                value: '',
              },
            ],
          },
        },
      },
    };
    expect(only(rule, pod({ containers: [] })).result).toBe('fail');
    expect(
      only(
        rule,
        pod({ containers: [] }, { ownerReferences: [{ kind: 'ReplicaSet' }] }),
      ).result,
    ).toBe('pass');
  });
});

describe('Kyverno docs, Validate Rules → foreach', () => {
  const images = pod({
    initContainers: [{ name: 'init', image: 'busybox:1.36' }],
    containers: [
      { name: 'app', image: 'ghcr.io/acme/app:1.0' },
      { name: 'proxy', image: 'docker.io/envoy:latest' },
    ],
  });

  it('deny per element with element variables', () => {
    const rule = {
      validate: {
        message: 'image {{ element.image }} uses latest',
        foreach: [
          {
            list: 'request.object.spec.containers',
            deny: {
              conditions: {
                any: [
                  {
                    key: '{{ element.image }}',
                    operator: 'Equals',
                    value: '*:latest',
                  },
                ],
              },
            },
          },
        ],
      },
    };
    expect(only(rule, images)).toMatchObject({
      result: 'fail',
      message: 'validation failure: image docker.io/envoy:latest uses latest',
    });
  });

  it('pattern per element (elementScope: the element is the object)', () => {
    const rule = {
      validate: {
        message: 'images must come from ghcr.io',
        foreach: [
          {
            list: 'request.object.spec.containers',
            pattern: { image: 'ghcr.io/*' },
          },
        ],
      },
    };
    expect(only(rule, images)).toMatchObject({
      result: 'fail',
      message:
        'validation failure: validation error: images must come from ghcr.io. rule r failed at path /image/',
    });
  });

  it('anyPattern per element', () => {
    const rule = {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.containers',
            anyPattern: [{ image: 'ghcr.io/*' }, { image: 'docker.io/*' }],
          },
        ],
      },
    };
    expect(only(rule, images).result).toBe('pass');
  });

  it('per-element preconditions skip elements', () => {
    const rule = {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.containers',
            preconditions: {
              all: [
                {
                  key: '{{ element.name }}',
                  operator: 'NotEquals',
                  value: 'proxy',
                },
              ],
            },
            pattern: { image: '!*:latest' },
          },
        ],
      },
    };
    expect(only(rule, images).result).toBe('pass');
  });

  it('several declarations, list with a JMESPath filter and {{ }}', () => {
    const rule = {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.initContainers',
            pattern: { image: 'busybox:*' },
          },
          {
            list: "{{ request.object.spec.containers[?name == 'app'] }}",
            pattern: { image: 'ghcr.io/*' },
          },
        ],
      },
    };
    expect(only(rule, images).result).toBe('pass');
  });

  it('a missing list is skipped; nothing evaluated gives no result (as Kyverno)', () => {
    const rule = {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.ephemeralContainers',
            pattern: { image: 'x' },
          },
        ],
      },
    };
    expect(evaluate(rule, images)).toHaveLength(0);
  });

  it('nested foreach with element0 / elementIndex variables', () => {
    const ingress: KubeResource = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ing', namespace: 'team-a' },
      spec: {
        tls: [
          { hosts: ['a.example.com', 'b.example.com'] },
          { hosts: ['c.other.org'] },
        ],
      },
    };
    const rule = {
      match: { any: [{ resources: { kinds: ['Ingress'] } }] },
      validate: {
        message:
          'tls[{{elementIndex0}}] host {{ element }} is not under example.com',
        foreach: [
          {
            list: 'request.object.spec.tls',
            foreach: [
              {
                list: 'element.hosts',
                deny: {
                  conditions: {
                    all: [
                      {
                        key: '{{ element }}',
                        operator: 'NotEquals',
                        value: '*.example.com',
                      },
                    ],
                  },
                },
              },
            ],
          },
        ],
      },
    };
    expect(only(rule, ingress)).toMatchObject({
      result: 'fail',
      message:
        'validation failure: validation failure: tls[1] host c.other.org is not under example.com',
    });
  });

  it('a list expression that yields one object iterates over it (EvaluateList)', () => {
    const rule = {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.containers[0]',
            pattern: { name: 'app' },
          },
        ],
      },
    };
    expect(only(rule, images).result).toBe('pass');
  });

  it('elementScope: true on non-map elements is an error', () => {
    const rule = {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.containers[].name',
            elementScope: true,
            pattern: { x: 'y' },
          },
        ],
      },
    };
    expect(only(rule, images).result).toBe('error');
  });

  it('elementScope: false keeps the pattern on the resource', () => {
    const rule = {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.containers',
            elementScope: false,
            pattern: { metadata: { name: 'web' } },
          },
        ],
      },
    };
    expect(only(rule, images).result).toBe('pass');
  });

  it('foreach runs on Pod controllers through autogen (list moved to the template)', () => {
    const deployment: KubeResource = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team-a' },
      spec: { template: { metadata: {}, spec: images.spec } },
    };
    const rule = {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.containers',
            pattern: { image: '!*:latest' },
          },
        ],
      },
    };
    const results = evaluatePolicies([clusterPolicy(rule)], deployment, {
      operation: 'CREATE',
    });
    expect(results.map(r => [r.rule, r.result])).toEqual([
      ['autogen-r', 'fail'],
    ]);
  });
});

describe('Kyverno docs, Variables → images', () => {
  it.each<[string, Record<string, unknown>]>([
    [
      'nginx',
      { registry: 'docker.io', path: 'nginx', name: 'nginx', tag: 'latest' },
    ],
    [
      'nginx:1.27',
      { registry: 'docker.io', path: 'nginx', name: 'nginx', tag: '1.27' },
    ],
    [
      'bitnami/redis:7',
      { registry: 'docker.io', path: 'bitnami/redis', name: 'redis', tag: '7' },
    ],
    [
      'ghcr.io/acme/team/app:v2',
      { registry: 'ghcr.io', path: 'acme/team/app', name: 'app', tag: 'v2' },
    ],
    [
      'localhost:5000/app',
      { registry: 'localhost:5000', path: 'app', tag: 'latest' },
    ],
    [
      `quay.io/x/y@sha256:${'b'.repeat(64)}`,
      { registry: 'quay.io', path: 'x/y', digest: `sha256:${'b'.repeat(64)}` },
    ],
  ])('%s', (image, expected) => {
    expect(parseImageReference(image)).toMatchObject(expected);
  });

  it('rejects invalid references', () => {
    expect(parseImageReference('Nginx:1')).toBeUndefined();
    expect(parseImageReference('a:b:c')).toBeUndefined();
  });

  it('keys images by container type and name', () => {
    expect(
      extractImages(
        pod({
          containers: [{ name: 'c', image: 'nginx' }],
          initContainers: [{ name: 'i', image: 'busybox' }],
        }),
      ),
    ).toMatchObject({
      containers: { c: { name: 'nginx' } },
      initContainers: { i: { name: 'busybox' } },
    });
    expect(extractImages({ kind: 'ConfigMap' })).toBeNull();
  });

  it('a deny over images.containers values (allowed registries)', () => {
    const rule = {
      validate: {
        message: 'unknown registry',
        deny: {
          conditions: {
            any: [
              {
                key: '{{ images.containers.*.registry }}',
                operator: 'AnyNotIn',
                value: ['ghcr.io', 'registry.acme.io'],
              },
            ],
          },
        },
      },
    };
    expect(
      only(
        rule,
        pod({ containers: [{ name: 'a', image: 'ghcr.io/acme/a:1' }] }),
      ).result,
    ).toBe('pass');
    expect(
      only(rule, pod({ containers: [{ name: 'a', image: 'nginx:1' }] })).result,
    ).toBe('fail');
  });
});

describe('Kyverno docs, Validate Rules → Patterns: wildcards and anchors', () => {
  const annotated = (annotations: Record<string, string>) =>
    pod({ containers: [{ name: 'c', image: 'x:1' }] }, { annotations });

  it.each<[string, unknown, Record<string, string>, string]>([
    [
      'X(key) with a wildcard key: no annotation may match',
      { metadata: { '=(annotations)': { 'X(*-snippet)': 'null' } } },
      { 'nginx.ingress.kubernetes.io/server-snippet': 'x' },
      'fail',
    ],
    [
      'X(key) with a wildcard key: nothing matches, pass',
      { metadata: { '=(annotations)': { 'X(*-snippet)': 'null' } } },
      { other: 'x' },
      'pass',
    ],
    [
      '=(key) with a wildcard key checks every matching annotation',
      {
        metadata: {
          '=(annotations)': {
            '=(container.apparmor.security.beta.kubernetes.io/*)':
              'runtime/default | localhost/*',
          },
        },
      },
      { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' },
      'fail',
    ],
    [
      '=(key) with a wildcard key, allowed value',
      {
        metadata: {
          '=(annotations)': {
            '=(container.apparmor.security.beta.kubernetes.io/*)':
              'runtime/default | localhost/*',
          },
        },
      },
      {
        'container.apparmor.security.beta.kubernetes.io/c': 'localhost/custom',
      },
      'pass',
    ],
    [
      'plain wildcard label key must match some label',
      { metadata: { annotations: { 'app.kubernetes.io/*': '?*' } } },
      { 'app.kubernetes.io/name': 'web' },
      'pass',
    ],
    [
      'plain wildcard key with no match fails',
      { metadata: { annotations: { 'app.kubernetes.io/*': '?*' } } },
      { other: 'x' },
      'fail',
    ],
  ])('%s', (_name, pattern, annotations, expected) => {
    expect(only({ validate: { pattern } }, annotated(annotations)).result).toBe(
      expected,
    );
  });

  it('scalar pattern against an array value checks every element (supplementalGroups: ">0")', () => {
    const rule = {
      validate: {
        pattern: {
          spec: { '=(securityContext)': { '=(supplementalGroups)': '>0' } },
        },
      },
    };
    expect(
      only(
        rule,
        pod({ securityContext: { supplementalGroups: [32] }, containers: [] }),
      ).result,
    ).toBe('pass');
    expect(
      only(
        rule,
        pod({
          securityContext: { supplementalGroups: [32, 0] },
          containers: [],
        }),
      ).result,
    ).toBe('fail');
  });

  it.each<[string, unknown, unknown, string]>([
    [
      'equality inside existence',
      { spec: { '^(containers)': [{ '=(name)': 'app', image: 'x*' }] } },
      [
        { name: 'side', image: 'y' },
        { name: 'app', image: 'x:1' },
      ],
      'pass',
    ],
    [
      'conditional inside equality',
      { spec: { '=(containers)': [{ '(name)': 'app', image: 'x*' }] } },
      [{ name: 'app', image: 'y' }],
      'fail',
    ],
    [
      'negation inside conditional map',
      {
        spec: {
          containers: [{ '(name)': 'app', 'X(securityContext)': 'null' }],
        },
      },
      [{ name: 'app', securityContext: {} }],
      'fail',
    ],
    [
      'global anchor skips the rule',
      {
        spec: {
          containers: [{ '<(image)': '*:latest', imagePullPolicy: 'Always' }],
        },
      },
      [{ name: 'a', image: 'x:1' }],
      'skip',
    ],
    [
      'global anchor applies',
      {
        spec: {
          containers: [{ '<(image)': '*:latest', imagePullPolicy: 'Always' }],
        },
      },
      [{ name: 'a', image: 'x:latest', imagePullPolicy: 'IfNotPresent' }],
      'fail',
    ],
  ])('anchor combination: %s', (_name, pattern, containers, expected) => {
    expect(only({ validate: { pattern } }, pod({ containers })).result).toBe(
      expected,
    );
  });

  it('message with substituted variables, including JMESPath functions', () => {
    const rule = {
      validate: {
        message:
          '{{ request.object.kind }} {{ to_upper(request.object.metadata.name) }} needs labels',
        pattern: { metadata: { labels: { app: '?*' } } },
      },
    };
    expect(only(rule, pod({ containers: [] })).message).toBe(
      'validation error: Pod WEB needs labels. rule r failed at path /metadata/labels/',
    );
  });
});

describe('Kyverno docs, Pod Security (podSecurity subrule)', () => {
  const ps = (level: string, version = 'latest', exclude?: unknown[]) => ({
    validate: {
      podSecurity: { level, version, ...(exclude ? { exclude } : {}) },
    },
  });
  const restrictedOk = {
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name: 'app',
        image: 'ghcr.io/acme/app:1',
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        },
      },
    ],
  };

  it.each<[string, Record<string, unknown>, string, string, string]>([
    [
      'baseline: plain pod',
      { containers: [{ name: 'a', image: 'x' }] },
      'baseline',
      'latest',
      'pass',
    ],
    [
      'baseline: hostNetwork',
      { hostNetwork: true, containers: [] },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: privileged',
      { containers: [{ name: 'a', securityContext: { privileged: true } }] },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: NET_ADMIN',
      {
        containers: [
          {
            name: 'a',
            securityContext: { capabilities: { add: ['NET_ADMIN'] } },
          },
        ],
      },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: CHOWN allowed',
      {
        containers: [
          { name: 'a', securityContext: { capabilities: { add: ['CHOWN'] } } },
        ],
      },
      'baseline',
      'latest',
      'pass',
    ],
    [
      'baseline: hostPath',
      { volumes: [{ name: 'v', hostPath: { path: '/' } }], containers: [] },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: hostPort',
      {
        containers: [
          { name: 'a', ports: [{ containerPort: 80, hostPort: 80 }] },
        ],
      },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: procMount',
      {
        containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }],
      },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: seccomp Unconfined',
      {
        securityContext: { seccompProfile: { type: 'Unconfined' } },
        containers: [],
      },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: seLinux type',
      {
        securityContext: { seLinuxOptions: { type: 'spc_t' } },
        containers: [],
      },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: seLinux container_engine_t since v1.31',
      {
        securityContext: { seLinuxOptions: { type: 'container_engine_t' } },
        containers: [],
      },
      'baseline',
      'latest',
      'pass',
    ],
    [
      'baseline: seLinux container_engine_t at v1.30',
      {
        securityContext: { seLinuxOptions: { type: 'container_engine_t' } },
        containers: [],
      },
      'baseline',
      'v1.30',
      'fail',
    ],
    [
      'baseline: unsafe sysctl',
      {
        securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
        containers: [],
      },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: tcp_keepalive_time since v1.29',
      {
        securityContext: {
          sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '1' }],
        },
        containers: [],
      },
      'baseline',
      'v1.29',
      'pass',
    ],
    [
      'baseline: tcp_keepalive_time at v1.28',
      {
        securityContext: {
          sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '1' }],
        },
        containers: [],
      },
      'baseline',
      'v1.28',
      'fail',
    ],
    [
      'baseline: appArmorProfile field since v1.30',
      {
        securityContext: { appArmorProfile: { type: 'Unconfined' } },
        containers: [],
      },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: appArmorProfile field ignored at v1.29',
      {
        securityContext: { appArmorProfile: { type: 'Unconfined' } },
        containers: [],
      },
      'baseline',
      'v1.29',
      'pass',
    ],
    [
      'baseline: hostProcess',
      {
        securityContext: { windowsOptions: { hostProcess: true } },
        containers: [],
      },
      'baseline',
      'latest',
      'fail',
    ],
    [
      'baseline: restricted-only issues pass baseline',
      {
        containers: [
          { name: 'a', image: 'x', securityContext: { runAsUser: 0 } },
        ],
      },
      'baseline',
      'latest',
      'pass',
    ],
    ['restricted: compliant pod', restrictedOk, 'restricted', 'latest', 'pass'],
    [
      'restricted: plain pod',
      { containers: [{ name: 'a', image: 'x' }] },
      'restricted',
      'latest',
      'fail',
    ],
    [
      'restricted: runAsUser 0',
      {
        ...restrictedOk,
        securityContext: { ...restrictedOk.securityContext, runAsUser: 0 },
      },
      'restricted',
      'latest',
      'fail',
    ],
    [
      'restricted: add NET_BIND_SERVICE allowed',
      {
        ...restrictedOk,
        containers: [
          {
            ...restrictedOk.containers[0],
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
            },
          },
        ],
      },
      'restricted',
      'latest',
      'pass',
    ],
    [
      'restricted: hostPath volume type',
      {
        ...restrictedOk,
        volumes: [{ name: 'v', nfs: { server: 's', path: '/' } }],
      },
      'restricted',
      'latest',
      'fail',
    ],
    [
      'restricted: allowed volume types',
      {
        ...restrictedOk,
        volumes: [
          { name: 'v', emptyDir: {} },
          { name: 'w', configMap: { name: 'c' } },
        ],
      },
      'restricted',
      'latest',
      'pass',
    ],
    [
      'restricted: capabilities not required before v1.22 is still checked (Kyverno uses the first check version)',
      {
        ...restrictedOk,
        containers: [
          { name: 'a', securityContext: { allowPrivilegeEscalation: false } },
        ],
      },
      'restricted',
      'v1.21',
      'fail',
    ],
    [
      'restricted: windows pods skip seccomp/capabilities/privilege escalation since v1.25',
      {
        os: { name: 'windows' },
        securityContext: { runAsNonRoot: true },
        containers: [{ name: 'a' }],
      },
      'restricted',
      'v1.25',
      'pass',
    ],
    [
      'privileged level allows everything',
      { hostNetwork: true, containers: [] },
      'privileged',
      'latest',
      'pass',
    ],
  ])('%s', (_name, spec, level, version, expected) => {
    expect(only(ps(level, version), pod(spec)).result).toBe(expected);
  });

  it('fail message names the level, version and forbidden fields', () => {
    expect(
      only(ps('baseline'), pod({ hostNetwork: true, containers: [] })).message,
    ).toBe(
      'Validation rule \'r\' failed. It violates PodSecurity "baseline:latest": (Forbidden reason: host namespaces, field error list: [spec.hostNetwork is forbidden, forbidden values found: true])',
    );
  });

  it('exclude by controlName and images (container-level control)', () => {
    const spec = {
      containers: [
        {
          name: 'a',
          image: 'ghcr.io/acme/netdebug:1',
          securityContext: { capabilities: { add: ['NET_ADMIN'] } },
        },
      ],
    };
    const exclude = [
      { controlName: 'Capabilities', images: ['ghcr.io/acme/netdebug*'] },
    ];
    expect(only(ps('baseline', 'latest', exclude), pod(spec)).result).toBe(
      'pass',
    );
    const other = [
      { controlName: 'Capabilities', images: ['ghcr.io/other/*'] },
    ];
    expect(only(ps('baseline', 'latest', other), pod(spec)).result).toBe(
      'fail',
    );
  });

  it('exclude with restrictedField and values', () => {
    const spec = {
      containers: [
        {
          name: 'a',
          image: 'x:1',
          securityContext: { capabilities: { add: ['NET_ADMIN', 'SYS_TIME'] } },
        },
      ],
    };
    const netAdminOnly = [
      {
        controlName: 'Capabilities',
        images: ['*'],
        restrictedField: 'spec.containers[*].securityContext.capabilities.add',
        values: ['NET_ADMIN'],
      },
    ];
    expect(only(ps('baseline', 'latest', netAdminOnly), pod(spec)).result).toBe(
      'fail',
    );
    const both = [{ ...netAdminOnly[0], values: ['NET_ADMIN', 'SYS_TIME'] }];
    expect(only(ps('baseline', 'latest', both), pod(spec)).result).toBe('pass');
  });

  it('exclude volume types by value (restrictedField spec.volumes[*])', () => {
    const spec = {
      ...restrictedOk,
      volumes: [{ name: 'v', nfs: { server: 's', path: '/' } }],
    };
    const exclude = (values: string[]) => [
      {
        controlName: 'Volume Types',
        restrictedField: 'spec.volumes[*]',
        values,
      },
    ];
    expect(
      only(ps('restricted', 'latest', exclude(['nfs'])), pod(spec)).result,
    ).toBe('pass');
    expect(
      only(ps('restricted', 'latest', exclude(['iscsi'])), pod(spec)).result,
    ).toBe('fail');
  });

  it('exclude a pod-level control without images', () => {
    const spec = { hostNetwork: true, containers: [{ name: 'a', image: 'x' }] };
    expect(
      only(
        ps('baseline', 'latest', [{ controlName: 'Host Namespaces' }]),
        pod(spec),
      ).result,
    ).toBe('pass');
    // a pod-level exclusion with images does not cover pod-level fields
    expect(
      only(
        ps('baseline', 'latest', [
          { controlName: 'Host Namespaces', images: ['*'] },
        ]),
        pod(spec),
      ).result,
    ).toBe('fail');
  });

  it('runs on Pod controllers through autogen', () => {
    const deployment: KubeResource = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team-a' },
      spec: {
        template: { metadata: {}, spec: { hostPID: true, containers: [] } },
      },
    };
    const results = evaluatePolicies(
      [clusterPolicy(ps('baseline'))],
      deployment,
      {},
    );
    expect(results.map(r => [r.rule, r.result])).toEqual([
      ['autogen-r', 'fail'],
    ]);
  });

  it('an invalid version is an error', () => {
    expect(only(ps('baseline', 'one'), pod({ containers: [] })).result).toBe(
      'error',
    );
  });
});

describe('Kyverno docs, Variables: context entries and skips', () => {
  it('a variable context entry is usable in deny', () => {
    const rule = {
      context: [{ name: 'maxReplicas', variable: { value: 3 } }],
      match: { any: [{ resources: { kinds: ['Deployment'] } }] },
      validate: {
        deny: {
          conditions: {
            any: [
              {
                key: '{{ request.object.spec.replicas }}',
                operator: 'GreaterThan',
                value: '{{ maxReplicas }}',
              },
            ],
          },
        },
      },
    };
    const deployment = (replicas: number): KubeResource => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'n' },
      spec: { replicas },
    });
    expect(only(rule, deployment(5)).result).toBe('fail');
    expect(only(rule, deployment(2)).result).toBe('pass');
  });

  it.each([
    [
      'apiCall context',
      { context: [{ name: 'x', apiCall: { urlPath: '/api/v1/namespaces' } }] },
      "context entry 'x' (apiCall)",
    ],
    [
      'imageRegistry context',
      { context: [{ name: 'x', imageRegistry: { reference: 'nginx' } }] },
      "context entry 'x' (imageRegistry)",
    ],
    ['cel', { validate: { cel: { expressions: [] } } }, 'cel'],
    [
      'is_external_url',
      {
        validate: {
          deny: {
            conditions: {
              any: [
                {
                  key: "{{ is_external_url('http://x') }}",
                  operator: 'Equals',
                  value: 1,
                },
              ],
            },
          },
        },
      },
      'JMESPath function is_external_url()',
    ],
  ])(
    '%s is an explicit skip naming the construct',
    (_name, rule, construct) => {
      const result = only(
        { validate: { pattern: { spec: {} } }, ...rule },
        pod({ containers: [] }),
      );
      expect(result.result).toBe('skip');
      expect(result.message).toContain(
        `unsupported by the embedded engine: ${construct}`,
      );
    },
  );
});
