import { KubeResource } from '@internal/policy-engine';
import { checkPolicies } from './check';

const policy = (
  validate: Record<string, unknown>,
  action = 'Enforce',
): KubeResource => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'p' },
  spec: {
    validationFailureAction: action,
    rules: [
      {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate,
      },
    ],
  },
});

const pod: KubeResource = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'team-a' },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
};

const unverifiable = { cel: { expressions: [{ expression: 'true' }] } };

describe('checkPolicies', () => {
  it('an Enforce rule the engine cannot evaluate blocks the commit by default, naming why', () => {
    expect(
      checkPolicies([policy(unverifiable)], [pod], () => undefined),
    ).toEqual([
      {
        policy: 'p',
        rule: 'r',
        resource: 'Pod team-a/web',
        enforce: true,
        message:
          'this policy cannot be checked before commit (unsupported by the embedded engine: cel)',
      },
    ]);
  });

  it("with unverifiableEnforce 'warn' it is a warning", () => {
    const [finding] = checkPolicies(
      [policy(unverifiable)],
      [pod],
      () => undefined,
      {
        unverifiableEnforce: 'warn',
      },
    );
    expect(finding.enforce).toBe(false);
  });

  it('a deny the engine evaluates is a real failure, a passing one nothing', () => {
    const deny = (value: string) => ({
      message: 'no nginx',
      deny: {
        conditions: {
          any: [
            {
              key: '{{ images.containers.c.name }}',
              operator: 'Equals',
              value,
            },
          ],
        },
      },
    });
    expect(
      checkPolicies([policy(deny('nginx'))], [pod], () => undefined),
    ).toMatchObject([{ enforce: true, message: 'no nginx' }]);
    expect(
      checkPolicies([policy(deny('redis'))], [pod], () => undefined),
    ).toEqual([]);
  });
});
