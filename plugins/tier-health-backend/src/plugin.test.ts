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
          // the cache polls a cluster that refuses watch this often; outdated after two intervals
          kubernetesCache: { pollIntervalSeconds: 0.2 },
        },
      }),
      ...extraFeatures,
    ],
  });
  return server;
}

/** Polls until the sandbox cluster's summary satisfies `done` (the cache follows it in the background). */
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
    expect(cluster.pools?.map(p => [p.pool, p.nodes, p.ready])).toEqual([
      ['control-plane', 1, 1],
      ['apps', 1, 1],
      ['infra', 1, 1],
    ]);
    const infra = await request(server).get(
      '/api/tier-health/nodes?cluster=sandbox&pool=infra',
    );
    expect(
      infra.body.nodes.map((n: any) => [n.name, n.requested.cpuMillis]),
    ).toEqual([['worker-infra', 300]]);

    const edge = summary.clusters.find(c => c.cluster === 'edge')!;
    expect(edge.state).toBeUndefined();
    expect(edge.error).toContain('edge');
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
    expect(sandboxOf(stale).error).toContain('cluster sandbox');
    // older than two poll intervals (0.4 s here), the data claims nothing about now
    const unknown = await summaryWhen(
      server,
      s => sandboxOf(s)?.state === 'Unknown',
    );
    expect(sandboxOf(unknown)).toMatchObject({
      lastSeenState: 'Yellow',
      stale: true,
      outdated: true,
      ageSeconds: expect.any(Number),
      error: expect.stringContaining('cluster sandbox'),
    });
    const entity = await request(server)
      .get('/api/tier-health/entity')
      .query({ entityRef: 'component:default/argocd' });
    expect(entity.body.clusters[0]).toMatchObject({
      cluster: 'sandbox',
      outdated: true,
    });
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
    expect(sandboxOf(summary).pools).toBeUndefined();
    expect(sandboxOf(summary).state).toBe('Green');
  });
});
