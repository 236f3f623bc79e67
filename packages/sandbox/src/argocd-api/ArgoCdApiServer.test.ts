import { ClusterStore } from '../store';
import { request } from '../kube-api/__testUtils__/request';
import { populateTestCluster } from '../kube-api/__testUtils__/testCluster';
import {
  ArgoCdApiServer,
  type RevisionMetadataSource,
} from './ArgoCdApiServer';

const revisions: RevisionMetadataSource = {
  // A fixed commit table stands in for the git remote, which is not under test here.
  async revisionMetadata(sha) {
    return sha === 'abc123'
      ? {
          author: 'Dev <dev@example.com>',
          date: '2026-01-01T00:00:00Z',
          message: 'Add payments',
          tags: ['v1'],
        }
      : undefined;
  },
};

describe('ArgoCdApiServer', () => {
  const store = new ClusterStore();
  const server = new ArgoCdApiServer({
    store,
    revisions,
    username: 'admin',
    password: 'pw',
    staticToken: 'static-token',
    port: 0,
  });
  let base: string;
  const get = (path: string, token = 'static-token') =>
    request(`${base}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    populateTestCluster(store);
    store.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'pending' },
      spec: { project: 'platform' },
    });
    base = await server.start();
  });
  afterAll(() => server.stop());

  describe('session', () => {
    it('issues a token for the configured credentials that then works as bearer and cookie', async () => {
      const session = await request(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'pw' }),
      });
      expect(session.status).toBe(200);
      const token = session.json.token;
      expect(token).toMatch(/^[0-9a-f]{48}$/);
      expect((await get('/api/v1/applications', token)).status).toBe(200);
      const viaCookie = await request(`${base}/api/v1/applications`, {
        headers: { Cookie: `other=1; argocd.token=${token}` },
      });
      expect(viaCookie.status).toBe(200);
    });

    it.each([
      [{ username: 'admin', password: 'wrong' }],
      [{ username: 'root', password: 'pw' }],
      [{}],
    ])('rejects %j with 401 code 16', async body => {
      const res = await request(`${base}/api/v1/session`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({
        error: 'Invalid username or password',
        code: 16,
        message: 'Invalid username or password',
      });
    });

    it.each([undefined, 'made-up'])(
      'answers 401 code 16 without a valid token (%s)',
      async token => {
        const res = await request(`${base}/api/v1/applications`, {
          headers: token ? { Authorization: `Bearer ${token}` } : {},
        });
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ code: 16 });
      },
    );

    it('serves /api/version without a token', async () => {
      expect((await request(`${base}/api/version`)).json.Version).toMatch(
        /sandbox/,
      );
    });
  });

  describe('applications', () => {
    it('lists all applications with defaults filled in', async () => {
      const res = await get('/api/v1/applications');
      expect(res.json.metadata.resourceVersion).toBe(store.resourceVersion);
      expect(
        res.json.items.map((a: any) => [
          a.metadata.name,
          a.metadata.namespace,
          a.status.sync.status,
          a.status.health.status,
        ]),
      ).toEqual([
        ['pending', 'argocd', 'Unknown', 'Unknown'],
        ['payments', 'argocd', 'Synced', 'Healthy'],
      ]);
    });

    it.each([
      ['?selector=backstage-name%3Dpayments', ['payments']],
      ['?selector=team', ['payments']],
      ['?selector=!team', ['pending']],
      ['?projects=team-a', ['payments']],
      ['?project=platform&project=team-a', ['pending', 'payments']],
      ['?projects=nope', []],
      ['?appNamespace=argocd&name=payments', ['payments']],
      ['?appNamespace=elsewhere', []],
    ])('filters %s', async (query, names) => {
      expect(
        (await get(`/api/v1/applications${query}`)).json.items.map(
          (a: any) => a.metadata.name,
        ),
      ).toEqual(names);
    });

    it('answers 400 code 3 for a bad selector', async () => {
      const res = await get('/api/v1/applications?selector=a%20in');
      expect(res.status).toBe(400);
      expect(res.json.code).toBe(3);
    });

    it('gets one application, 404 code 5 when missing', async () => {
      expect(
        (await get('/api/v1/applications/payments')).json.spec.project,
      ).toBe('team-a');
      expect(
        (await get('/api/v1/applications/payments?appNamespace=argocd')).status,
      ).toBe(200);
      const missing = await get('/api/v1/applications/nope');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({
        error: 'applications.argoproj.io "nope" not found',
        code: 5,
        message: 'applications.argoproj.io "nope" not found',
      });
      expect(
        (await get('/api/v1/applications/payments?appNamespace=other')).status,
      ).toBe(404);
    });

    it('serves revision metadata from the git remote', async () => {
      expect(
        (await get('/api/v1/applications/payments/revisions/abc123/metadata'))
          .json,
      ).toEqual({
        author: 'Dev <dev@example.com>',
        date: '2026-01-01T00:00:00Z',
        message: 'Add payments',
        tags: ['v1'],
      });
      const missing = await get(
        '/api/v1/applications/payments/revisions/fff/metadata',
      );
      expect(missing.status).toBe(404);
      expect(missing.json.code).toBe(5);
      expect(
        (await get('/api/v1/applications/nope/revisions/abc123/metadata'))
          .status,
      ).toBe(404);
    });

    it('builds the resource tree from the tracking label and owner references', async () => {
      const { nodes } = (
        await get('/api/v1/applications/payments/resource-tree')
      ).json;
      const byName = Object.fromEntries(
        nodes.map((n: any) => [`${n.kind}/${n.name}`, n]),
      );
      expect(Object.keys(byName).sort()).toEqual([
        'Deployment/payments-api',
        'Pod/payments-api-7d9f8-abcde',
        'Pod/payments-api-7d9f8-fghij',
        'ReplicaSet/payments-api-7d9f8',
        'Service/payments-api',
      ]);
      expect(byName['Deployment/payments-api']).toMatchObject({
        group: 'apps',
        version: 'v1',
        namespace: 'team-a',
        health: { status: 'Healthy' },
      });
      expect(byName['Deployment/payments-api'].parentRefs).toBeUndefined();
      expect(byName['Pod/payments-api-7d9f8-abcde'].parentRefs).toEqual([
        expect.objectContaining({
          group: 'apps',
          kind: 'ReplicaSet',
          name: 'payments-api-7d9f8',
          namespace: 'team-a',
        }),
      ]);
      expect(byName['Pod/payments-api-7d9f8-abcde'].uid).toMatch(
        /^[0-9a-f-]{36}$/,
      );
    });

    it('lists managed resources', async () => {
      const { items } = (
        await get('/api/v1/applications/payments/managed-resources')
      ).json;
      expect(items.map((i: any) => `${i.kind}/${i.name}`)).toContain(
        'Deployment/payments-api',
      );
      expect(JSON.parse(items[0].liveState).metadata.name).toBeDefined();
    });

    it('is read-only and 404s unknown paths', async () => {
      const sync = await request(`${base}/api/v1/applications/payments/sync`, {
        method: 'POST',
        headers: { Authorization: 'Bearer static-token' },
        body: '{}',
      });
      expect(sync.status).toBe(405);
      expect(sync.json.code).toBe(12);
      expect((await get('/api/v1/clusters')).status).toBe(404);
    });
  });
});
