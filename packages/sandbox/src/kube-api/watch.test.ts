import type { KubernetesObject } from '@internal/kube-model';
import { ClusterStore } from '../store';
import { KubeApiServer } from './KubeApiServer';
import { request } from './__testUtils__/request';
import { populateTestCluster } from './__testUtils__/testCluster';
import { openWatch } from './__testUtils__/watchClient';

const TOKEN = 'watch-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

function pod(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName: 'worker-apps', containers: [{ name: 'main' }] },
    status: { phase: 'Pending' },
  };
}

const ref = (namespace: string, name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  namespace,
  name,
});
const rv = (obj: any) => Number(obj.metadata.resourceVersion);

describe('KubeApiServer watch', () => {
  let store: ClusterStore;
  let server: KubeApiServer;
  const get = async (path: string) =>
    request(`${server.httpUrl}${path}`, { headers: AUTH });
  const watch = (path: string, headers: Record<string, string> = {}) =>
    openWatch(`${server.httpUrl}${path}`, { ...AUTH, ...headers });

  beforeEach(async () => {
    store = new ClusterStore({ historyLimit: 20 });
    populateTestCluster(store);
    server = new KubeApiServer({
      store,
      token: TOKEN,
      port: 0,
      watch: { bookmarkIntervalMs: 50 },
    });
    await server.start();
  });
  afterEach(() => server.stop());

  it('streams ADDED, MODIFIED and DELETED with increasing resourceVersions after a list', async () => {
    const list = (await get('/api/v1/namespaces/team-b/pods')).json;
    const w = await watch(
      `/api/v1/namespaces/team-b/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
    );
    expect(w.status).toBe(200);
    expect(w.headers['content-type']).toBe('application/json');
    expect(w.headers['transfer-encoding']).toBe('chunked');
    store.apply(pod('team-b', 'search-1'));
    store.apply(pod('team-a', 'elsewhere')); // another namespace: not this watch's
    store.updateStatus(ref('team-b', 'search-1'), { phase: 'Running' });
    store.delete(ref('team-b', 'search-1'));
    const events = await w.waitFor(3);
    expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'search-1'],
      ['MODIFIED', 'search-1'],
      ['DELETED', 'search-1'],
    ]);
    expect(events[0].object).toMatchObject({ kind: 'Pod', apiVersion: 'v1' });
    expect(events[1].object.status).toEqual({ phase: 'Running' });
    const versions = events.map(e => rv(e.object));
    expect(versions[0]).toBeGreaterThan(Number(list.metadata.resourceVersion));
    expect(versions[1]).toBeGreaterThan(versions[0]);
    // The deletion has its own, newer resourceVersion, as the API server reports it.
    expect(versions[2]).toBeGreaterThan(versions[1]);
    expect(String(versions[2])).toBe(store.resourceVersion);
    w.close();
  });

  it('starts with ADDED for the current objects when no resourceVersion is given', async () => {
    const w = await watch('/api/v1/pods?watch=1');
    const initial = await w.waitFor(3);
    expect(initial.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'payments-api-7d9f8-abcde'],
      ['ADDED', 'payments-api-7d9f8-fghij'],
      ['ADDED', 'search-0'],
    ]);
    store.apply(pod('team-b', 'search-1'));
    expect((await w.waitFor(4))[3]).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'search-1' } },
    });
    w.close();
  });

  it('resumes after a resourceVersion with exactly the changes after it', async () => {
    store.apply(pod('team-b', 'p1'));
    const resumeFrom = store.resourceVersion;
    store.apply(pod('team-b', 'p2'));
    store.delete(ref('team-b', 'p1'));
    const w = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${resumeFrom}`,
    );
    const events = await w.waitFor(2);
    expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'p2'],
      ['DELETED', 'p1'],
    ]);
    store.apply(pod('team-b', 'p3'));
    expect((await w.waitFor(3))[2].object.metadata.name).toBe('p3');
    expect(w.events).toHaveLength(3);
    w.close();
  });

  it('answers a resourceVersion older than the history with an ERROR event carrying 410 Expired', async () => {
    const old = store.resourceVersion;
    for (let i = 0; i < 25; i++) store.apply(pod('team-b', `churn-${i}`));
    const w = await watch(`/api/v1/pods?watch=true&resourceVersion=${old}`);
    expect(w.status).toBe(200);
    await w.ended;
    expect(w.events).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${old} (${store.oldestResourceVersion})`,
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
    // A resourceVersion from a future (an earlier run of a restarted sandbox) expires too.
    const ahead = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${
        Number(store.resourceVersion) + 100
      }`,
    );
    await ahead.ended;
    expect(ahead.events[0].object).toMatchObject({ code: 410 });
  });

  it('turns selector transitions into ADDED and DELETED', async () => {
    store.apply(pod('team-b', 'moving', { tier: 'web' }));
    const w = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${
        store.resourceVersion
      }&labelSelector=${encodeURIComponent('tier=db')}`,
    );
    store.apply(pod('team-b', 'moving', { tier: 'db' }));
    store.apply(pod('team-b', 'moving', { tier: 'db', v: '2' }));
    store.apply(pod('team-b', 'moving', { tier: 'web' }));
    store.apply(pod('team-b', 'other', { tier: 'web' }));
    const events = await w.waitFor(3);
    expect(events.map(e => [e.type, e.object.metadata.labels.tier])).toEqual([
      ['ADDED', 'db'],
      ['MODIFIED', 'db'],
      ['DELETED', 'web'],
    ]);
    w.close();
  });

  it('watches one object through its name, and through the legacy /watch/ path', async () => {
    const byName = await watch(
      `/api/v1/namespaces/team-b/pods/search-0?watch=true&resourceVersion=${store.resourceVersion}`,
    );
    const legacy = await watch(
      `/api/v1/watch/namespaces/team-b/pods?resourceVersion=${store.resourceVersion}`,
    );
    store.apply(pod('team-b', 'search-1'));
    store.updateStatus(ref('team-b', 'search-0'), { phase: 'Failed' });
    expect((await byName.waitFor(1))[0]).toMatchObject({
      type: 'MODIFIED',
      object: { metadata: { name: 'search-0' }, status: { phase: 'Failed' } },
    });
    expect((await legacy.waitFor(2)).map(e => e.object.metadata.name)).toEqual([
      'search-1',
      'search-0',
    ]);
    expect(byName.events).toHaveLength(1);
    byName.close();
    legacy.close();
  });

  it('sends BOOKMARK events with only kind, apiVersion and resourceVersion when allowed', async () => {
    const plain = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${store.resourceVersion}`,
    );
    const w = await watch(
      `/apis/apps/v1/deployments?watch=true&resourceVersion=${store.resourceVersion}&allowWatchBookmarks=true`,
    );
    store.apply(pod('team-b', 'p1'));
    const [bookmark] = await w.waitFor(1);
    expect(bookmark).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: { resourceVersion: store.resourceVersion },
      },
    });
    await w.waitFor(2);
    await new Promise(resolve => setTimeout(resolve, 120));
    expect(plain.events.map(e => e.type)).toEqual(['ADDED']);
    w.close();
    plain.close();
  });

  it('ends initial events with an annotated bookmark for sendInitialEvents', async () => {
    const w = await watch(
      '/api/v1/namespaces/team-b/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan',
    );
    const [added, bookmark] = await w.waitFor(2);
    expect(added.object.metadata.name).toBe('search-0');
    expect(bookmark).toMatchObject({
      type: 'BOOKMARK',
      object: {
        metadata: {
          annotations: { 'k8s.io/initial-events-end': 'true' },
        },
      },
    });
    w.close();
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await watch(
      `/api/v1/pods?watch=true&timeoutSeconds=1&resourceVersion=${store.resourceVersion}`,
    );
    const started = Date.now();
    await w.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.openWatches).toBe(0);
  });

  it('streams one-row Tables for kubectl', async () => {
    const w = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${store.resourceVersion}`,
      {
        Accept:
          'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      },
    );
    store.apply(pod('team-b', 'p1'));
    const [event] = await w.waitFor(1);
    expect(event.type).toBe('ADDED');
    expect(event.object).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: store.resourceVersion },
      rows: [
        {
          cells: [
            'p1',
            '0/1',
            'Pending',
            0,
            expect.any(String),
            '<none>',
            'worker-apps',
          ],
          object: {
            kind: 'PartialObjectMetadata',
            metadata: { name: 'p1', namespace: 'team-b' },
          },
        },
      ],
    });
    expect(event.object.columnDefinitions[0].name).toBe('Name');
    w.close();
  });

  it('rejects bad watch parameters with 400 before streaming', async () => {
    for (const query of [
      'resourceVersion=abc',
      'timeoutSeconds=-1',
      'labelSelector=app%20in',
      'fieldSelector=spec.unknown%3Dx',
    ]) {
      const w = await watch(`/api/v1/pods?watch=true&${query}`);
      expect([query, w.status, w.body.reason]).toEqual([
        query,
        400,
        'BadRequest',
      ]);
    }
  });

  it('refuses watch with 405 or 403 when switched off, lists still work', async () => {
    server.watchSettings.enabled = false;
    const refused = await watch('/api/v1/pods?watch=true');
    expect(refused.status).toBe(405);
    expect(refused.body).toMatchObject({
      kind: 'Status',
      reason: 'MethodNotAllowed',
      code: 405,
    });
    server.watchSettings.refuseWith = 403;
    const forbidden = await watch('/apis/apps/v1/deployments?watch=true');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({
      reason: 'Forbidden',
      details: { group: 'apps', kind: 'deployments' },
    });
    expect((await get('/api/v1/pods')).status).toBe(200);
    server.watchSettings.enabled = true;
    const again = await watch('/api/v1/pods?watch=true');
    expect(again.status).toBe(200);
    again.close();
  });

  it('ends open streams cleanly on closeWatches and on stop', async () => {
    const first = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${store.resourceVersion}`,
    );
    const second = await watch(
      `/api/v1/nodes?watch=true&resourceVersion=${store.resourceVersion}`,
    );
    expect(server.openWatches).toBe(2);
    expect(await server.closeWatches()).toBe(2);
    await Promise.all([first.ended, second.ended]);
    const third = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${store.resourceVersion}`,
    );
    await server.stop();
    await third.ended;
    expect(server.openWatches).toBe(0);
  });

  it('counts requests and bytes per group, resource and verb', async () => {
    server.requestCounter.reset();
    const list = await get('/api/v1/pods');
    await get('/api/v1/namespaces/team-b/pods/search-0');
    await get('/apis/apps/v1/deployments');
    const w = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${store.resourceVersion}`,
    );
    store.apply(pod('team-b', 'p1'));
    await w.waitFor(1);
    const counts = server.requestCounter.snapshot();
    expect(counts.requests).toEqual([
      {
        group: '',
        resource: 'pods',
        verb: 'get',
        requests: 1,
        bytes: expect.any(Number),
      },
      {
        group: '',
        resource: 'pods',
        verb: 'list',
        requests: 1,
        bytes: Buffer.byteLength(list.text),
      },
      {
        group: '',
        resource: 'pods',
        verb: 'watch',
        requests: 1,
        bytes: expect.any(Number),
        openWatches: 1,
      },
      {
        group: 'apps',
        resource: 'deployments',
        verb: 'list',
        requests: 1,
        bytes: expect.any(Number),
      },
    ]);
    const watchCount = counts.requests.find(c => c.verb === 'watch')!;
    expect(watchCount.bytes).toBeGreaterThan(100);
    w.close();
    server.requestCounter.reset();
    expect(server.requestCounter.snapshot().total).toEqual({
      requests: 0,
      bytes: 0,
    });
  });
});

