import { substitute, UnsupportedVariableError } from './variables';

const scope = {
  object: {
    metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: { replicas: 3, containers: [{ image: 'nginx:1.27' }] },
  },
  operation: 'CREATE',
  namespace: 'team-a',
};

describe('substitute', () => {
  it.each<[string, unknown]>([
    ['{{request.object.metadata.name}}', 'web'],
    ['{{ request.object.spec.replicas }}', 3],
    ['{{request.object.spec.containers[0].image}}', 'nginx:1.27'],
    ['{{request.object.metadata.labels."app.kubernetes.io/name"}}', 'web'],
    ['{{request.object.metadata.labels.missing}}', null],
    ['{{request.operation}}/{{request.namespace}}', 'CREATE/team-a'],
    [
      'pod {{request.object.metadata.name}} has {{request.object.spec.replicas}}',
      'pod web has 3',
    ],
    ['no variables', 'no variables'],
  ])('%p -> %p', (input, expected) => {
    expect(substitute(input, scope)).toEqual(expected);
  });

  it.each([
    ['{{ request.object.spec.containers[].image }}'],
    ['{{ serviceAccountName }}'],
    ['{{ to_upper(request.object.metadata.name) }}'],
  ])('rejects %p, or keeps it when lenient', input => {
    expect(() => substitute(input, scope)).toThrow(UnsupportedVariableError);
    expect(substitute(`x ${input}`, scope, true)).toBe(`x ${input}`);
  });
});
