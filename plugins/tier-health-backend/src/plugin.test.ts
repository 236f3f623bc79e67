import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { ClusterSimulator, KubeApiServer } from '@internal/sandbox';
import type { Entity } from '@backstage/catalog-model';
import type { Server } from 'node:http';
import request from 'supertest';
import { tierHealthPlugin } from './plugin';
import {
  CATALOG_ENTITIES,
  startSandboxCluster,
  TOKEN,
} from './__testUtils__/sandboxCluster';
import type { SummaryResponse } from '@internal/plugin-tier-health-common';

const UNREACHABLE_URL = 'http://127.0.0.1:1';

/**
 * The test backend's scheduler runs each task once at startup; this one keeps running them at
 * their frequency, as the real scheduler does, so the tests see the snapshots refresh.
 */
const timers: Array<ReturnType<typeof setInterval>> = [];
const periodicScheduler = () =>
  mockServices.scheduler.mock({
    scheduleTask: async task => {
      const frequency = task.frequency as { milliseconds: number };
      const signal = new AbortController().signal;
      void task.fn(signal);
      timers.push(
        setInterval(() => void task.fn(signal), frequency.milliseconds),
      );
    },
  }).factory;
afterEach(() => timers.splice(0).forEach(clearInterval));

async function startPortal(sandboxUrl: string, extraFeatures: any[] = []) {
  const { server } = await startTestBackend({
    features: [
      tierHealthPlugin,
      catalogServiceMock.factory({ entities: CATALOG_ENTITIES as Entity[] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'sandbox',
                    url: sandboxUrl,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: TOKEN,
                  },
                  {
                    name: 'edge',
                    url: UNREACHABLE_URL,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: 'x',
                  },
                ],
              },
            ],
          },
          tierHealth: { refreshIntervalSeconds: 0.2 },
        },
      }),
      periodicScheduler(),
      ...extraFeatures,
    ],
  });
  return server;
}

/** Polls until the sandbox cluster's snapshot satisfies `done` (snapshots refresh in the background). */
async function summaryWhen(
  server: Server,
  done: (s: SummaryResponse) => boolean,
): Promise<SummaryResponse> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await request(server).get('/api/tier-health/summary');
    if (res.status === 200 && done(res.body)) return res.body;
    if (Date.now() > deadline)
      throw new Error(
        `summary never matched: ${JSON.stringify(res.body).slice(0, 500)}`,
      );
    await new Promise(r => setTimeout(r, 100));
  }
}

const sandboxOf = (s: SummaryResponse) =>
  s.clusters.find(c => c.cluster === 'sandbox')!;

