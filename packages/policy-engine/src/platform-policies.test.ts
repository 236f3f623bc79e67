/**
 * End-to-end check with the platform's own policies (see DESIGN.md, K8s/
 * policies stack): evaluation of compliant and violating workloads and
 * namespaces, Enforce rejection and the resulting PolicyReports.
 */
import { buildPolicyReport } from './report';
import { enforceViolations, evaluatePolicies } from './evaluate';
import type { KubeResource } from './types';

const clusterPolicy = (
  name: string,
  action: string,
  annotations: Record<string, string>,
  rules: unknown[],
): KubeResource => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name, annotations },
  spec: { validationFailureAction: action, background: true, rules },
});

const podMatch = { any: [{ resources: { kinds: ['Pod'] } }] };

const policies: KubeResource[] = [
  clusterPolicy(
    'require-namespace-labels',
    'Enforce',
    {
      'policies.kyverno.io/severity': 'high',
      'policies.kyverno.io/category': 'Multi-Tenancy',
    },
    [
      {
        name: 'check-namespace-labels',
        match: { any: [{ resources: { kinds: ['Namespace'] } }] },
        exclude: {
          any: [{ resources: { namespaces: ['kube-*', 'default'] } }],
        },
        validate: {
          message:
            'Namespace {{request.object.metadata.name}} must carry part-of, owner, business-unit and environment labels',
          pattern: {
            metadata: {
              labels: {
                'app.kubernetes.io/part-of': '?*',
                owner: '?*',
                'business-unit': '?*',
                environment: 'dev | staging | prod',
              },
            },
          },
        },
      },
    ],
  ),
  clusterPolicy(
    'require-workload-labels',
    'Audit',
    {
      'policies.kyverno.io/severity': 'medium',
      'policies.kyverno.io/category': 'Best Practices',
    },
    [
      {
        name: 'check-workload-labels',
        match: podMatch,
        validate: {
          message:
            'Workloads must carry the standard app.kubernetes.io and ownership labels',
          pattern: {
            metadata: {
              labels: {
                'app.kubernetes.io/name': '?*',
                'app.kubernetes.io/instance': '?*',
                'app.kubernetes.io/version': '?*',
                'app.kubernetes.io/component': '?*',
                owner: '?*',
                'business-unit': '?*',
                environment: '?*',
              },
            },
          },
        },
      },
    ],
  ),
  clusterPolicy(
    'disallow-privileged-containers',
    'Enforce',
    {
      'policies.kyverno.io/severity': 'high',
      'policies.kyverno.io/category': 'Pod Security Standards (Baseline)',
    },
    [
      {
        name: 'privileged-containers',
        match: podMatch,
        validate: {
          message:
            'Privileged mode is disallowed. The fields spec.containers[*].securityContext.privileged must be unset or set to `false`.',
          pattern: {
            spec: {
              '=(initContainers)': [
                { '=(securityContext)': { '=(privileged)': 'false' } },
              ],
              containers: [
                { '=(securityContext)': { '=(privileged)': 'false' } },
              ],
            },
          },
        },
      },
    ],
  ),
  clusterPolicy(
    'require-requests-limits',
    'Audit',
    {
      'policies.kyverno.io/severity': 'medium',
      'policies.kyverno.io/category': 'Best Practices',
    },
    [
      {
        name: 'validate-resources',
        match: podMatch,
        validate: {
          message:
            'CPU and memory resource requests and memory limits are required.',
          pattern: {
            spec: {
              containers: [
                {
                  resources: {
                    requests: { memory: '?*', cpu: '?*' },
                    limits: { memory: '<=4Gi' },
                  },
                },
              ],
            },
          },
        },
      },
    ],
  ),
  clusterPolicy(
    'disallow-latest-tag',
    'Audit',
    {
      'policies.kyverno.io/severity': 'medium',
      'policies.kyverno.io/category': 'Best Practices',
    },
    [
      {
        name: 'require-image-tag',
        match: podMatch,
        validate: {
          message: 'An image tag is required.',
          pattern: { spec: { containers: [{ image: '*:*' }] } },
        },
      },
      {
        name: 'validate-image-tag',
        match: podMatch,
        validate: {
          message: "Using a mutable image tag e.g. 'latest' is not allowed.",
          pattern: { spec: { containers: [{ image: '!*:latest' }] } },
        },
      },
    ],
  ),
];

