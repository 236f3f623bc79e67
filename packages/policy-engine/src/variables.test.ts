import {
  substitute,
  substituteDeep,
  UnsupportedVariableError,
  VariableScope,
  VariableSubstitutionError,
} from './variables';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: {
    replicas: 3,
    containers: [
      { name: 'app', image: 'nginx:1.27' },
      { name: 'side', image: `ghcr.io/acme/side@sha256:${'a'.repeat(64)}` },
    ],
  },
};
const scope = VariableScope.create({
  object: pod,
  operation: 'CREATE',
  namespace: 'team-a',
  userName: 'system:serviceaccount:ci:deployer',
});
const background = VariableScope.create({ object: pod, namespace: 'team-a' });

describe('substitute (Kyverno docs: Variables)', () => {
  it.each<[string, unknown]>([
    ['{{request.object.metadata.name}}', 'web'],
    ['{{ request.object.spec.replicas }}', 3],
    ['{{request.object.spec.containers[0].image}}', 'nginx:1.27'],
    ['{{request.object.metadata.labels."app.kubernetes.io/name"}}', 'web'],
    ['{{request.operation}}/{{request.namespace}}', 'CREATE/team-a'],
    ['{{ serviceAccountName }}/{{serviceAccountNamespace}}', 'deployer/ci'],
    [
      'pod {{request.object.metadata.name}} has {{request.object.spec.replicas}}',
      'pod web has 3',
    ],
    ['{{ request.object.spec.containers[].name }}', ['app', 'side']],
    [
      'names: {{ request.object.spec.containers[].name }}',
      'names: ["app","side"]',
    ],
    ['{{ to_upper(request.object.metadata.name) }}', 'WEB'],
    ["{{ request.object.metadata.labels.team || 'none' }}", 'none'],
    ['{{ images.containers.app.registry }}', 'docker.io'],
    ['{{ images.containers.app.tag }}', '1.27'],
    ['{{ images.containers.side.digest }}', `sha256:${'a'.repeat(64)}`],
    ['{{ length(request.object.spec.containers) }}', 2],
    ['escaped \\{{ not a variable }}', 'escaped {{ not a variable }}'],
    ['no variables', 'no variables'],
  ])('%p -> %p', (input, expected) => {
    expect(substitute(input, scope)).toEqual(expected);
  });

  it("a background scan evaluates with request.operation CREATE (Kyverno's scanner and CLI build the context with CREATE), so `|| 'BACKGROUND'` is CREATE too", () => {
    expect(substitute('{{ request.operation }}', background)).toBe('CREATE');
    expect(
      substitute("{{ request.operation || 'BACKGROUND' }}", background),
    ).toBe('CREATE');
    const updating = VariableScope.create({ object: pod, operation: 'UPDATE' });
    expect(
      substitute("{{ request.operation || 'BACKGROUND' }}", updating),
    ).toBe('UPDATE');
  });

  it('a path to a missing key is an error (Unknown key), a present null is null', () => {
    expect(() =>
      substitute('{{request.object.metadata.labels.missing}}', scope),
    ).toThrow(VariableSubstitutionError);
    expect(() =>
      substitute('{{request.object.metadata.labels.missing}}', scope),
    ).toThrow(/Unknown key "missing"/);
    const withNull = VariableScope.create({
      object: { metadata: { x: null } },
    });
    expect(substitute('{{request.object.metadata.x}}', withNull)).toBeNull();
  });

  it('keeps unresolvable variables when lenient (messages)', () => {
    expect(substitute('x {{ request.object.nope }}', scope, true)).toBe(
      'x {{ request.object.nope }}',
    );
  });

  it('functions that need the network or randomness are unsupported, naming the function', () => {
    expect(() => substitute("{{ random('[a-z]{5}') }}", scope)).toThrow(
      UnsupportedVariableError,
    );
    expect(() => substitute("{{ random('[a-z]{5}') }}", scope)).toThrow(
      /random\(\)/,
    );
  });

  it('{{@}} is the resource value at the pattern position (Variables: Variables from the resource)', () => {
    const pattern = {
      metadata: { '=(name)': '{{@}}' },
      spec: { containers: [{ image: '{{@}}' }] },
    };
    expect(substituteDeep(pattern, scope)).toEqual({
      metadata: { '=(name)': 'web' },
      spec: { containers: [{ image: 'nginx:1.27' }] },
    });
  });

  it('on DELETE, request.object reads the old object (Variables: request.oldObject)', () => {
    const deleting = VariableScope.create({
      object: pod,
      oldObject: { metadata: { name: 'old-web' } },
      operation: 'DELETE',
    });
    expect(substitute('{{ request.object.metadata.name }}', deleting)).toBe(
      'old-web',
    );
    const updating = VariableScope.create({
      object: pod,
      oldObject: { metadata: { name: 'old-web' } },
      operation: 'UPDATE',
    });
    expect(
      substitute(
        '{{ request.oldObject.metadata.name }} -> {{ request.object.metadata.name }}',
        updating,
      ),
    ).toBe('old-web -> web');
  });

  it('foreach element variables, nested', () => {
    const outer = scope.withElement({ name: 'a' }, 1, 0, true);
    const inner = outer.withElement('x', 4, 1, false);
    expect(
      substitute(
        '{{element}} {{elementIndex}} {{element0.name}} {{elementIndex0}} {{elementIndex1}}',
        inner,
      ),
    ).toBe('x 4 a 1 4');
  });
});
