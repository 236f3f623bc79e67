import type { ClusterStore, KubeApiServer } from '@internal/sandbox';
import {
  eventLog,
  recordingLogger,
  waitFor,
} from '../__testUtils__/cacheTestUtils';
import {
  TOKEN,
  smallCluster,
  startWatchSandbox,
} from '../__testUtils__/sandbox';
import { ClusterCache, type ClusterCacheOptions } from './ClusterCache';

/*
 * The cluster cache against the real sandbox Kubernetes API (list with limit/continue, watch with
 * resourceVersion and bookmarks, 410 Expired, the control API's watch switch and request
 * accounting).
 */

const PODS = { group: '', version: 'v1', plural: 'pods', kind: 'Pod' };
const NODES = { group: '', version: 'v1', plural: 'nodes', kind: 'Node' };

type Counts = {
  requests: Array<{
    group: string;
    resource: string;
    verb: string;
    requests: number;
    openWatches?: number;
  }>;
};

const names = (objects: ReadonlyArray<{ metadata: { name: string } }> = []) =>
  objects.map(o => o.metadata.name).sort();

const pod = (name: string, namespace = 'monitoring') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { nodeName: 'worker-apps' },
});

describe('ClusterCache against the sandbox', () => {
  let store: ClusterStore;
  let server: KubeApiServer;
  let control: Awaited<ReturnType<typeof startWatchSandbox>>['control'];
  let cache: ClusterCache | undefined;

  const boot = async (port = 0) => {
    ({ server, control } = await startWatchSandbox(store, port));
  };

  beforeEach(async () => {
    store = smallCluster();
    await boot();
  });
  afterEach(async () => {
    await cache?.stop();
    cache = undefined;
    await server.stop();
  });

  const start = (options: Partial<ClusterCacheOptions> = {}) => {
    const { logger, lines } = recordingLogger();
    cache = new ClusterCache({
      clusters: [
        { name: 'sandbox', url: server.httpUrl, serviceAccountToken: TOKEN },
      ],
      logger,
      pageSize: 2,
      pollIntervalSeconds: 0.2,
      initialBackoffSeconds: 0.02,
      maxBackoffSeconds: 0.1,
      ...options,
    });
    return { cache, lines };
  };
  const counts = async (resource: string, verb: string) => {
    const snapshot: Counts = await control('GET', '/sandbox/api-requests');
    return (
      snapshot.requests.find(
        r => r.resource === resource && r.verb === verb,
      ) ?? {
        requests: 0,
        openWatches: 0,
      }
    );
  };
  const watchingPods = async () => (await counts('pods', 'watch')).openWatches;
  const waitWatching = async (c: ClusterCache, resource = 'pods') => {
    await waitFor('watch mode', () => c.freshness()[0].mode === 'watch');
    for (let i = 0; i < 200; i++) {
      if ((await counts(resource, 'watch')).openWatches === 1) return;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    throw new Error('no open watch');
  };

  it('lists in pages, runs one watch for two registrations, and hands changes to subscribers', async () => {
    const { cache: c } = start();
    const first = c.register({ ...PODS });
    const second = c.register({ ...PODS });
    expect(second).toBe(first);
    const log = eventLog();
    first.subscribe(log.listener);
    await waitWatching(c);
    expect(names(first.list('sandbox'))).toEqual([
      'argocd-repo-server-1',
      'argocd-server-1',
      'prometheus-0',
    ]);
    // three pods in pages of two
    expect((await counts('pods', 'list')).requests).toBe(2);
    expect(await counts('pods', 'watch')).toMatchObject({
      requests: 1,
      openWatches: 1,
    });

    store.apply(pod('grafana-0'));
    store.apply({
      ...pod('prometheus-0'),
      metadata: {
        name: 'prometheus-0',
        namespace: 'monitoring',
        labels: { restarted: 'yes' },
      },
    });
    store.delete({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'argocd',
      name: 'argocd-server-1',
    });
    await waitFor('three events', () => log.lines.length === 4);
    expect(log.lines).toEqual([
      'SYNCED 3',
      'ADDED grafana-0',
      'MODIFIED prometheus-0',
      'DELETED argocd-server-1',
    ]);
    expect(names(second.list('sandbox'))).toEqual([
      'argocd-repo-server-1',
      'grafana-0',
      'prometheus-0',
    ]);
    expect((await counts('pods', 'list')).requests).toBe(2);
    expect(c.freshness()[0]).toMatchObject({
      mode: 'watch',
      synced: true,
      stale: false,
      outdated: false,
    });
  });

  it('sees a change made through the sandbox control API (a node failure) as an event', async () => {
    const { cache: c } = start();
    const nodes = c.register({ ...NODES });
    const log = eventLog();
    nodes.subscribe(log.listener);
    await waitWatching(c, 'nodes');
    await control('POST', '/sandbox/nodes/worker-apps/fail');
    // the simulator taints the node unreachable
    const taints = () =>
      (
        nodes.list('sandbox')![0] as {
          spec?: { taints?: Array<{ key: string }> };
        }
      ).spec?.taints?.map(taint => taint.key) ?? [];
    await waitFor('the unreachable taint', () =>
      taints().includes('node.kubernetes.io/unreachable'),
    );
    expect(
      log.lines.filter(line => line === 'MODIFIED worker-apps').length,
    ).toBeGreaterThanOrEqual(1);
    expect(log.lines[0]).toBe('SYNCED 1');
  });

  it('resumes after a dropped connection (an API server restart) from the last resourceVersion, without a list', async () => {
    const { cache: c } = start();
    const pods = c.register({ ...PODS });
    const log = eventLog();
    pods.subscribe(log.listener);
    await waitWatching(c);
    const port = Number(new URL(server.httpUrl).port);
    await server.stop();
    store.apply(pod('while-down'));
    await boot(port);
    await waitFor('ADDED while-down', () =>
      log.lines.includes('ADDED while-down'),
    );
    // the restarted server saw a watch from the old resourceVersion, and no list
    expect((await counts('pods', 'list')).requests).toBe(0);
    expect((await counts('pods', 'watch')).requests).toBeGreaterThanOrEqual(1);
    expect(log.lines.filter(l => l.startsWith('SYNCED'))).toEqual(['SYNCED 3']);
  });

  it('lists again after 410 Gone (the history moved past its resourceVersion) and hands out SYNCED', async () => {
    store = smallCluster({ historyLimit: 3 });
    await server.stop();
    await boot();
    const { cache: c } = start();
    const pods = c.register({ ...PODS });
    const log = eventLog();
    pods.subscribe(log.listener);
    await waitWatching(c);
    const port = Number(new URL(server.httpUrl).port);
    await server.stop();
    for (let i = 0; i < 5; i++) store.apply(pod(`burst-${i}`));
    await boot(port);
    await waitFor('a relist', () => log.lines.includes('SYNCED 8'));
    expect(log.lines).toEqual(['SYNCED 3', 'SYNCED 8']);
    expect((await counts('pods', 'list')).requests).toBe(4); // 8 pods in pages of 2
    await waitWatching(c);
    store.apply(pod('after'));
    await waitFor('ADDED after', () => log.lines.includes('ADDED after'));
  });

  it('resumes after the server ends its watches (POST /sandbox/watch/close) and keeps up', async () => {
    const { cache: c } = start();
    const pods = c.register({ ...PODS });
    await waitWatching(c);
    await control('POST', '/sandbox/watch/close');
    store.apply(pod('after-close'));
    await waitFor('after-close', () =>
      names(pods.list('sandbox')).includes('after-close'),
    );
    expect((await counts('pods', 'watch')).requests).toBe(2);
    expect((await counts('pods', 'list')).requests).toBe(2);
  });

  it.each([405, 403])(
    'polls when the sandbox refuses watch with %s, and says so in the freshness',
    async refuseWith => {
      await control('POST', '/sandbox/watch', { enabled: false, refuseWith });
      const { cache: c } = start();
      const pods = c.register({ ...PODS });
      const log = eventLog();
      pods.subscribe(log.listener);
      await waitFor('poll mode', () => c.freshness()[0].mode === 'poll');
      expect(c.freshness()[0]).toMatchObject({
        synced: true,
        stale: false,
        note: `watch refused (${refuseWith}): polling every 0.2 s`,
      });
      store.apply(pod('polled'));
      await waitFor('the poll', () => log.lines.includes('SYNCED 4'));
      expect(log.lines).toEqual(['SYNCED 3', 'SYNCED 4']);
      expect((await counts('pods', 'watch')).requests).toBe(1);
      expect((await counts('pods', 'list')).requests).toBeGreaterThanOrEqual(4);
    },
  );

  it('falls back to polling when watch is switched off while watching', async () => {
    const { cache: c, lines } = start();
    c.register({ ...PODS });
    await waitWatching(c);
    await control('POST', '/sandbox/watch', {
      enabled: false,
      refuseWith: 403,
    });
    await control('POST', '/sandbox/watch/close');
    await waitFor('poll mode', () => c.freshness()[0].mode === 'poll');
    expect(await watchingPods()).toBe(0);
    expect(lines.join('\n')).toContain(
      'cluster sandbox refuses to watch v1 pods (403): polling every 0.2 s instead',
    );
  });
});