const compliantNamespace: KubeResource = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'team-payments',
    uid: '5f0c1b2a-0000-4000-8000-000000000001',
    labels: {
      'app.kubernetes.io/part-of': 'payments',
      owner: 'team-payments',
      'business-unit': 'retail',
      environment: 'prod',
    },
  },
};

const violatingNamespace: KubeResource = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'scratch',
    uid: '5f0c1b2a-0000-4000-8000-000000000002',
    labels: { owner: 'someone', environment: 'qa' },
  },
};

const workloadLabels = {
  'app.kubernetes.io/name': 'payments-api',
  'app.kubernetes.io/instance': 'payments-api-prod',
  'app.kubernetes.io/version': '1.4.2',
  'app.kubernetes.io/component': 'backend',
  owner: 'team-payments',
  'business-unit': 'retail',
  environment: 'prod',
};

const deployment = (template: Record<string, unknown>): KubeResource => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'payments-api',
    namespace: 'team-payments',
    uid: '9a1d0c7e-0000-4000-8000-000000000003',
    labels: workloadLabels,
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'payments-api' } },
    template,
  },
});

const compliantDeployment = deployment({
  metadata: { labels: workloadLabels },
  spec: {
    containers: [
      {
        name: 'api',
        image: 'ghcr.io/acme/payments-api:1.4.2',
        securityContext: { privileged: false, runAsNonRoot: true },
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { memory: '256Mi' },
        },
      },
    ],
  },
});

// Labels only on the Deployment itself (not the Pod template), a privileged
// sidecar without resources, and a :latest image.
const violatingDeployment = deployment({
  metadata: { labels: { 'app.kubernetes.io/name': 'payments-api' } },
  spec: {
    containers: [
      {
        name: 'api',
        image: 'ghcr.io/acme/payments-api:latest',
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { memory: '8Gi' },
        },
      },
      {
        name: 'debug',
        image: 'busybox',
        securityContext: { privileged: true },
      },
    ],
  },
});

const summarize = (resource: KubeResource) =>
  evaluatePolicies(policies, resource).map(r => [
    r.policy,
    r.rule,
    r.result,
    r.enforce,
  ]);

