import {
  autogenControllers,
  autogenRules,
  canAutogen,
  KyvernoRule,
} from './autogen';

const podRule = (
  resources: Record<string, unknown> = { kinds: ['Pod'] },
): KyvernoRule => ({
  name: 'check',
  match: { any: [{ resources }] },
  preconditions: {
    all: [
      {
        key: '{{request.object.metadata.labels.app}}',
        operator: 'Equals',
        value: 'x',
      },
    ],
  },
  validate: {
    message:
      'Pod {{request.object.metadata.name}} needs {{request.object.spec.serviceAccountName}}',
    pattern: {
      metadata: { labels: { app: '?*' } },
      spec: { containers: [{ image: '!*:latest' }] },
    },
  },
});

describe('autogenControllers', () => {
  it.each([
    [
      undefined,
      [
        'DaemonSet',
        'Deployment',
        'Job',
        'StatefulSet',
        'ReplicaSet',
        'ReplicationController',
        'CronJob',
      ],
    ],
    ['none', []],
    ['Deployment, CronJob', ['Deployment', 'CronJob']],
    ['StatefulSet,Unknown', ['StatefulSet']],
  ])('%p -> %p', (value, expected) => {
    const annotations =
      value === undefined
        ? undefined
        : { 'pod-policies.kyverno.io/autogen-controllers': value };
    expect(autogenControllers(annotations)).toEqual(expected);
  });
});

describe('canAutogen', () => {
  it.each<[string, KyvernoRule, boolean]>([
    ['Pod only', podRule(), true],
    ['v1/Pod', podRule({ kinds: ['v1/Pod'] }), true],
    ['Pod and Deployment', podRule({ kinds: ['Pod', 'Deployment'] }), false],
    ['Service', podRule({ kinds: ['Service'] }), false],
    [
      'Pod with selector',
      podRule({ kinds: ['Pod'], selector: { matchLabels: { a: 'b' } } }),
      false,
    ],
    ['Pod with names', podRule({ kinds: ['Pod'], names: ['x'] }), false],
    [
      'Pod with namespaces',
      podRule({ kinds: ['Pod'], namespaces: ['team-*'] }),
      true,
    ],
    ['Pod subresource', podRule({ kinds: ['Pod/exec'] }), false],
  ])('%s -> %p', (_name, rule, expected) => {
    expect(canAutogen(rule)).toBe(expected);
  });
});

describe('autogenRules', () => {
  it('moves the pattern under spec.template and spec.jobTemplate.spec.template', () => {
    const [controllers, cronjob] = autogenRules(
      podRule({ kinds: ['Pod'], namespaces: ['team-*'] }),
    );
    expect(controllers.name).toBe('autogen-check');
    expect(controllers.match).toEqual({
      any: [
        {
          resources: {
            kinds: [
              'DaemonSet',
              'Deployment',
              'Job',
              'StatefulSet',
              'ReplicaSet',
              'ReplicationController',
            ],
            namespaces: ['team-*'],
          },
        },
      ],
    });
    expect(controllers.validate?.pattern).toEqual({
      spec: {
        template: {
          metadata: { labels: { app: '?*' } },
          spec: { containers: [{ image: '!*:latest' }] },
        },
      },
    });
    expect(controllers.validate?.message).toBe(
      'Pod {{request.object.metadata.name}} needs {{request.object.spec.template.spec.serviceAccountName}}',
    );
    expect(controllers.preconditions).toEqual({
      all: [
        {
          key: '{{request.object.spec.template.metadata.labels.app}}',
          operator: 'Equals',
          value: 'x',
        },
      ],
    });
    expect(cronjob.name).toBe('autogen-cronjob-check');
    expect(cronjob.match?.any?.[0].resources?.kinds).toEqual(['CronJob']);
    expect(cronjob.validate?.pattern).toEqual({
      spec: {
        jobTemplate: {
          spec: {
            template: {
              metadata: { labels: { app: '?*' } },
              spec: { containers: [{ image: '!*:latest' }] },
            },
          },
        },
      },
    });
  });

  it.each([
    ['none', []],
    ['Deployment', ['autogen-check']],
    ['CronJob', ['autogen-cronjob-check']],
  ])('annotation %p generates %p', (value, names) => {
    const rules = autogenRules(podRule(), {
      'pod-policies.kyverno.io/autogen-controllers': value,
    });
    expect(rules.map(r => r.name)).toEqual(names);
  });

  it('transforms anyPattern entries and legacy match blocks', () => {
    const [gen] = autogenRules({
      name: 'any',
      match: { resources: { kinds: ['Pod'] } },
      validate: { anyPattern: [{ spec: { a: 1 } }, { spec: { b: 2 } }] },
    });
    expect(gen.match).toEqual({
      resources: {
        kinds: [
          'DaemonSet',
          'Deployment',
          'Job',
          'StatefulSet',
          'ReplicaSet',
          'ReplicationController',
        ],
      },
    });
    expect(gen.validate?.anyPattern).toEqual([
      { spec: { template: { spec: { a: 1 } } } },
      { spec: { template: { spec: { b: 2 } } } },
    ]);
  });
});
