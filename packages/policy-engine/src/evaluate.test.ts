import { enforceViolations, evaluatePolicies } from './evaluate';
import type { EvaluationContext, KubeResource, RuleResult } from './types';

const pod: KubeResource = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'team-a', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
};

function policy(
  rule: Record<string, unknown>,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
  kind = 'ClusterPolicy',
): KubeResource {
  return {
    apiVersion: 'kyverno.io/v1',
    kind,
    metadata: { name: 'p', ...metadata },
    spec: {
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

const validate = (v: Record<string, unknown>) => ({ validate: v });
const one = (policies: KubeResource[], resource = pod, context = {}) => {
  const results = evaluatePolicies(policies, resource, context);
  expect(results).toHaveLength(1);
  return results[0];
};

describe('evaluatePolicies: rule outcomes and messages', () => {
  it.each<[string, Record<string, unknown>, Partial<RuleResult>]>([
    [
      'pattern pass',
      validate({
        message: 'm',
        pattern: { metadata: { labels: { app: '?*' } } },
      }),
      { result: 'pass', message: "validation rule 'r' passed." },
    ],
    [
      'pattern fail',
      validate({
        message: 'label app is required',
        pattern: { metadata: { labels: { team: '?*' } } },
      }),
      {
        result: 'fail',
        message:
          'validation error: label app is required. rule r failed at path /metadata/labels/team/',
      },
    ],
    [
      'message ending with a period',
      validate({
        message: 'Images must not use latest.',
        pattern: { spec: { containers: [{ image: '*:latest' }] } },
      }),
      {
        result: 'fail',
        message:
          'validation error: Images must not use latest. rule r failed at path /spec/containers/0/image/',
      },
    ],
    [
      'empty message',
      validate({ pattern: { spec: { hostNetwork: true } } }),
      {
        result: 'fail',
        message: 'validation error: rule r failed at path /spec/hostNetwork/',
      },
    ],
    [
      'message variables resolved (serviceAccountName left as written without a requester)',
      validate({
        message:
          'Pod {{request.object.metadata.name}} in {{ request.object.metadata.namespace }} ({{serviceAccountName}})',
        pattern: { spec: { hostNetwork: true } },
      }),
      {
        result: 'fail',
        message:
          'validation error: Pod web in team-a ({{serviceAccountName}}). rule r failed at path /spec/hostNetwork/',
      },
    ],
    [
      'pattern variables pass',
      validate({
        pattern: {
          metadata: { labels: { app: '{{request.object.metadata.name}}' } },
        },
      }),
      { result: 'pass' },
    ],
    [
      'pattern variables fail',
      validate({
        pattern: {
          metadata: { labels: { app: '!{{request.object.metadata.name}}' } },
        },
      }),
      { result: 'fail' },
    ],
    [
      'anyPattern pass',
      validate({
        anyPattern: [
          { spec: { hostNetwork: true } },
          { metadata: { labels: { app: 'web' } } },
        ],
      }),
      { result: 'pass', message: "validation rule 'r' anyPattern[1] passed." },
    ],
    [
      'anyPattern fail',
      validate({
        message: 'need one',
        anyPattern: [
          { spec: { hostNetwork: true } },
          { metadata: { labels: { app: 'api' } } },
        ],
      }),
      {
        result: 'fail',
        message:
          'validation error: need one. rule r[0] failed at path /spec/hostNetwork/ rule r[1] failed at path /metadata/labels/app/',
      },
    ],
    [
      'anyPattern skip',
      validate({
        anyPattern: [{ metadata: { labels: { '(tier)': 'db', x: 'y' } } }],
      }),
      { result: 'skip' },
    ],
    [
      'conditional anchor not met -> skip',
      validate({
        pattern: {
          spec: {
            containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }],
          },
        },
      }),
      { result: 'skip' },
    ],
    [
      'pattern references unsupported',
      validate({
        pattern: { spec: { containers: [{ name: '$(../image)' }] } },
      }),
      {
        result: 'skip',
        message: 'unsupported by the embedded engine: pattern reference $(...)',
      },
    ],
    [
      'pattern variable with an unsupported function is skip naming it',
      validate({ pattern: { metadata: { name: "{{ random('[a-z]') }}" } } }),
      {
        result: 'skip',
        message:
          'unsupported by the embedded engine: JMESPath function random() is random: a pre-commit check cannot predict it',
      },
    ],
    [
      'bad pattern -> error',
      validate({ pattern: { spec: { containers: [] } } }),
      { result: 'error' },
    ],
    [
      'bad operand -> error',
      validate({ pattern: { spec: { replicas: '>lots' } } }),
      { result: 'error' },
    ],
    ['no pattern -> error', validate({ message: 'x' }), { result: 'error' }],
    [
      'deny with an empty any never denies',
      validate({ deny: { conditions: { any: [] } } }),
      { result: 'pass', message: "validation rule 'r' passed." },
    ],
    [
      'foreach with an unsupported function in its list is skip naming it',
      validate({
        foreach: [
          {
            list: "request.object.spec.containers[?random(name) == 'x']",
            deny: {},
          },
        ],
      }),
      {
        result: 'skip',
        message:
          'unsupported by the embedded engine: JMESPath function random() is random: a pre-commit check cannot predict it',
      },
    ],
    [
      'cel unsupported',
      validate({ cel: { expressions: [] } }),
      { result: 'skip', message: 'unsupported by the embedded engine: cel' },
    ],
    [
      'podSecurity baseline on a plain Pod passes',
      validate({ podSecurity: { level: 'baseline' } }),
      {
        result: 'pass',
        message: "Validation rule 'r' passed.",
      },
    ],
    [
      'manifests unsupported',
      validate({ manifests: { attestors: [] } }),
      {
        result: 'skip',
        message: 'unsupported by the embedded engine: manifests',
      },
    ],
    [
      'context unsupported',
      {
        context: [{ name: 'cm', configMap: { name: 'x', namespace: 'y' } }],
        ...validate({ pattern: {} }),
      },
      {
        result: 'skip',
        message:
          "unsupported by the embedded engine: context entry 'cm' (configMap)",
      },
    ],
    [
      'preconditions met',
      {
        preconditions: {
          all: [
            {
              key: '{{request.object.metadata.labels.app}}',
              operator: 'Equals',
              value: 'web',
            },
          ],
        },
        ...validate({ pattern: { spec: { hostNetwork: true } } }),
      },
      { result: 'fail' },
    ],
    [
      'preconditions not met',
      {
        preconditions: {
          all: [
            {
              key: '{{request.object.metadata.labels.app}}',
              operator: 'Equals',
              value: 'api',
            },
          ],
        },
        ...validate({ pattern: { spec: { hostNetwork: true } } }),
      },
      { result: 'skip', message: 'preconditions not met' },
    ],
    [
      'preconditions with a projection (JMESPath) evaluated',
      {
        preconditions: {
          any: [
            {
              key: '{{ request.object.spec.containers[].image }}',
              operator: 'AnyIn',
              value: ['x'],
            },
          ],
        },
        ...validate({ pattern: {} }),
      },
      {
        result: 'skip',
        message: 'preconditions not met',
      },
    ],
    [
      'preconditions with unknown operator',
      {
        preconditions: { all: [{ key: 'a', operator: 'Matches', value: 'a' }] },
        ...validate({ pattern: {} }),
      },
      { result: 'error' },
    ],
  ])('%s', (_name, rule, expected) => {
    expect(one([policy(rule)])).toMatchObject(expected);
  });
});

describe('evaluatePolicies: failure action, annotations, scoping', () => {
  const failing = validate({ pattern: { spec: { hostNetwork: true } } });
  it.each<[string, Record<string, unknown>, Record<string, unknown>, boolean]>([
    ['default is Audit', failing, {}, false],
    ['spec Enforce', failing, { validationFailureAction: 'Enforce' }, true],
    [
      'spec enforce (lower case)',
      failing,
      { validationFailureAction: 'enforce' },
      true,
    ],
    ['spec Audit', failing, { validationFailureAction: 'Audit' }, false],
    [
      'rule failureAction overrides spec (Audit)',
      validate({
        pattern: { spec: { hostNetwork: true } },
        failureAction: 'Audit',
      }),
      { validationFailureAction: 'Enforce' },
      false,
    ],
    [
      'rule failureAction overrides spec (Enforce)',
      validate({
        pattern: { spec: { hostNetwork: true } },
        failureAction: 'ENFORCE',
      }),
      { validationFailureAction: 'Audit' },
      true,
    ],
    [
      'spec override for the namespace',
      failing,
      {
        validationFailureAction: 'Audit',
        validationFailureActionOverrides: [
          { action: 'Enforce', namespaces: ['team-*'] },
        ],
      },
      true,
    ],
    [
      'spec override for another namespace',
      failing,
      {
        validationFailureAction: 'Audit',
        validationFailureActionOverrides: [
          { action: 'Enforce', namespaces: ['prod-*'] },
        ],
      },
      false,
    ],
  ])('%s -> enforce %p', (_name, rule, spec, enforce) => {
    const result = one([policy(rule, spec)]);
    expect(result.enforce).toBe(enforce);
    expect(enforceViolations([result])).toHaveLength(enforce ? 1 : 0);
  });

  it.each<[string, Record<string, string>, Partial<RuleResult>]>([
    [
      'annotations',
      {
        'policies.kyverno.io/severity': 'High',
        'policies.kyverno.io/category': 'Best Practices',
      },
      { severity: 'high', category: 'Best Practices', scored: true },
    ],
    ['unscored', { 'policies.kyverno.io/scored': 'false' }, { scored: false }],
  ])('%s', (_name, annotations, expected) => {
    expect(one([policy(failing, {}, { annotations })])).toMatchObject(expected);
  });

  it('omits unknown severities', () => {
    expect(
      one([
        policy(
          failing,
          {},
          { annotations: { 'policies.kyverno.io/severity': 'urgent' } },
        ),
      ]).severity,
    ).toBeUndefined();
  });

  it.each([
    ['namespaced Policy in the resource namespace', 'team-a', ['team-a/p']],
    ['namespaced Policy in another namespace', 'team-b', []],
  ])('%s', (_name, ns, names) => {
    const results = evaluatePolicies(
      [policy(failing, {}, { namespace: ns }, 'Policy')],
      pod,
    );
    expect(results.map(r => r.policy)).toEqual(names);
  });

  it.each<[string, unknown, EvaluationContext, number]>([
    [
      'ignores non-Kyverno objects',
      { ...policy(failing), apiVersion: 'v1', kind: 'ConfigMap' },
      {},
      0,
    ],
    [
      'ignores non-validate rules',
      policy({ mutate: { patchStrategicMerge: {} } }),
      {},
      0,
    ],
    [
      'ignores rules that do not match',
      policy({
        ...failing,
        match: { any: [{ resources: { kinds: ['Service'] } }] },
      }),
      {},
      0,
    ],
    [
      'ignores excluded resources',
      policy({
        ...failing,
        exclude: { any: [{ resources: { namespaces: ['team-a'] } }] },
      }),
      {},
      0,
    ],
    [
      'skips background:false policies in background scans',
      policy(failing, { background: false }),
      { operation: 'BACKGROUND' },
      0,
    ],
    [
      'evaluates background:false policies at admission',
      policy(failing, { background: false }),
      { operation: 'CREATE' },
      1,
    ],
  ])('%s', (_name, p, context, count) => {
    expect(evaluatePolicies([p as KubeResource], pod, context)).toHaveLength(
      count,
    );
  });
});

describe('evaluatePolicies: autogen', () => {
  const deployment = (
    podLabels: Record<string, string>,
    image: string,
  ): KubeResource => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'team-a', uid: 'u1' },
    spec: {
      template: {
        metadata: { labels: podLabels },
        spec: { containers: [{ name: 'api', image }] },
      },
    },
  });
  const cronJob = (image: string): KubeResource => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'team-a' },
    spec: {
      jobTemplate: {
        spec: { template: { spec: { containers: [{ name: 'job', image }] } } },
      },
    },
  });
  const rule = {
    name: 'no-latest',
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    validate: {
      message: 'no latest',
      pattern: {
        metadata: { labels: { app: '?*' } },
        spec: { containers: [{ image: '!*:latest' }] },
      },
    },
  };
  const p = (annotations: Record<string, string> = {}): KubeResource => ({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'disallow-latest', annotations },
    spec: { rules: [rule] },
  });

  it.each<
    [string, KubeResource, Record<string, string>, Array<[string, string]>]
  >([
    [
      'Deployment compliant',
      deployment({ app: 'api' }, 'api:1.0'),
      {},
      [['autogen-no-latest', 'pass']],
    ],
    [
      'Deployment violating (template metadata)',
      deployment({}, 'api:1.0'),
      {},
      [['autogen-no-latest', 'fail']],
    ],
    [
      'Deployment violating (image)',
      deployment({ app: 'api' }, 'api:latest'),
      {},
      [['autogen-no-latest', 'fail']],
    ],
    [
      'CronJob violating',
      cronJob('job:latest'),
      {},
      [['autogen-cronjob-no-latest', 'fail']],
    ],
    [
      'autogen disabled',
      deployment({}, 'api:latest'),
      { 'pod-policies.kyverno.io/autogen-controllers': 'none' },
      [],
    ],
    [
      'autogen restricted to CronJob',
      deployment({}, 'api:latest'),
      { 'pod-policies.kyverno.io/autogen-controllers': 'CronJob' },
      [],
    ],
  ])('%s', (_name, resource, annotations, expected) => {
    const results = evaluatePolicies([p(annotations)], resource);
    expect(results.map(r => [r.rule, r.result])).toEqual(expected);
  });

  it('reports the template path of the failure', () => {
    const [result] = evaluatePolicies(
      [p()],
      deployment({ app: 'api' }, 'api:latest'),
    );
    expect(result.message).toBe(
      'validation error: no latest. rule autogen-no-latest failed at path /spec/template/spec/containers/0/image/',
    );
  });
});