describe('tier-health backend against the sandbox Kubernetes API', () => {
  let sandbox: { simulator: ClusterSimulator; server: KubeApiServer };

  beforeEach(async () => {
    sandbox = await startSandboxCluster();
  });
  afterEach(() => sandbox.server.stop());

  it('summarises each cluster: Green with tiers and nodes; an unreachable one as an error entry', async () => {
    const server = await startPortal(sandbox.server.httpUrl);
    const summary = await summaryWhen(
      server,
      s => sandboxOf(s)?.state !== undefined,
    );
    const cluster = sandboxOf(summary);
    expect(cluster).toMatchObject({
      state: 'Green',
      stale: false,
      reasons: [{ code: 'all-healthy' }],
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
    expect(cluster.nodes?.map(n => [n.name, n.pool, n.ready])).toEqual([
      ['control-plane', 'control-plane', true],
      ['worker-apps', 'apps', true],
      ['worker-infra', 'infra', true],
    ]);
    expect(
      cluster.nodes?.find(n => n.name === 'worker-infra')?.requested.cpuMillis,
    ).toBe(300);

    const edge = summary.clusters.find(c => c.cluster === 'edge')!;
    expect(edge.state).toBeUndefined();
    expect(edge.error).toContain('cluster edge is unreachable');
    expect(edge.stale).toBe(true);
  });

  it('turns Yellow with the reason when a worker is lost, and keeps stale data when the API goes away', async () => {
    const server = await startPortal(sandbox.server.httpUrl);
    await summaryWhen(server, s => sandboxOf(s)?.state === 'Green');
    sandbox.simulator.failNode('worker-apps');
    const yellow = await summaryWhen(
      server,
      s => sandboxOf(s)?.state === 'Yellow',
    );
    expect(sandboxOf(yellow).reasons.map(r => r.message)).toContain(
      'worker worker-apps (pool apps) lost: Ready=False (NodeStatusUnknown)',
    );
    await sandbox.server.stop();
    const stale = await summaryWhen(server, s => sandboxOf(s)?.stale === true);
    expect(sandboxOf(stale).error).toContain('unreachable');
    // older than two refresh intervals (0.4 s here), the data claims nothing about now
    const unknown = await summaryWhen(
      server,
      s => sandboxOf(s)?.state === 'Unknown',
    );
    expect(sandboxOf(unknown)).toMatchObject({
      lastSeenState: 'Yellow',
      stale: true,
      outdated: true,
      ageSeconds: expect.any(Number),
      error: expect.stringContaining('unreachable'),
    });
    const entity = await request(server)
      .get('/api/tier-health/entity')
      .query({ entityRef: 'component:default/argocd' });
    expect(entity.body.clusters[0]).toMatchObject({
      cluster: 'sandbox',
      outdated: true,
    });
  });

  it('analyses failure domains per node', async () => {
    const server = await startPortal(sandbox.server.httpUrl);
    await summaryWhen(server, s => sandboxOf(s)?.state !== undefined);
    const res = await request(server).get(
      '/api/tier-health/failure-domains?cluster=sandbox',
    );
    expect(res.status).toBe(200);
    const analysis = res.body.clusters[0].analysis;
    expect(analysis.nodes.map((n: any) => [n.node, n.predictedState])).toEqual([
      ['control-plane', 'Black'],
      ['worker-apps', 'Yellow'],
      ['worker-infra', 'Yellow'],
    ]);
    expect(
      analysis.singlePointsOfFailure.map((s: any) => [
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

  it("shows an entity's tier, nodes and whether it survives each node's loss", async () => {
    const server = await startPortal(sandbox.server.httpUrl);
    await summaryWhen(server, s => sandboxOf(s)?.state !== undefined);
    const res = await request(server)
      .get('/api/tier-health/entity')
      .query({ entityRef: 'component:default/argocd' });
    expect(res.status).toBe(200);
    expect(res.body.annotatedTier).toBe(2);
    const component = res.body.clusters.find(
      (c: any) => c.cluster === 'sandbox',
    ).component;
    expect(component).toMatchObject({
      tier: 2,
      tierSource: 'annotation',
      availability: 'available',
      ready: 2,
      desired: 2,
    });
    expect(component.survivesLossOf).toEqual([
      expect.objectContaining({
        node: 'worker-infra',
        outcome: 'rescheduled',
        message: 'outage until rescheduled on worker-apps',
      }),
    ]);
    expect(
      res.body.clusters.find((c: any) => c.cluster === 'edge').component,
    ).toBeUndefined();
  });

  it.each([
    ['/api/tier-health/summary?cluster=', 400],
    ['/api/tier-health/summary?cluster=nope', 404],
    ['/api/tier-health/entity', 400],
    ['/api/tier-health/entity?entityRef=component:default/ghost', 404],
  ])('answers %s with %i', async (path, status) => {
    const server = await startPortal(sandbox.server.httpUrl);
    const res = await request(server).get(path);
    expect(res.status).toBe(status);
    expect(res.body.error.name).toMatch(/InputError|NotFoundError/);
  });

  it('refuses without tierHealth.read and hides node details without tierHealth.nodes.read', async () => {
    const denied = await startPortal(sandbox.server.httpUrl, [
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    expect((await request(denied).get('/api/tier-health/summary')).status).toBe(
      403,
    );

    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            'permission' in r && r.permission.name === 'tierHealth.nodes.read'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const readOnly = await startPortal(sandbox.server.httpUrl, [
      permissions.factory,
    ]);
    const summary = await summaryWhen(
      readOnly,
      s => sandboxOf(s)?.state !== undefined,
    );
    expect(sandboxOf(summary).nodes).toBeUndefined();
    expect(sandboxOf(summary).state).toBe('Green');
  });
});
