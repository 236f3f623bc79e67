import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  priorityClassTiers,
  type ClusterSummary,
  type SummaryResponse,
} from '@internal/plugin-tier-health-common';
import { ClusterStore } from '@internal/sandbox';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import {
  ClusterInventories,
  INVENTORY_KINDS,
} from './service/ClusterInventories';
import { TierHealthService } from './service/TierHealthService';
import { MemoryClusterCache } from './__testUtils__/memoryClusterCache';
import {
  CATALOG_ENTITIES,
  populateThreeNodeCluster,
} from './__testUtils__/sandboxCluster';

/**
 * The routes over an in-memory cluster cache filled from the sandbox's store (the same three-node
 * cluster the sandbox serves): the cache's events are sent by hand, one at a time.
 */
function setup(
  permission: (
    name: string,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY = () =>
    AuthorizeResult.ALLOW,
) {
  const store = new ClusterStore();
  const simulator = populateThreeNodeCluster(store);
  const cache = new MemoryClusterCache(['sandbox', 'edge']);
  const inventories = new ClusterInventories(cache);
  for (const kind of Object.values(INVENTORY_KINDS))
    cache.sync('sandbox', kind.plural, store.list({ kind: kind.kind }));
  cache.setProblem('edge', {
    error: 'cluster edge is unreachable: ECONNREFUSED',
  });
  const service = new TierHealthService({
    inventories,
    catalog: catalogServiceMock({ entities: CATALOG_ENTITIES as Entity[] }),
    priorityClassTiers: priorityClassTiers(),
  });
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: permission('permission' in r ? r.permission.name : ''),
      })),
  });
  const app = (async () => {
    const router = await createRouter({
      service,
      httpAuth: mockServices.httpAuth(),
      permissions,
    });
    return express().use(router).use(mockErrorHandler());
  })();
  /** Sends the cache's event for the current state of a node in the store. */
  const nodeChanged = (name: string) =>
    cache.emit(
      'sandbox',
      'nodes',
      'MODIFIED',
      store.get({ apiVersion: 'v1', kind: 'Node', name })!,
    );
  return { store, simulator, cache, app, nodeChanged };
}

const sandboxOf = (s: SummaryResponse): ClusterSummary =>
  s.clusters.find(c => c.cluster === 'sandbox')!;

