/**
 * Twenty policies in the shape of common platform policies (see
 * testing/platformPolicies.ts), each against compliant and violating
 * resources. Expected results follow Kyverno's documented behaviour: the
 * rule result per (policy, rule), autogen rules for Pod controllers, `skip`
 * when preconditions do not hold, no result when a foreach has nothing to
 * check.
 */
import { evaluatePolicies } from './evaluate';
import { platformPolicies } from './testing/platformPolicies';
import type { EvaluationContext, KubeResource } from './types';

const policies = platformPolicies();

function resultsFor(
  policy: string,
  resource: KubeResource,
  context: EvaluationContext = { operation: 'CREATE' },
) {
  return evaluatePolicies(
    policies.filter(p => p.metadata.name === policy),
    resource,
    context,
  ).map(r => `${r.rule}:${r.result}`);
}

const goodContainer = {
  name: 'app',
  image: 'ghcr.io/acme/app:1.4.2',
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { memory: '256Mi' },
  },
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
  },
  livenessProbe: {
    httpGet: { path: '/healthz', port: 8080 },
    periodSeconds: 10,
  },
  readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 },
};

function pod(
  overrides: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): KubeResource {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'team-a', ...metadata },
    spec: {
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [goodContainer],
      ...overrides,
    },
  };
}

const withContainer = (c: Record<string, unknown>) =>
  pod({ containers: [{ ...goodContainer, ...c }] });