describe('KubeApiServer list pagination', () => {
  const store = new ClusterStore({ historyLimit: 50 });
  const server = new KubeApiServer({ store, token: TOKEN, port: 0 });
  const get = async (path: string) =>
    request(`${server.httpUrl}${path}`, { headers: AUTH });

  beforeAll(async () => {
    for (let i = 0; i < 23; i++) {
      store.apply(pod(`ns-${i % 4}`, `p-${String(i).padStart(2, '0')}`));
    }
    await server.start();
  });
  afterAll(() => server.stop());

  async function walk(path: string, limit: number) {
    const names: string[] = [];
    const versions = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const res = await get(
        `${path}${separator}limit=${limit}${
          token ? `&continue=${encodeURIComponent(token)}` : ''
        }`,
      );
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(limit);
      names.push(
        ...res.json.items.map(
          (o: any) => `${o.metadata.namespace}/${o.metadata.name}`,
        ),
      );
      versions.add(res.json.metadata.resourceVersion);
      token = res.json.metadata.continue;
      pages += 1;
    } while (token);
    return { names, versions, pages };
  }

  it('walks every object exactly once, every page at the first page resourceVersion', async () => {
    const whole = (await get('/api/v1/pods')).json;
    const expected = whole.items.map(
      (o: any) => `${o.metadata.namespace}/${o.metadata.name}`,
    );
    expect(whole.metadata.continue).toBeUndefined();
    for (const limit of [1, 2, 5, 6, 23, 500]) {
      const { names, versions, pages } = await walk('/api/v1/pods', limit);
      expect(names).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(23 / limit)));
      expect([...versions]).toEqual([whole.metadata.resourceVersion]);
    }
    const { names } = await walk('/api/v1/namespaces/ns-1/pods', 2);
    expect(names).toEqual(
      expected.filter((n: string) => n.startsWith('ns-1/')),
    );
  });

  it('pages tables (kubectl get sends limit=500)', async () => {
    const res = await request(`${server.httpUrl}/api/v1/pods?limit=10`, {
      headers: {
        ...AUTH,
        Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      },
    });
    expect(res.json.kind).toBe('Table');
    expect(res.json.rows).toHaveLength(10);
    expect(res.json.metadata.continue).toEqual(expect.any(String));
  });

  it('answers 410 Expired for a continue token older than the history and 400 for garbage', async () => {
    const first = (await get('/api/v1/pods?limit=5')).json;
    for (let i = 0; i < 60; i++) store.apply(pod('ns-9', `churn-${i % 3}`));
    const expired = await get(
      `/api/v1/pods?limit=5&continue=${encodeURIComponent(
        first.metadata.continue,
      )}`,
    );
    expect(expired.status).toBe(410);
    expect(expired.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    const garbage = await get('/api/v1/pods?limit=5&continue=not-a-token');
    expect(garbage.status).toBe(400);
    expect(garbage.json.reason).toBe('BadRequest');
    expect((await get('/api/v1/pods?limit=-1')).status).toBe(400);
  });
});