describe('tier-health routes over the cluster cache', () => {
  it('summarises compactly: state, reasons, tier components and pool counts; an unreachable cluster as an error entry', async () => {
    const { app } = setup();
    const res = await request(await app).get('/summary');
    expect(res.status).toBe(200);
    const cluster = sandboxOf(res.body);
    expect(cluster).toMatchObject({
      state: 'Green',
      stale: false,
      outdated: false,
      mode: 'watch',
      reasons: [{ code: 'all-healthy' }],
      reasonCount: 1,
    });
    expect(
      cluster.components.map(c => [c.name, c.tier, c.availability]),
    ).toEqual([
      ['etcd', 1, 'available'],
      ['kube-apiserver', 1, 'available'],
      ['kube-controller-manager', 1, 'available'],
      ['kube-scheduler', 1, 'available'],
      ['Argo CD', 2, 'available'],
      ['Prometheus', 2, 'available'],
      ['payments-api', 4, 'available'],
    ]);
    expect(cluster.pools).toEqual([
      expect.objectContaining({ pool: 'control-plane', nodes: 1, ready: 1 }),
      expect.objectContaining({ pool: 'apps', nodes: 1, ready: 1 }),
      expect.objectContaining({ pool: 'infra', nodes: 1, ready: 1 }),
    ]);
    expect(cluster).not.toHaveProperty('nodes');
    const edge = res.body.clusters.find(
      (c: ClusterSummary) => c.cluster === 'edge',
    );
    expect(edge).toMatchObject({
      stale: true,
      synced: false,
      error: expect.stringContaining('cluster edge is unreachable'),
    });
    expect(edge.state).toBeUndefined();
  });

  it('answers an unchanged summary with 304 and a changed one with a new body', async () => {
    const { app, simulator, nodeChanged } = setup();
    const first = await request(await app).get('/summary');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/".+"$/);
    const unchanged = await request(await app)
      .get('/summary')
      .set('If-None-Match', etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');

    simulator.failNode('worker-apps');
    nodeChanged('worker-apps');
    const changed = await request(await app)
      .get('/summary')
      .set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(sandboxOf(changed.body)).toMatchObject({ state: 'Yellow' });
    expect(sandboxOf(changed.body).reasons.map(r => r.message)).toContain(
      'worker worker-apps (pool apps) lost: Ready=False (NodeStatusUnknown)',
    );
    expect(sandboxOf(changed.body).pools).toContainEqual(
      expect.objectContaining({ pool: 'apps', ready: 0, notReady: 1 }),
    );
  });

  it('reports outdated data as Unknown with the last seen state and its age', async () => {
    const { app, cache } = setup();
    cache.setProblem('sandbox', {
      lastSuccess: new Date(Date.now() - 40_000),
      error: 'cluster sandbox is unreachable',
      outdated: true,
    });
    const summary = sandboxOf((await request(await app).get('/summary')).body);
    expect(summary).toMatchObject({
      state: 'Unknown',
      lastSeenState: 'Green',
      stale: true,
      outdated: true,
      ageSeconds: expect.any(Number),
      error: 'cluster sandbox is unreachable',
    });
    expect(summary.ageSeconds).toBeGreaterThanOrEqual(40);
  });

  it('pages the nodes of a cluster and of one pool', async () => {
    const { app } = setup();
    const all = await request(await app).get('/nodes?cluster=sandbox&limit=2');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      cluster: 'sandbox',
      total: 3,
      offset: 0,
      limit: 2,
    });
    expect(all.body.nodes.map((n: any) => n.name)).toEqual([
      'control-plane',
      'worker-apps',
    ]);
    const next = await request(await app).get(
      '/nodes?cluster=sandbox&offset=2&limit=2',
    );
    expect(next.body.nodes.map((n: any) => n.name)).toEqual(['worker-infra']);
    const infra = await request(await app).get(
      '/nodes?cluster=sandbox&pool=infra',
    );
    expect(infra.body.total).toBe(1);
    expect(infra.body.nodes[0]).toMatchObject({
      name: 'worker-infra',
      requested: expect.objectContaining({ cpuMillis: 300 }),
    });
  });

  it("tells one node's what-if with its details", async () => {
    const { app } = setup();
    const res = await request(await app).get('/nodes/sandbox/worker-infra');
    expect(res.status).toBe(200);
    expect(res.body.details.name).toBe('worker-infra');
    expect(res.body.impact).toMatchObject({
      node: 'worker-infra',
      predictedState: 'Yellow',
    });
    expect(
      res.body.singlePointsOfFailure.map((s: any) => [s.name, s.reschedulable]),
    ).toEqual([
      ['Argo CD', true],
      ['Prometheus', true],
    ]);
  });

  it('lists single points of failure and each node outlook, revalidated by ETag', async () => {
    const { app, simulator, nodeChanged } = setup();
    const res = await request(await app).get(
      '/failure-domains?cluster=sandbox',
    );
    expect(res.status).toBe(200);
    const etag = res.headers.etag;
    expect(
      (
        await request(await app)
          .get('/failure-domains?cluster=sandbox')
          .set('If-None-Match', etag)
      ).status,
    ).toBe(304);
    simulator.failNode('worker-infra');
    nodeChanged('worker-infra');
    const changed = await request(await app)
      .get('/failure-domains?cluster=sandbox')
      .set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(
      changed.body.clusters[0].nodes.find((n: any) => n.node === 'worker-infra')
        .ready,
    ).toBe(false);
    const [cluster] = res.body.clusters;
    expect(cluster.nodes.map((n: any) => [n.node, n.predictedState])).toEqual([
      ['control-plane', 'Black'],
      ['worker-apps', 'Yellow'],
      ['worker-infra', 'Yellow'],
    ]);
    expect(
      cluster.singlePointsOfFailure.map((s: any) => [
        s.name,
        s.node,
        s.reschedulable,
      ]),
    ).toEqual([
      ['etcd', 'control-plane', false],
      ['kube-apiserver', 'control-plane', false],
      ['kube-controller-manager', 'control-plane', false],
      ['kube-scheduler', 'control-plane', false],
      ['Argo CD', 'worker-infra', true],
      ['Prometheus', 'worker-infra', true],
      ['payments-api', 'worker-apps', false],
    ]);
  });

  it("shows an entity's tier and whether it survives each node's loss", async () => {
    const { app } = setup();
    const res = await request(await app)
      .get('/entity')
      .query({ entityRef: 'component:default/argocd' });
    expect(res.status).toBe(200);
    const sandbox = res.body.clusters.find((c: any) => c.cluster === 'sandbox');
    expect(sandbox.component).toMatchObject({ tier: 2, ready: 2, desired: 2 });
    expect(sandbox.component.survivesLossOf).toEqual([
      expect.objectContaining({
        node: 'worker-infra',
        outcome: 'rescheduled',
        message: 'outage until rescheduled on worker-apps',
      }),
    ]);
  });

  it.each([
    ['/summary?cluster=', 400],
    ['/summary?cluster=nope', 404],
    ['/nodes', 400],
    ['/nodes?cluster=sandbox&limit=0', 400],
    ['/nodes?cluster=sandbox&limit=1000', 400],
    ['/nodes?cluster=sandbox&offset=-1', 400],
    ['/nodes?cluster=nope', 404],
    ['/nodes/sandbox/ghost', 404],
    ['/nodes/edge/worker-apps', 404],
    ['/entity', 400],
    ['/entity?entityRef=component:default/ghost', 404],
  ])('answers %s with %i', async (path, status) => {
    const { app } = setup();
    const res = await request(await app).get(path);
    expect(res.status).toBe(status);
    expect(res.body.error.name).toMatch(/InputError|NotFoundError/);
  });

  it('refuses without tierHealth.read, and node details without tierHealth.nodes.read', async () => {
    const denied = setup(() => AuthorizeResult.DENY);
    expect((await request(await denied.app).get('/summary')).status).toBe(403);
    expect(
      (await request(await denied.app).get('/nodes/sandbox/worker-apps'))
        .status,
    ).toBe(403);

    const readOnly = setup(name =>
      name === 'tierHealth.nodes.read'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );
    const summary = sandboxOf(
      (await request(await readOnly.app).get('/summary')).body,
    );
    expect(summary.state).toBe('Green');
    expect(summary.pools).toBeUndefined();
    expect(
      (await request(await readOnly.app).get('/nodes?cluster=sandbox')).status,
    ).toBe(403);
    const whatIf = await request(await readOnly.app).get(
      '/nodes/sandbox/worker-apps',
    );
    expect(whatIf.status).toBe(200);
    expect(whatIf.body.details).toBeUndefined();
    expect(whatIf.body.impact.node).toBe('worker-apps');
  });
});