describe('platform policies written in the shape of common Kyverno policies', () => {
  it('has twenty policies', () => {
    expect(policies).toHaveLength(20);
  });

  it('a compliant Pod passes every policy that applies to it', () => {
    const results = evaluatePolicies(policies, pod(), { operation: 'CREATE' });
    expect(
      results
        .filter(r => r.result !== 'pass')
        .map(r => `${r.policy}/${r.rule}:${r.result}:${r.message}`),
    ).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(12);
  });

  it.each<[string, string, KubeResource, string[]]>([
    ['allowed-registries', 'allowed registry', pod(), ['registries:pass']],
    [
      'allowed-registries',
      'Docker Hub image',
      withContainer({ image: 'nginx:1.27' }),
      ['registries:fail'],
    ],
    [
      'allowed-registries',
      'init container from elsewhere',
      pod({ initContainers: [{ name: 'i', image: 'quay.io/x/y:1' }] }),
      ['registries:fail'],
    ],
    [
      'disallow-capabilities',
      'no capabilities',
      pod(),
      ['adding-capabilities:pass'],
    ],
    [
      'disallow-capabilities',
      'NET_BIND_SERVICE allowed',
      withContainer({
        securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } },
      }),
      ['adding-capabilities:pass'],
    ],
    [
      'disallow-capabilities',
      'SYS_ADMIN',
      withContainer({
        securityContext: { capabilities: { add: ['SYS_ADMIN'] } },
      }),
      ['adding-capabilities:fail'],
    ],
    ['require-drop-all', 'drops ALL', pod(), ['drop-all:pass']],
    [
      'require-drop-all',
      'no securityContext',
      withContainer({ securityContext: undefined }),
      ['drop-all:fail'],
    ],
    ['require-requests-limits', 'has them', pod(), ['validate-resources:pass']],
    [
      'require-requests-limits',
      'no memory limit',
      withContainer({ resources: { requests: { cpu: '1', memory: '1Gi' } } }),
      ['validate-resources:fail'],
    ],
    ['memory-limit-ceiling', '256Mi', pod(), ['memory-at-most-4gi:pass']],
    [
      'memory-limit-ceiling',
      '8Gi',
      withContainer({ resources: { limits: { memory: '8Gi' } } }),
      ['memory-at-most-4gi:fail'],
    ],
    [
      'memory-limit-ceiling',
      '4096Mi is not more than 4Gi',
      withContainer({ resources: { limits: { memory: '4096Mi' } } }),
      ['memory-at-most-4gi:pass'],
    ],
    [
      'restrict-volume-types',
      'emptyDir and secret',
      pod({
        volumes: [
          { name: 'a', emptyDir: {} },
          { name: 'b', secret: { secretName: 's' } },
        ],
      }),
      ['restricted-volumes:pass'],
    ],
    [
      'restrict-volume-types',
      'hostPath',
      pod({ volumes: [{ name: 'a', hostPath: { path: '/var' } }] }),
      ['restricted-volumes:fail'],
    ],
    ['restrict-volume-types', 'no volumes', pod(), ['restricted-volumes:pass']],
    [
      'restrict-host-ports',
      'no hostPort: nothing to check, no result',
      pod(),
      [],
    ],
    [
      'restrict-host-ports',
      'hostPort 5353 in range',
      withContainer({ ports: [{ containerPort: 53, hostPort: 5353 }] }),
      ['host-port-range:pass'],
    ],
    [
      'restrict-host-ports',
      'hostPort 80',
      withContainer({ ports: [{ containerPort: 80, hostPort: 80 }] }),
      ['host-port-range:fail'],
    ],
    ['pss-baseline', 'compliant', pod(), ['baseline:pass']],
    ['pss-baseline', 'hostPID', pod({ hostPID: true }), ['baseline:fail']],
    ['pss-restricted', 'compliant', pod(), ['restricted:pass']],
    [
      'pss-restricted',
      'runs as root allowed',
      pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
      ['restricted:fail'],
    ],
    [
      'pss-restricted',
      'netdebug image may add NET_ADMIN (exclude)',
      pod({
        containers: [
          {
            ...goodContainer,
            image: 'ghcr.io/acme/netdebug:2',
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
            },
          },
        ],
      }),
      ['restricted:pass'],
    ],
    [
      'pss-restricted',
      'other image may not add NET_ADMIN',
      withContainer({
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
        },
      }),
      ['restricted:fail'],
    ],
    [
      'pss-restricted',
      'netdebug may not add SYS_ADMIN (value not excluded)',
      pod({
        containers: [
          {
            ...goodContainer,
            image: 'ghcr.io/acme/netdebug:2',
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] },
            },
          },
        ],
      }),
      ['restricted:fail'],
    ],
    ['disallow-latest-tag', 'pinned', pod(), ['require-tag-not-latest:pass']],
    [
      'disallow-latest-tag',
      'implicit latest',
      withContainer({ image: 'ghcr.io/acme/app' }),
      ['require-tag-not-latest:fail'],
    ],
    [
      'require-probes',
      'probes present',
      pod(),
      ['liveness-and-readiness:pass'],
    ],
    [
      'require-probes',
      'no readiness probe',
      withContainer({ readinessProbe: undefined }),
      ['liveness-and-readiness:fail'],
    ],
    [
      'require-probes',
      'jobs are exempt (preconditions)',
      pod(
        { containers: [{ name: 'x', image: 'ghcr.io/acme/x:1' }] },
        { labels: { 'app.kubernetes.io/component': 'job' } },
      ),
      ['liveness-and-readiness:skip'],
    ],
    [
      'disallow-default-namespace',
      'team namespace',
      pod(),
      ['not-default:pass'],
    ],
    [
      'disallow-default-namespace',
      'default namespace',
      pod({}, { namespace: 'default' }),
      ['not-default:fail'],
    ],
    [
      'supplemental-groups',
      'positive groups',
      pod({
        securityContext: { supplementalGroups: [1000, 2000], fsGroup: 2000 },
      }),
      ['non-root-groups:pass'],
    ],
    [
      'supplemental-groups',
      'group 0 in the list',
      pod({ securityContext: { supplementalGroups: [1000, 0] } }),
      ['non-root-groups:fail'],
    ],
    [
      'restrict-apparmor',
      'runtime/default',
      pod(
        {},
        {
          annotations: {
            'container.apparmor.security.beta.kubernetes.io/app':
              'runtime/default',
          },
        },
      ),
      ['apparmor-profiles:pass'],
    ],
    [
      'restrict-apparmor',
      'unconfined',
      pod(
        {},
        {
          annotations: {
            'container.apparmor.security.beta.kubernetes.io/app': 'unconfined',
          },
        },
      ),
      ['apparmor-profiles:fail'],
    ],
  ])('%s: %s', (policy, _case, resource, expected) => {
    expect(resultsFor(policy, resource)).toEqual(expected);
  });

  describe('Pod controllers get the autogen rules', () => {
    const deployment = (
      spec: Record<string, unknown>,
      labels: Record<string, string> = {},
    ): KubeResource => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team-a', labels },
      spec,
    });
    const template = (containers: unknown[]) => ({
      replicas: 3,
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
    });

    it.each<[string, KubeResource, string[]]>([
      [
        'allowed-registries',
        deployment(template([{ name: 'a', image: 'nginx' }])),
        ['autogen-registries:fail'],
      ],
      [
        'pss-baseline',
        deployment(
          template([
            { name: 'a', image: 'x', securityContext: { privileged: true } },
          ]),
        ),
        ['autogen-baseline:fail'],
      ],
      [
        'require-requests-limits',
        deployment(template([goodContainer])),
        ['autogen-validate-resources:pass'],
      ],
      [
        'replica-limits',
        deployment({ replicas: 12 }),
        ['at-most-10-replicas:fail'],
      ],
      [
        'replica-limits',
        deployment({ replicas: 3 }),
        ['at-most-10-replicas:pass'],
      ],
      [
        'require-app-labels',
        deployment({}, { 'app.kubernetes.io/name': 'web', owner: 'team-a' }),
        ['app-labels:pass'],
      ],
      [
        'require-app-labels',
        deployment({}, { owner: 'team-a' }),
        ['app-labels:fail'],
      ],
    ])('%s', (policy, resource, expected) => {
      expect(resultsFor(policy, resource)).toEqual(expected);
    });

    it('replica-limits applies in a background scan too (request.operation is CREATE there) and is skipped on DELETE (preconditions)', () => {
      expect(
        resultsFor('replica-limits', deployment({ replicas: 12 }), {}),
      ).toEqual(['at-most-10-replicas:fail']);
      expect(
        resultsFor('replica-limits', deployment({ replicas: 12 }), {
          operation: 'DELETE',
        }),
      ).toEqual(['at-most-10-replicas:skip']);
    });
  });

  describe('PodDisruptionBudgets (regex_match)', () => {
    const pdb = (spec: Record<string, unknown>): KubeResource => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'team-a' },
      spec,
    });
    it.each<[string, Record<string, unknown>, string[]]>([
      [
        'minAvailable 1',
        { minAvailable: 1 },
        ['min-available-not-100:pass', 'max-unavailable-not-zero:pass'],
      ],
      [
        'minAvailable 100%',
        { minAvailable: '100%' },
        ['min-available-not-100:fail', 'max-unavailable-not-zero:pass'],
      ],
      [
        'maxUnavailable 0',
        { maxUnavailable: 0 },
        ['min-available-not-100:pass', 'max-unavailable-not-zero:fail'],
      ],
      [
        'maxUnavailable 0%',
        { maxUnavailable: '0%' },
        ['min-available-not-100:pass', 'max-unavailable-not-zero:fail'],
      ],
      [
        'maxUnavailable 25%',
        { maxUnavailable: '25%' },
        ['min-available-not-100:pass', 'max-unavailable-not-zero:pass'],
      ],
    ])('%s', (_name, spec, expected) => {
      expect(resultsFor('pdb-sanity', pdb(spec))).toEqual(expected);
    });

    it('names the PDB in the message', () => {
      const [first] = evaluatePolicies(
        policies,
        pdb({ minAvailable: '100%' }),
        { operation: 'CREATE' },
      );
      expect(first.message).toBe(
        'PodDisruptionBudget web blocks every eviction (minAvailable 100%).',
      );
    });
  });

  describe('Ingresses (deny host rules, snippet annotations)', () => {
    const ingress = (
      hosts: string[],
      annotations: Record<string, string> = {},
    ): KubeResource => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'team-a', annotations },
      spec: { rules: hosts.map(host => ({ host })) },
    });

    it.each<[string, KubeResource, string[]]>([
      [
        'team host',
        ingress(['web.team-a.apps.acme.io']),
        ['no-wildcard-hosts:pass', 'team-domain:pass'],
      ],
      [
        'wildcard host',
        ingress(['*.team-a.apps.acme.io']),
        ['no-wildcard-hosts:fail', 'team-domain:pass'],
      ],
      [
        'other team',
        ingress(['web.team-b.apps.acme.io']),
        ['no-wildcard-hosts:pass', 'team-domain:fail'],
      ],
    ])('%s', (_name, resource, expected) => {
      expect(resultsFor('ingress-host-rules', resource)).toEqual(expected);
    });

    it('says which host is wrong', () => {
      const results = evaluatePolicies(
        policies,
        ingress(['a.team-a.apps.acme.io', 'evil.example.com']),
        {
          operation: 'CREATE',
        },
      );
      expect(results.find(r => r.rule === 'team-domain')?.message).toBe(
        'validation failure: host evil.example.com must end in .team-a.apps.acme.io',
      );
    });

    it.each<[string, Record<string, string>, string[]]>([
      ['no annotations', {}, ['no-snippets:pass']],
      [
        'server-snippet',
        { 'nginx.ingress.kubernetes.io/server-snippet': 'return 200;' },
        ['no-snippets:fail'],
      ],
      [
        'configuration-snippet',
        { 'nginx.ingress.kubernetes.io/configuration-snippet': 'x' },
        ['no-snippets:fail'],
      ],
      [
        'other annotation',
        { 'nginx.ingress.kubernetes.io/rewrite-target': '/' },
        ['no-snippets:pass'],
      ],
    ])('snippets: %s', (_name, annotations, expected) => {
      expect(
        resultsFor(
          'disallow-ingress-snippets',
          ingress(['web.team-a.apps.acme.io'], annotations),
        ),
      ).toEqual(expected);
    });
  });

  describe('Services', () => {
    const service = (
      type: string | undefined,
      namespace = 'team-a',
    ): KubeResource => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace },
      spec: type ? { type } : {},
    });
    it.each<[string, KubeResource, string[]]>([
      [
        'ClusterIP by default',
        service(undefined),
        ['no-nodeport-loadbalancer:pass'],
      ],
      [
        'LoadBalancer',
        service('LoadBalancer'),
        ['no-nodeport-loadbalancer:fail'],
      ],
      [
        'LoadBalancer in the ingress namespace (excluded)',
        service('LoadBalancer', 'ingress-nginx'),
        [],
      ],
    ])('%s', (_name, resource, expected) => {
      expect(resultsFor('restrict-service-types', resource)).toEqual(expected);
    });
  });
});
