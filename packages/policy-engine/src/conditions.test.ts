import {
  ConditionError,
  evaluateCondition,
  preconditionsMet,
} from './conditions';
import {
  UnsupportedVariableError,
  VariableScope,
  VariableSubstitutionError,
} from './variables';

describe('evaluateCondition', () => {
  it.each([
    ['Equals', 'prod', 'prod', true],
    ['Equals', 'prod', 'dev', false],
    ['Equals', 'prod-eu', 'prod-*', true],
    ['Equals', '1Gi', '1024Mi', true],
    ['NotEquals', 'prod', 'dev', true],
    ['NotEquals', 'prod', 'prod', false],
    ['In', 'prod', ['prod', 'staging'], true],
    ['In', 'dev', ['prod', 'staging'], false],
    ['AnyIn', ['a', 'x'], ['a', 'b'], true],
    ['AnyIn', ['x', 'y'], ['a', 'b'], false],
    ['AllIn', ['a', 'b'], ['a', 'b', 'c'], true],
    ['AllIn', ['a', 'x'], ['a', 'b'], false],
    ['NotIn', 'dev', ['prod'], true],
    ['NotIn', 'prod', ['prod'], false],
    ['AnyNotIn', ['a', 'x'], ['a', 'b'], true],
    ['AnyNotIn', ['a', 'b'], ['a', 'b'], false],
    ['AllNotIn', ['x', 'y'], ['a'], true],
    ['AllNotIn', ['x', 'a'], ['a'], false],
    ['GreaterThan', 3, 2, true],
    ['GreaterThan', '1Gi', '2Gi', false],
    ['LessThanOrEquals', '30m', '1h', true],
    ['LessThanOrEquals', '2h', '1h', false],
  ])('%s %p %p -> %p', (operator, key, value, expected) => {
    expect(evaluateCondition({ key, operator, value })).toBe(expected);
  });

  it('rejects unknown operators', () => {
    expect(() =>
      evaluateCondition({ key: 1, operator: 'Matches', value: 1 }),
    ).toThrow(ConditionError);
  });
});

describe('preconditionsMet', () => {
  const scope = VariableScope.create({
    object: {
      metadata: {
        name: 'web',
        labels: { 'app.kubernetes.io/name': 'web', env: 'prod' },
      },
      spec: { replicas: 3 },
    },
    operation: 'CREATE',
  });
  it.each([
    [
      'all pass',
      {
        all: [
          {
            key: '{{request.object.metadata.labels.env}}',
            operator: 'Equals',
            value: 'prod',
          },
        ],
      },
      true,
    ],
    [
      'all fail',
      {
        all: [
          {
            key: '{{request.object.metadata.labels.env}}',
            operator: 'Equals',
            value: 'dev',
          },
        ],
      },
      false,
    ],
    [
      'any pass',
      {
        any: [
          {
            key: '{{ request.object.spec.replicas }}',
            operator: 'GreaterThan',
            value: 5,
          },
          { key: '{{request.operation}}', operator: 'In', value: ['CREATE'] },
        ],
      },
      true,
    ],
    [
      'any fail',
      {
        any: [
          {
            key: '{{ request.object.spec.replicas }}',
            operator: 'GreaterThan',
            value: 5,
          },
        ],
      },
      false,
    ],
    [
      'quoted key pass',
      [
        {
          key: '{{request.object.metadata.labels."app.kubernetes.io/name"}}',
          operator: 'Equals',
          value: 'web',
        },
      ],
      true,
    ],
    [
      "missing field with `|| ''` default (Preconditions: Using variables)",
      [
        {
          key: "{{request.object.metadata.labels.team || ''}}",
          operator: 'Equals',
          value: '',
        },
      ],
      true,
    ],
    ['none', undefined, true],
  ])('%s', (_name, preconditions, expected) => {
    expect(preconditionsMet(preconditions, scope)).toBe(expected);
  });

  it('a missing key without a default cannot be substituted (Kyverno: Unknown key)', () => {
    expect(() =>
      preconditionsMet(
        [
          {
            key: '{{request.object.metadata.labels.team}}',
            operator: 'Equals',
            value: 'a',
          },
        ],
        scope,
      ),
    ).toThrow(VariableSubstitutionError);
  });

  it('an unsupported function is named', () => {
    expect(() =>
      preconditionsMet(
        [
          {
            key: "{{ is_external_url('http://x') }}",
            operator: 'Equals',
            value: 'x',
          },
        ],
        scope,
      ),
    ).toThrow(UnsupportedVariableError);
  });
});
