import { ClusterStore } from '../store';
import { KubeApiServer } from './KubeApiServer';
import { request } from './__testUtils__/request';
import { populateTestCluster } from './__testUtils__/testCluster';

const TOKEN = 'test-token';

describe('KubeApiServer', () => {
  const store = new ClusterStore();
  const server = new KubeApiServer({ store, token: TOKEN, port: 0 });
  let base: string;
  const get = (path: string, headers: Record<string, string> = {}) =>
    request(`${base}${path}`, {
      headers: { Authorization: `Bearer ${TOKEN}`, ...headers },
    });

  beforeAll(async () => {
    populateTestCluster(store);
    await server.start();
    base = server.httpUrl;
  });
  afterAll(() => server.stop());

  describe('authentication', () => {
    it.each([
      [{}],
      [{ Authorization: 'Bearer wrong' }],
      [{ Authorization: `Basic ${TOKEN}` }],
    ])('answers 401 Status for headers %j', async headers => {
      const res = await request(`${base}/api/v1/pods`, { headers });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Unauthorized',
        code: 401,
      });
    });

    it.each(['/healthz', '/readyz', '/livez'])('leaves %s open', async path => {
      expect((await request(`${base}${path}`)).status).toBe(200);
    });

    it('serves https with its self-signed certificate on the same port', async () => {
      const res = await request(`${server.url}/version`, {
        headers: { Authorization: `Bearer ${TOKEN}` },
        ca: server.caCertificate,
      });
      expect(res.status).toBe(200);
      expect(res.json.gitVersion).toBe('v1.31.0-sandbox');
    });
  });

  describe('discovery', () => {
    it('serves /version, /api and /apis', async () => {
      expect((await get('/version')).json).toMatchObject({
        major: '1',
        gitVersion: 'v1.31.0-sandbox',
      });
      expect((await get('/api')).json).toMatchObject({
        kind: 'APIVersions',
        versions: ['v1'],
      });
      const apis = await get('/apis', {
        Accept:
          'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      });
      expect(apis.headers['content-type']).toBe('application/json');
      expect(apis.json.kind).toBe('APIGroupList');
      const groups = apis.json.groups.map((g: any) => g.name);
      expect(groups).toEqual(
        expect.arrayContaining([
          'apps',
          'wgpolicyk8s.io',
          'argoproj.io',
          'kyverno.io',
          'metrics.k8s.io',
        ]),
      );
      expect(groups).not.toContain('openreports.io');
      expect(
        apis.json.groups.find((g: any) => g.name === 'apps').preferredVersion,
      ).toEqual({ groupVersion: 'apps/v1', version: 'v1' });
    });

    it('serves APIResourceLists with short names', async () => {
      const core = (await get('/api/v1')).json;
      expect(core).toMatchObject({
        kind: 'APIResourceList',
        groupVersion: 'v1',
      });
      expect(core.resources.find((r: any) => r.name === 'pods')).toEqual({
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get', 'list', 'watch'],
        shortNames: ['po'],
        categories: ['all'],
      });
      const reports = (await get('/apis/wgpolicyk8s.io/v1alpha2')).json
        .resources;
      expect(reports.map((r: any) => [r.name, r.shortNames])).toEqual([
        ['policyreports', ['polr']],
        ['clusterpolicyreports', ['cpolr']],
      ]);
      expect((await get('/apis/argoproj.io')).json).toMatchObject({
        kind: 'APIGroup',
        name: 'argoproj.io',
      });
      expect((await get('/apis/openreports.io/v1alpha1')).status).toBe(404);
    });

    it('serves openreports.io when enabled', async () => {
      const withReports = new KubeApiServer({
        store,
        token: TOKEN,
        port: 0,
        openReports: true,
      });
      await withReports.start();
      try {
        const res = await request(
          `${withReports.httpUrl}/apis/openreports.io/v1alpha1`,
          { headers: { Authorization: `Bearer ${TOKEN}` } },
        );
        expect(res.json.resources.map((r: any) => r.name)).toEqual([
          'reports',
          'clusterreports',
        ]);
      } finally {
        await withReports.stop();
      }
    });
  });

  describe('list and get', () => {
    it('lists pods across namespaces as a PodList', async () => {
      const res = await get('/api/v1/pods');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: store.resourceVersion },
      });
      expect(
        res.json.items.map(
          (p: any) => `${p.metadata.namespace}/${p.metadata.name}`,
        ),
      ).toEqual([
        'team-a/payments-api-7d9f8-abcde',
        'team-a/payments-api-7d9f8-fghij',
        'team-b/search-0',
      ]);
      expect(
        res.json.items.every(
          (p: any) => p.kind === 'Pod' && p.apiVersion === 'v1',
        ),
      ).toBe(true);
    });

    it('lists in one namespace, with label and field selectors', async () => {
      const names = async (path: string) =>
        (await get(path)).json.items.map((o: any) => o.metadata.name);
      expect(await names('/api/v1/namespaces/team-b/pods')).toEqual([
        'search-0',
      ]);
      expect(
        await names(
          `/api/v1/pods?labelSelector=${encodeURIComponent(
            'app.kubernetes.io/instance=payments',
          )}`,
        ),
      ).toHaveLength(2);
      expect(
        await names(
          `/api/v1/pods?labelSelector=${encodeURIComponent(
            'app.kubernetes.io/name notin (payments-api)',
          )}`,
        ),
      ).toEqual(['search-0']);
      expect(
        await names(
          `/api/v1/pods?fieldSelector=${encodeURIComponent(
            'spec.nodeName=worker-infra',
          )}`,
        ),
      ).toEqual(['payments-api-7d9f8-fghij']);
      expect(
        await names(
          `/api/v1/namespaces/team-a/pods?fieldSelector=${encodeURIComponent(
            'status.phase!=Running',
          )}`,
        ),
      ).toEqual([]);
      expect(
        await names('/apis/apps/v1/namespaces/team-a/deployments'),
      ).toEqual(['payments-api']);
      expect(await names('/api/v1/nodes')).toEqual([
        'control-plane',
        'worker-apps',
        'worker-infra',
      ]);
    });

    it('lists custom resources with kind XList', async () => {
      const reports = (await get('/apis/wgpolicyk8s.io/v1alpha2/policyreports'))
        .json;
      expect(reports).toMatchObject({
        kind: 'PolicyReportList',
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
      });
      expect(reports.items[0]).toMatchObject({
        kind: 'PolicyReport',
        summary: { fail: 1 },
      });
      const apps = (
        await get('/apis/argoproj.io/v1alpha1/namespaces/argocd/applications')
      ).json;
      expect(apps).toMatchObject({
        kind: 'ApplicationList',
        items: [{ metadata: { name: 'payments' } }],
      });
      expect(
        (await get('/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports')).json
          .items,
      ).toHaveLength(1);
    });

    it('gets single objects, including cluster-scoped ones and namespaces', async () => {
      expect(
        (await get('/api/v1/namespaces/team-b/pods/search-0')).json,
      ).toMatchObject({ kind: 'Pod', metadata: { name: 'search-0' } });
      expect((await get('/api/v1/namespaces/team-a')).json).toMatchObject({
        kind: 'Namespace',
        metadata: { name: 'team-a' },
      });
      expect((await get('/api/v1/nodes/worker-apps')).json).toMatchObject({
        kind: 'Node',
      });
      expect(
        (await get('/api/v1/nodes/worker-apps/status')).json,
      ).toMatchObject({ kind: 'Node' });
    });

    it('computes deterministic metrics from pod requests', async () => {
      const first = (
        await get('/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods')
      ).json;
      expect(first).toMatchObject({
        kind: 'PodMetricsList',
        apiVersion: 'metrics.k8s.io/v1beta1',
      });
      expect(first.items).toHaveLength(2);
      const usage = first.items[0].containers[0].usage;
      expect(usage.cpu).toMatch(/^\d+m$/);
      expect(parseInt(usage.cpu, 10)).toBeGreaterThanOrEqual(30);
      expect(parseInt(usage.cpu, 10)).toBeLessThan(80);
      const second = (
        await get('/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods')
      ).json;
      expect(second.items[0].containers).toEqual(first.items[0].containers);
      const nodes = (await get('/apis/metrics.k8s.io/v1beta1/nodes')).json;
      expect(nodes.items.map((n: any) => n.metadata.name)).toEqual([
        'control-plane',
        'worker-apps',
        'worker-infra',
      ]);
      expect(
        (await get('/apis/metrics.k8s.io/v1beta1/nodes/worker-apps')).json.kind,
      ).toBe('NodeMetrics');
    });

    it('serves a meta.k8s.io Table when asked as kubectl does', async () => {
      const res = await get('/api/v1/namespaces/team-a/pods', {
        Accept:
          'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      });
      expect(res.json).toMatchObject({
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
      });
      expect(res.json.columnDefinitions.map((c: any) => c.name)).toEqual([
        'Name',
        'Ready',
        'Status',
        'Restarts',
        'Age',
        'IP',
        'Node',
      ]);
      expect(res.json.rows[0].cells.slice(0, 4)).toEqual([
        'payments-api-7d9f8-abcde',
        '1/1',
        'Running',
        1,
      ]);
      expect(res.json.rows[0].object).toMatchObject({
        kind: 'PartialObjectMetadata',
        metadata: { namespace: 'team-a' },
      });
    });
  });

  describe('errors', () => {
    it.each([
      ['/api/v1/namespaces/team-a/pods/missing'],
      ['/api/v1/widgets'],
      ['/apis/example.com/v1/things'],
      ['/api/v1/namespaces/team-a/nodes'],
      ['/api/v1/pods/search-0'],
      ['/api/v1/namespaces/team-b/pods/search-0/exec'],
      ['/openapi/v2'],
    ])('answers 404 NotFound Status for %s', async path => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({
        kind: 'Status',
        reason: 'NotFound',
        code: 404,
      });
    });

    it('names a missing object like the API server does', async () => {
      const res = await get(
        '/apis/apps/v1/namespaces/team-a/deployments/missing',
      );
      expect(res.json).toMatchObject({
        message: 'deployments.apps "missing" not found',
        details: { name: 'missing', group: 'apps', kind: 'deployments' },
      });
    });

    it.each([
      ['/api/v1/pods?labelSelector=app%20in', 'label'],
      ['/api/v1/pods?fieldSelector=spec.unknown%3Dx', 'field'],
      ['/api/v1/configmaps?fieldSelector=spec.nodeName%3Dx', 'field'],
    ])('answers 400 BadRequest Status for %s (%s selector)', async path => {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        kind: 'Status',
        reason: 'BadRequest',
        code: 400,
      });
    });

    it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
      'answers 405 to %s: the API is read-only',
      async method => {
        const res = await request(
          `${base}/api/v1/namespaces/team-a/pods/search-0`,
          {
            method,
            headers: {
              Authorization: `Bearer ${TOKEN}`,
              'Content-Type': 'application/json',
            },
            body: '{}',
          },
        );
        expect(res.status).toBe(405);
        expect(res.json).toMatchObject({
          kind: 'Status',
          reason: 'MethodNotAllowed',
          code: 405,
        });
      },
    );

    it('answers 405 to watch requests for metrics, which have no watch', async () => {
      const res = await get('/apis/metrics.k8s.io/v1beta1/pods?watch=true');
      expect(res.status).toBe(405);
      expect(res.json).toMatchObject({
        kind: 'Status',
        reason: 'MethodNotAllowed',
      });
    });
  });
});
