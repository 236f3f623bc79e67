import { ClusterStore } from '../store';
import { KubeApiServer } from '../kube-api/KubeApiServer';
import { request } from '../kube-api/__testUtils__/request';
import { populateTestCluster } from '../kube-api/__testUtils__/testCluster';
import { openWatch } from '../kube-api/__testUtils__/watchClient';
import { createControlRoutes } from './controlRoutes';
import type { SandboxControl, WorkloadRef } from './types';

class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Records calls; the simulator and reconciler behind the real control are tested elsewhere. */
class RecordingControl implements SandboxControl {
  calls: string[] = [];
  reconcileStatus() {
    return { applications: 1, lastSyncedRevision: 'abc123' };
  }
  async reconcileNow() {
    this.calls.push('reconcile');
    return { applications: 2, lastSyncedRevision: 'def456' };
  }
  failNode(name: string) {
    if (name === 'ghost') throw new NotFoundError(`node "ghost" not found`);
    this.calls.push(`fail ${name}`);
  }
  healNode(name: string) {
    this.calls.push(`heal ${name}`);
  }
  crashWorkload(ref: WorkloadRef) {
    if (ref.name === 'ghost')
      throw new NotFoundError(`${ref.kind} ${ref.namespace}/ghost not found`);
    this.calls.push(`crash ${ref.namespace}/${ref.kind}/${ref.name}`);
  }
  healWorkload(ref: WorkloadRef) {
    this.calls.push(`heal ${ref.namespace}/${ref.kind}/${ref.name}`);
  }
}

describe('control API', () => {
  const store = new ClusterStore();
  const control = new RecordingControl();
  const server = new KubeApiServer({
    store,
    token: 't',
    port: 0,
    extraRoutes: kubeApi => [createControlRoutes({ store, control, kubeApi })],
  });
  const call = (method: string, path: string, token = 't', body?: unknown) =>
    request(`${server.httpUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    populateTestCluster(store);
    await server.start();
  });
  afterAll(() => server.stop());

  it('reports status with a nodes summary', async () => {
    const res = await call('GET', '/sandbox/status');
    expect(res.status).toBe(200);
    expect(res.json.reconciler).toEqual({
      applications: 1,
      lastSyncedRevision: 'abc123',
    });
    expect(res.json.nodes).toEqual([
      {
        name: 'control-plane',
        ready: true,
        unschedulable: false,
        role: 'control-plane',
        pods: 0,
      },
      {
        name: 'worker-apps',
        ready: true,
        unschedulable: false,
        role: 'apps',
        pods: 2,
      },
      {
        name: 'worker-infra',
        ready: true,
        unschedulable: false,
        role: 'infra',
        pods: 1,
      },
    ]);
  });

  it('needs the bearer token', async () => {
    expect((await call('GET', '/sandbox/status', 'wrong')).status).toBe(401);
  });

  it('reconciles, fails and heals nodes and workloads', async () => {
    expect(
      (await call('POST', '/sandbox/reconcile')).json.reconciler
        .lastSyncedRevision,
    ).toBe('def456');
    expect((await call('POST', '/sandbox/nodes/worker-apps/fail')).status).toBe(
      200,
    );
    expect((await call('POST', '/sandbox/nodes/worker-apps/heal')).status).toBe(
      200,
    );
    expect(
      (
        await call(
          'POST',
          '/sandbox/workloads/team-a/Deployment/payments-api/crash',
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          'POST',
          '/sandbox/workloads/team-a/Deployment/payments-api/heal',
        )
      ).status,
    ).toBe(200);
    expect(control.calls).toEqual([
      'reconcile',
      'fail worker-apps',
      'heal worker-apps',
      'crash team-a/Deployment/payments-api',
      'heal team-a/Deployment/payments-api',
    ]);
  });

  it('switches watch off and on, and ends open watch streams', async () => {
    expect((await call('GET', '/sandbox/watch')).json).toEqual({
      kind: 'SandboxWatch',
      enabled: true,
      refuseWith: 405,
      bookmarkIntervalMs: 30000,
      openWatches: 0,
      resourceVersion: store.resourceVersion,
      oldestResourceVersion: '0',
      historyLimit: 10000,
    });
    const off = await call('POST', '/sandbox/watch', 't', {
      enabled: false,
      refuseWith: 403,
    });
    expect(off.json).toMatchObject({ enabled: false, refuseWith: 403 });
    const refused = await openWatch(`${server.httpUrl}/api/v1/pods?watch=1`, {
      Authorization: 'Bearer t',
    });
    expect(refused.status).toBe(403);
    await call('POST', '/sandbox/watch', 't', { enabled: true });
    const open = await openWatch(
      `${server.httpUrl}/api/v1/pods?watch=1&resourceVersion=${store.resourceVersion}`,
      { Authorization: 'Bearer t' },
    );
    expect(open.status).toBe(200);
    const closed = await call('POST', '/sandbox/watch/close');
    expect(closed.json).toMatchObject({ closed: 1, openWatches: 0 });
    await open.ended;
  });

  it.each([
    [{ enabled: 'no' }, /enabled must be true or false/],
    [{ refuseWith: 500 }, /refuseWith must be 403 or 405/],
    [{ bookmarkIntervalMs: 1 }, /bookmarkIntervalMs must be an integer/],
    [{ enabled: false, colour: 'red' }, /unknown key "colour"/],
    [[false], /expected a JSON object/],
  ])('rejects watch settings %j and changes nothing', async (body, message) => {
    const res = await call('POST', '/sandbox/watch', 't', body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    expect(res.json.message).toMatch(message);
    expect(server.watchSettings).toEqual({
      enabled: true,
      refuseWith: 403,
      bookmarkIntervalMs: 30000,
    });
  });

  it('counts Kubernetes API requests and resets the counts', async () => {
    await call('POST', '/sandbox/api-requests/reset');
    await call('GET', '/api/v1/pods');
    await call('GET', '/api/v1/pods?limit=1');
    await call('GET', '/api/v1/namespaces/team-b/pods/search-0');
    const counts = (await call('GET', '/sandbox/api-requests')).json;
    expect(counts).toMatchObject({
      kind: 'SandboxApiRequests',
      since: expect.any(String),
      requests: [
        { group: '', resource: 'pods', verb: 'get', requests: 1 },
        { group: '', resource: 'pods', verb: 'list', requests: 2 },
      ],
    });
    expect(counts.total.bytes).toBeGreaterThan(1000);
    const reset = (await call('POST', '/sandbox/api-requests/reset')).json;
    expect(reset).toMatchObject({
      requests: [],
      total: { requests: 0, bytes: 0 },
    });
    expect((await call('GET', '/sandbox/api-requests/reset')).status).toBe(405);
  });

  it.each([
    ['POST', '/sandbox/nodes/ghost/fail', 404, 'NotFound'],
    [
      'POST',
      '/sandbox/workloads/team-a/Deployment/ghost/crash',
      404,
      'NotFound',
    ],
    ['POST', '/sandbox/nodes/worker-apps/explode', 404, 'NotFound'],
    ['GET', '/sandbox/reconcile', 405, 'MethodNotAllowed'],
    ['POST', '/sandbox/status', 405, 'MethodNotAllowed'],
    ['GET', '/sandbox/nodes/worker-apps/fail', 405, 'MethodNotAllowed'],
  ])('%s %s answers %i %s', async (method, path, code, reason) => {
    const res = await call(method, path);
    expect(res.status).toBe(code);
    expect(res.json).toMatchObject({ kind: 'Status', reason, code });
  });
});
