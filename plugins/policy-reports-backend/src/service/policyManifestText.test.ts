import { readClusterPolicyManifests } from './policyManifestText';

describe('readClusterPolicyManifests', () => {
  it('returns the ClusterPolicies of a multi-document file, whole', () => {
    const text = `
# a comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-a-policy
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: "disallow-latest-tag"
  annotations:
    policies.kyverno.io/title: Disallow Latest Tag
    policies.kyverno.io/severity: 'medium' # inline comment
    policies.kyverno.io/description: >-
      Images must be pinned
      to a tag.
spec:
  validationFailureAction: Enforce
  rules:
    - name: require-image-tag
      match:
        any:
          - resources:
              kinds: [Pod]
    - name: validate-image-tag
`;
    const [policy, ...others] = readClusterPolicyManifests(text, 'policy.yaml');
    expect(others).toEqual([]);
    expect(policy.metadata).toMatchObject({
      name: 'disallow-latest-tag',
      annotations: {
        'policies.kyverno.io/title': 'Disallow Latest Tag',
        'policies.kyverno.io/severity': 'medium',
        'policies.kyverno.io/description': 'Images must be pinned to a tag.',
      },
    });
    expect(policy.spec?.validationFailureAction).toBe('Enforce');
    expect(policy.spec?.rules?.map(rule => rule.name)).toEqual([
      'require-image-tag',
      'validate-image-tag',
    ]);
  });

  it('returns nothing for text without ClusterPolicies', () => {
    expect(
      readClusterPolicyManifests(
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n',
      ),
    ).toEqual([]);
  });

  it('names the file and line of malformed YAML', () => {
    expect(() =>
      readClusterPolicyManifests(
        'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: [\n',
        'K8s/policies/broken.yaml',
      ),
    ).toThrow(/K8s\/policies\/broken\.yaml/);
  });
});