describe('platform policies', () => {
  it.each([
    [
      'compliant Namespace',
      compliantNamespace,
      [['require-namespace-labels', 'check-namespace-labels', 'pass', true]],
    ],
    [
      'violating Namespace',
      violatingNamespace,
      [['require-namespace-labels', 'check-namespace-labels', 'fail', true]],
    ],
    [
      'compliant Deployment',
      compliantDeployment,
      [
        [
          'require-workload-labels',
          'autogen-check-workload-labels',
          'pass',
          false,
        ],
        [
          'disallow-privileged-containers',
          'autogen-privileged-containers',
          'pass',
          true,
        ],
        [
          'require-requests-limits',
          'autogen-validate-resources',
          'pass',
          false,
        ],
        ['disallow-latest-tag', 'autogen-require-image-tag', 'pass', false],
        ['disallow-latest-tag', 'autogen-validate-image-tag', 'pass', false],
      ],
    ],
    [
      'violating Deployment',
      violatingDeployment,
      [
        [
          'require-workload-labels',
          'autogen-check-workload-labels',
          'fail',
          false,
        ],
        [
          'disallow-privileged-containers',
          'autogen-privileged-containers',
          'fail',
          true,
        ],
        [
          'require-requests-limits',
          'autogen-validate-resources',
          'fail',
          false,
        ],
        ['disallow-latest-tag', 'autogen-require-image-tag', 'fail', false],
        ['disallow-latest-tag', 'autogen-validate-image-tag', 'fail', false],
      ],
    ],
  ])('%s', (_name, resource, expected) => {
    expect(summarize(resource)).toEqual(expected);
  });

  it('explains each violation with the failing path', () => {
    const messages = evaluatePolicies(policies, violatingDeployment).map(
      r => r.message,
    );
    expect(messages).toEqual([
      'validation error: Workloads must carry the standard app.kubernetes.io and ownership labels. rule autogen-check-workload-labels failed at path /spec/template/metadata/labels/app.kubernetes.io/instance/',
      'validation error: Privileged mode is disallowed. The fields spec.containers[*].securityContext.privileged must be unset or set to `false`. rule autogen-privileged-containers failed at path /spec/template/spec/containers/1/securityContext/privileged/',
      'validation error: CPU and memory resource requests and memory limits are required. rule autogen-validate-resources failed at path /spec/template/spec/containers/0/resources/limits/memory/',
      'validation error: An image tag is required. rule autogen-require-image-tag failed at path /spec/template/spec/containers/1/image/',
      "validation error: Using a mutable image tag e.g. 'latest' is not allowed. rule autogen-validate-image-tag failed at path /spec/template/spec/containers/0/image/",
    ]);
  });

  it('rejects only Enforce violations', () => {
    expect(
      enforceViolations(evaluatePolicies(policies, violatingNamespace)).map(
        r => r.message,
      ),
    ).toEqual([
      'validation error: Namespace scratch must carry part-of, owner, business-unit and environment labels. rule check-namespace-labels failed at path /metadata/labels/app.kubernetes.io/part-of/',
    ]);
    expect(
      enforceViolations(evaluatePolicies(policies, violatingDeployment)).map(
        r => r.policy,
      ),
    ).toEqual(['disallow-privileged-containers']);
    expect(
      enforceViolations(evaluatePolicies(policies, compliantDeployment)),
    ).toEqual([]);
  });

  it('excludes system namespaces', () => {
    const kubeSystem: KubeResource = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kube-system' },
    };
    expect(evaluatePolicies(policies, kubeSystem)).toEqual([]);
  });

  it('writes a namespaced PolicyReport for the violating Deployment', () => {
    const now = new Date('2026-11-22T03:00:00.250Z');
    const results = evaluatePolicies(policies, violatingDeployment);
    const report = buildPolicyReport(violatingDeployment, results, { now });
    expect(report).toMatchObject({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'PolicyReport',
      metadata: {
        name: '9a1d0c7e-0000-4000-8000-000000000003',
        namespace: 'team-payments',
        labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'payments-api',
            uid: '9a1d0c7e-0000-4000-8000-000000000003',
          },
        ],
      },
      scope: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'payments-api',
        namespace: 'team-payments',
        uid: '9a1d0c7e-0000-4000-8000-000000000003',
      },
      summary: { pass: 0, fail: 5, warn: 0, error: 0, skip: 0 },
    });
    const reportResults = report.results as Array<Record<string, unknown>>;
    expect(reportResults).toHaveLength(5);
    expect(reportResults[1]).toEqual({
      policy: 'disallow-privileged-containers',
      rule: 'autogen-privileged-containers',
      result: 'fail',
      severity: 'high',
      category: 'Pod Security Standards (Baseline)',
      message: results[1].message,
      properties: { process: 'background scan' },
      scored: true,
      source: 'kyverno',
      timestamp: { seconds: 1795316400, nanos: 0 },
    });
    expect(reportResults.every(r => !('resources' in r))).toBe(true);
  });

  it('writes a ClusterPolicyReport for a Namespace', () => {
    const report = buildPolicyReport(
      compliantNamespace,
      evaluatePolicies(policies, compliantNamespace),
      {
        now: new Date('2026-11-22T03:00:00Z'),
      },
    );
    expect(report.kind).toBe('ClusterPolicyReport');
    expect(report.metadata.namespace).toBeUndefined();
    expect(report.metadata.name).toBe(compliantNamespace.metadata.uid);
    expect(report.summary).toEqual({
      pass: 1,
      fail: 0,
      warn: 0,
      error: 0,
      skip: 0,
    });
  });
});
