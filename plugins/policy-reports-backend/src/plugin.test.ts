import { resolve } from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  ComplianceOverviewResponse,
  EntityPolicyResultsResponse,
  PolicyDetailResponse,
} from '@internal/plugin-policy-reports-common';
import type { KubeApiServer } from '@internal/sandbox';
import request from 'supertest';
import { policyReportsPlugin } from './plugin';
import {
  SANDBOX_TOKEN,
  deployment,
  namespaceObject,
  primaryClusterObjects,
  report,
  result,
  secondaryClusterObjects,
  startSandboxCluster,
} from './__testUtils__/sandboxClusters';

const REPO_POLICIES = resolve(
  __dirname,
  '../../../K8s/policies/kyverno-policies',
);

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/payments',
      lifecycle: 'production',
    },
  };
}

const entities = [
  component('web', {
    'backstage.io/kubernetes-id': 'web',
    'backstage.io/kubernetes-namespace': 'team-a',
  }),
  component('api', {
    'backstage.io/kubernetes-label-selector': 'app.kubernetes.io/name in (api)',
  }),
  component('billing', { 'backstage.io/kubernetes-id': 'billing' }),
  component('bad-selector', {
    'backstage.io/kubernetes-label-selector': 'a in (',
  }),
  component('no-kubernetes', {}),
];

type Backend = Awaited<ReturnType<typeof startTestBackend>>;

/** Retries `check` until it passes: the cache takes changes in through its watches, a moment later. */
async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(wake => setTimeout(wake, 50));
    }
  }
}

async function startBackend(
  clusters: Array<{ name: string; url: string }>,
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    unauthenticated?: boolean;
    ownership?: string[];
  } = {},
): Promise<Backend> {
  const backend = await startTestBackend({
    features: [
      policyReportsPlugin,
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: clusters.map(cluster => ({
                  ...cluster,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: SANDBOX_TOKEN,
                })),
              },
            ],
          },
          policyReports: { gitopsPolicyDirectory: REPO_POLICIES },
        },
      }),
      mockServices.permissions.factory({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
      ...(options.unauthenticated
        ? [
            mockServices.httpAuth.factory({
              defaultCredentials: mockCredentials.none(),
            }),
          ]
        : []),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () =>
          mockServices.userInfo({
            userEntityRef: 'user:default/alice',
            ownershipEntityRefs: options.ownership ?? ['user:default/alice'],
          }),
      }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  return backend;
}

describe('policy-reports backend against sandbox clusters', () => {
  let primary: Awaited<ReturnType<typeof startSandboxCluster>>;
  let secondary: KubeApiServer;
  let backend: Backend;
  const get = (path: string) =>
    request(backend.server).get(`/api/policy-reports${path}`);

  beforeAll(async () => {
    primary = await startSandboxCluster(primaryClusterObjects(), {
      openReports: true,
    });
    secondary = await startSandboxCluster(secondaryClusterObjects(), {
      openReports: false,
    });
    backend = await startBackend(
      [
        { name: 'primary', url: primary.httpUrl },
        { name: 'secondary', url: secondary.httpUrl },
      ],
      { ownership: ['user:default/alice', 'group:default/payments'] },
    );
    // the cluster cache's first lists of every kind in both clusters
    await eventually(async () => {
      const overview: ComplianceOverviewResponse = (await get('/overview'))
        .body;
      const web: EntityPolicyResultsResponse = (
        await get('/entity/default/component/web/results')
      ).body;
      if (
        !overview.clusters.every(c => c.lastSuccessfulRefresh) ||
        overview.byNamespace.length !== 3 ||
        web.resources.map(group => group.resource.kind).join() !==
          'Namespace,Deployment'
      ) {
        throw new Error('the cluster cache has not listed both clusters yet');
      }
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await primary?.stop();
    await secondary?.stop();
  });

  describe('entity results', () => {
    it('rolls Pod and ReplicaSet reports up to the Deployment and adds the namespace report', async () => {
      const response = await get('/entity/default/component/web/results');
      expect(response.status).toBe(200);
      const body: EntityPolicyResultsResponse = response.body;
      expect(body.summary.byResult).toEqual({
        pass: 1,
        fail: 2,
        warn: 1,
        error: 0,
        skip: 0,
      });
      expect(body.summary.worstFailingSeverity).toBe('high');
      expect(
        body.resources.map(group => [
          `${group.resource.kind}/${group.resource.name}`,
          group.results
            .map(r => `${r.resource.kind}:${r.policy}:${r.result}`)
            .sort(),
        ]),
      ).toEqual([
        // equally failing groups are ordered by name
        ['Namespace/team-a', ['Namespace:require-namespace-labels:fail']],
        [
          'Deployment/web',
          [
            'Pod:disallow-latest-tag:fail',
            'Pod:require-requests-limits:pass',
            'ReplicaSet:require-workload-labels:warn',
          ],
        ],
      ]);
      const failing = body.resources[1].results.find(r => r.result === 'fail')!;
      expect(failing).toMatchObject({
        cluster: 'primary',
        rule: 'require-image-tag',
        message: 'An image tag is required.',
        timestamp: '2026-01-01T00:00:00.000Z',
        reportApiGroup: 'wgpolicyk8s.io',
      });
    });

    it('resolves a label-selector entity cluster-wide from openreports.io reports', async () => {
      const response = await get('/entity/default/component/api/results');
      expect(response.status).toBe(200);
      const body: EntityPolicyResultsResponse = response.body;
      expect(body.resources).toHaveLength(1);
      expect(body.resources[0].resource).toMatchObject({
        kind: 'Deployment',
        name: 'api',
        namespace: 'team-b',
      });
      expect(body.resources[0].results.map(r => r.reportApiGroup)).toEqual([
        'openreports.io',
        'openreports.io',
      ]);
      expect(body.summary.byResult.fail).toBe(1);
    });

    it.each([
      ['result=fail&severity=high', 1, ['require-namespace-labels']],
      [
        'result=fail,warn',
        3,
        [
          'disallow-latest-tag',
          'require-namespace-labels',
          'require-workload-labels',
        ],
      ],
      ['policy=disallow-latest-tag', 1, ['disallow-latest-tag']],
      ['search=IMAGE%20TAG', 1, ['disallow-latest-tag']],
      ['cluster=secondary', 0, []],
    ])('filters by %s', async (query, total, policies) => {
      const response = await get(
        `/entity/default/component/web/results?${query}`,
      );
      expect(response.status).toBe(200);
      const body: EntityPolicyResultsResponse = response.body;
      expect(body.filteredSummary.total).toBe(total);
      expect(body.summary.total).toBe(4);
      expect(
        body.resources
          .flatMap(group => group.results.map(r => r.policy))
          .sort(),
      ).toEqual(policies);
    });

    it.each([
      [
        'an unknown severity',
        '/entity/default/component/web/results?severity=urgent',
      ],
      [
        'an unknown result',
        '/entity/default/component/web/results?result=failed',
      ],
      ['an unknown filter', '/entity/default/component/web/results?colour=red'],
      [
        'an entity without Kubernetes annotations',
        '/entity/default/component/no-kubernetes/results',
      ],
      [
        'a malformed label selector',
        '/entity/default/component/bad-selector/results',
      ],
    ])('answers 400 for %s', async (_, path) => {
      const response = await get(path);
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
    });

    it('answers 404 for an unknown entity', async () => {
      const response = await get('/entity/default/component/nope/results');
      expect(response.status).toBe(404);
    });
  });

  describe('overview', () => {
    it('aggregates every cluster per namespace, team, policy and severity', async () => {
      const response = await get('/overview');
      expect(response.status).toBe(200);
      const body: ComplianceOverviewResponse = response.body;
      expect(body.totals.byResult).toEqual({
        pass: 2,
        fail: 4,
        warn: 1,
        error: 0,
        skip: 0,
      });
      expect(body.byNamespace.map(n => [n.namespace, n.team])).toEqual([
        ['billing', 'billing'],
        ['team-a', 'payments'],
        ['team-b', 'search'],
      ]);
      expect(body.teams).toEqual(['billing', 'payments', 'search']);
      const latest = body.byPolicy.find(
        p => p.policy === 'disallow-latest-tag',
      )!;
      expect(latest.failingResources).toBe(2);
      expect(body.topFailingPolicies[0].policy).toBe('disallow-latest-tag');
      expect(body.bySeverity.map(s => s.severity)).toEqual([
        'high',
        'medium',
        'low',
      ]);
      expect(body.clusters.map(c => [c.cluster, c.stale])).toEqual([
        ['primary', false],
        ['secondary', false],
      ]);
    });

    it.each([
      ['cluster=secondary', ['billing']],
      ['team=search', ['team-b']],
      ['team=payments,search&severity=high', ['team-a', 'team-b']],
      ['mine=true', ['team-a']],
    ])('narrows by %s', async (query, namespaces) => {
      const response = await get(`/overview?${query}`);
      expect(response.status).toBe(200);
      const body: ComplianceOverviewResponse = response.body;
      expect(body.byNamespace.map(n => n.namespace)).toEqual(namespaces);
    });

    it('says which namespaces the user owns through their teams', async () => {
      const body: ComplianceOverviewResponse = (
        await get('/overview?mine=true')
      ).body;
      expect(body.ownedNamespaces).toEqual(['team-a']);
    });

    it.each([
      ['an unknown cluster', 'cluster=elsewhere'],
      ['a bad boolean', 'mine=yes'],
      ['an unknown severity', 'severity=urgent'],
    ])('answers 400 for %s', async (_, query) => {
      expect((await get(`/overview?${query}`)).status).toBe(400);
    });
  });

  describe('policy detail', () => {
    it('reads the ClusterPolicy from the cluster and lists every failing resource', async () => {
      const response = await get('/policies/disallow-latest-tag');
      expect(response.status).toBe(200);
      const body: PolicyDetailResponse = response.body;
      expect(body.definition).toEqual({
        name: 'disallow-latest-tag',
        title: 'Disallow Latest Tag',
        description: 'Images must be pinned.',
        severity: 'medium',
        category: 'Best Practices',
        validationFailureAction: 'Enforce',
        rules: ['require-image-tag'],
        source: { type: 'cluster', cluster: 'primary' },
      });
      expect(
        body.failingResources
          .map(g => `${g.cluster}:${g.resource.kind}/${g.resource.name}`)
          .sort(),
      ).toEqual(['primary:Deployment/web', 'secondary:Deployment/billing']);
      expect(body.summary.byResult).toMatchObject({ pass: 1, fail: 2 });
    });

    it('falls back to the GitOps repository when no cluster has the policy', async () => {
      const response = await get('/policies/require-workload-labels');
      expect(response.status).toBe(200);
      const body: PolicyDetailResponse = response.body;
      expect(body.definition).toMatchObject({
        name: 'require-workload-labels',
        source: { type: 'gitops-repo', path: 'require-workload-labels.yaml' },
      });
      expect(body.definition?.title).toBeTruthy();
      expect(body.definition?.rules.length).toBeGreaterThan(0);
    });

    it.each([
      [404, 'a policy nobody knows', '/policies/no-such-policy'],
      [400, 'a name that is no Kubernetes name', '/policies/Not_A_Name'],
      [
        400,
        'an unknown cluster',
        '/policies/disallow-latest-tag?cluster=elsewhere',
      ],
    ])('answers %i for %s', async (status, _, path) => {
      expect((await get(path)).status).toBe(status);
    });
  });

  describe('changes in a cluster', () => {
    it('shows a new team, workload and report, a changed report and a deletion once the cache took them in', async () => {
      const checkout = deployment('checkout', 'team-c', {
        'backstage.io/kubernetes-id': 'billing',
      });
      const checkoutReport = (outcome: string) =>
        report('wgpolicyk8s.io/v1alpha2', 'PolicyReport', checkout, [
          result('disallow-latest-tag', 'require-image-tag', outcome, 'medium'),
        ]);
      primary.store.apply(namespaceObject('team-c', 'checkout'));
      primary.store.apply(checkout);
      primary.store.apply(checkoutReport('fail'));

      const billing = async () =>
        (await get('/entity/default/component/billing/results'))
          .body as EntityPolicyResultsResponse;
      await eventually(async () => {
        expect(
          (await billing()).resources.map(
            group => `${group.cluster}:${group.resource.name}`,
          ),
        ).toEqual(['secondary:billing', 'primary:checkout']);
        const overview: ComplianceOverviewResponse = (await get('/overview'))
          .body;
        expect(overview.teams).toContain('checkout');
      });

      primary.store.apply(checkoutReport('pass'));
      await eventually(async () =>
        expect((await billing()).summary.byResult).toMatchObject({
          pass: 1,
          fail: 1,
        }),
      );

      primary.store.delete({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-c',
        name: 'checkout',
      });
      primary.store.delete({
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        namespace: 'team-c',
        name: checkout.metadata.uid!,
      });
      primary.store.delete({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'team-c',
      });
      await eventually(async () => {
        expect((await billing()).resources).toHaveLength(1);
        expect(
          ((await get('/overview')).body as ComplianceOverviewResponse).teams,
        ).not.toContain('checkout');
      });
    });
  });

  describe('an unreachable cluster', () => {
    it('contributes an error entry and its last known data, marked stale, with a 200', async () => {
      await secondary.stop();

      const body = await eventually(async () => {
        const response = await get('/entity/default/component/billing/results');
        expect(response.status).toBe(200);
        expect(response.body.clusters[1]).toMatchObject({
          cluster: 'secondary',
          stale: true,
        });
        return response.body as EntityPolicyResultsResponse;
      });
      expect(body.summary.byResult.fail).toBe(1);
      const [primaryStatus, secondaryStatus] = body.clusters;
      expect(primaryStatus).toMatchObject({ cluster: 'primary', stale: false });
      expect(primaryStatus.error).toBeUndefined();
      expect(secondaryStatus.error).toMatch(/secondary/);
      expect(Date.parse(secondaryStatus.lastSuccessfulRefresh!)).not.toBeNaN();

      const overview = await get('/overview');
      expect(overview.status).toBe(200);
      expect(
        overview.body.byNamespace.map(
          (n: { namespace: string }) => n.namespace,
        ),
      ).toContain('billing');
    });
  });
});

describe('policy-reports backend access control', () => {
  let cluster: KubeApiServer;

  beforeAll(async () => {
    cluster = await startSandboxCluster(primaryClusterObjects(), {
      openReports: true,
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const paths = [
    '/entity/default/component/web/results',
    '/overview',
    '/policies/disallow-latest-tag',
  ];

  it.each(paths)('answers 401 without credentials: %s', async path => {
    const backend = await startBackend(
      [{ name: 'primary', url: cluster.httpUrl }],
      {
        unauthenticated: true,
      },
    );
    try {
      expect(
        (await request(backend.server).get(`/api/policy-reports${path}`))
          .status,
      ).toBe(401);
    } finally {
      await backend.stop();
    }
  });

  it.each(paths)('answers 403 without permission: %s', async path => {
    const backend = await startBackend(
      [{ name: 'primary', url: cluster.httpUrl }],
      {
        permission: AuthorizeResult.DENY,
      },
    );
    try {
      const response = await request(backend.server).get(
        `/api/policy-reports${path}`,
      );
      expect(response.status).toBe(403);
      expect(response.body.error.message).toMatch(
        /policyReports\.(entity|overview)\.read/,
      );
    } finally {
      await backend.stop();
    }
  });
});
