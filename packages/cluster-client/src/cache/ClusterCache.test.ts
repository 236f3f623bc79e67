import { KubernetesHttpClient } from '../KubernetesHttpClient';
import type { ClusterDetails } from '../types';
import {
  WatchTestServer,
  type TestResource,
} from '../__testUtils__/WatchTestServer';
import {
  eventLog,
  pod,
  recordingLogger,
  waitFor,
} from '../__testUtils__/cacheTestUtils';
import { unusedPort } from '../__testUtils__/sandbox';
import { ClusterCache, type ClusterCacheOptions } from './ClusterCache';

/*
 * The cache's protocol behaviour against a small watch-speaking API server of our own
 * (WatchTestServer): the layer under test's only stand-in. The same behaviour against the real
 * sandbox is in ClusterCache.sandbox.test.ts.
 */

const PODS: TestResource = {
  group: '',
  version: 'v1',
  plural: 'pods',
  kind: 'Pod',
};
const REPORTS: TestResource = {
  group: 'openreports.io',
  version: 'v1alpha1',
  plural: 'reports',
  kind: 'Report',
};
/** Another kind on the same server, to move the resourceVersion without a pod event. */
const DEPLOYMENTS: TestResource = {
  group: 'apps',
  version: 'v1',
  plural: 'deployments',
  kind: 'Deployment',
};
const names = (objects: ReadonlyArray<{ metadata: { name: string } }> = []) =>
  objects.map(o => o.metadata.name).sort();

describe('ClusterCache against a watch-speaking API server', () => {
  let server: WatchTestServer;
  let cache: ClusterCache | undefined;

  beforeEach(async () => {
    server = new WatchTestServer([PODS, DEPLOYMENTS]);
    await server.start();
    for (let i = 0; i < 5; i++) server.apply(PODS, pod(`pod-${i}`));
  });
  afterEach(async () => {
    await cache?.stop();
    cache = undefined;
    await server.stop();
  });

  const start = (options: Partial<ClusterCacheOptions> = {}) => {
    const { logger, lines } = recordingLogger();
    cache = new ClusterCache({
      clusters: [{ name: 'test', url: server.url }],
      logger,
      pageSize: 2,
      pollIntervalSeconds: 0.2,
      initialBackoffSeconds: 0.02,
      maxBackoffSeconds: 0.1,
      ...options,
    });
    return { cache, lines };
  };
  const watching = (c: ClusterCache) => () =>
    c.freshness()[0].mode === 'watch' && server.openWatches === 1;

  it('lists in pages, then watches from the list resourceVersion and hands events to subscribers', async () => {
    const { cache: c } = start();
    const pods = c.register({ ...PODS });
    expect(pods.list('test')).toBeUndefined();
    expect(c.freshness()[0]).toMatchObject({ mode: 'starting', synced: false });
    const log = eventLog();
    pods.subscribe(log.listener);
    await waitFor('the watch', watching(c));

    expect(names(pods.list('test'))).toEqual([
      'pod-0',
      'pod-1',
      'pod-2',
      'pod-3',
      'pod-4',
    ]);
    // items of a list carry no kind; the cache fills it in from the registration
    expect(pods.list('test')![0]).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
    });
    const lists = server.requestsOf('/api/v1/pods', 'limit=2');
    expect(lists).toHaveLength(3);
    expect(lists[1]).toContain('continue=');
    const [watch] = server.requestsOf('/api/v1/pods', 'watch=true');
    expect(watch).toContain(`resourceVersion=${server.resourceVersion}`);
    expect(watch).toContain('allowWatchBookmarks=true');
    expect(watch).toMatch(/timeoutSeconds=\d+/);

    const versionBefore = pods.version();
    server.apply(PODS, { ...pod('pod-1'), spec: { nodeName: 'n1' } });
    server.apply(PODS, {
      ...pod('pod-5'),
      metadata: {
        name: 'pod-5',
        namespace: 'team-a',
        managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
      },
    });
    server.remove(PODS, 'team-a', 'pod-0');
    await waitFor('three events', () => log.lines.length === 4);
    expect(log.lines).toEqual([
      'SYNCED 5',
      'MODIFIED pod-1',
      'ADDED pod-5',
      'DELETED pod-0',
    ]);
    expect(names(pods.list('test'))).toEqual([
      'pod-1',
      'pod-2',
      'pod-3',
      'pod-4',
      'pod-5',
    ]);
    // server-side apply bookkeeping is not kept
    const added = pods.list('test')!.find(p => p.metadata.name === 'pod-5')!;
    expect(added.metadata).not.toHaveProperty('managedFields');
    expect(pods.version()).toBeGreaterThanOrEqual(versionBefore + 3);
    expect(c.version()).toBeGreaterThanOrEqual(pods.version());
    expect(c.freshness()).toEqual([
      expect.objectContaining({
        cluster: 'test',
        mode: 'watch',
        synced: true,
        stale: false,
        outdated: false,
        ageSeconds: 0,
      }),
    ]);
    // no list since the first one: every change came over the watch
    expect(server.requestsOf('/api/v1/pods', 'limit=')).toHaveLength(3);
  });

  it('runs one list-then-watch for two registrations of a kind, and a late subscriber starts with SYNCED', async () => {
    const { cache: c } = start({ pageSize: 500 });
    const first = c.register({ ...PODS });
    const second = c.register({
      group: '',
      version: 'v1',
      plural: 'pods',
      kind: 'Pod',
    });
    expect(second).toBe(first);
    await waitFor('the watch', watching(c));
    const late = eventLog();
    second.subscribe(late.listener);
    expect(late.lines).toEqual(['SYNCED 5']);
    expect(server.requestsOf('/api/v1/pods', 'limit=')).toHaveLength(1);
    expect(server.requestsOf('/api/v1/pods', 'watch=true')).toHaveLength(1);
    expect(c.usage()).toEqual([
      {
        cluster: 'test',
        kind: 'v1 pods',
        requests: 2,
        bytes: expect.any(Number),
      },
    ]);
  });

  it('resumes a dropped watch from the last resourceVersion it saw, without listing again', async () => {
    const { cache: c } = start();
    const pods = c.register({ ...PODS });
    const log = eventLog();
    pods.subscribe(log.listener);
    await waitFor('the watch', watching(c));
    server.apply(PODS, pod('pod-5'));
    await waitFor('ADDED pod-5', () => log.lines.includes('ADDED pod-5'));
    const seen = server.resourceVersion;

    server.dropWatches();
    server.apply(PODS, pod('pod-6')); // while nobody watches
    await waitFor('ADDED pod-6', () => log.lines.includes('ADDED pod-6'));
    await waitFor('the second watch', watching(c));

    const watches = server.requestsOf('/api/v1/pods', 'watch=true');
    expect(watches).toHaveLength(2);
    expect(watches[1]).toContain(`resourceVersion=${seen}`);
    expect(server.requestsOf('/api/v1/pods', 'limit=')).toHaveLength(3);
    expect(log.lines.filter(line => line.startsWith('SYNCED'))).toEqual([
      'SYNCED 5',
    ]);
  });

  it('resumes from the resourceVersion of a bookmark', async () => {
    const { cache: c } = start();
    c.register({ ...PODS });
    await waitFor('the watch', watching(c));
    // changes of another kind move the resourceVersion; a bookmark tells the watch
    server.apply(DEPLOYMENTS, pod('x'));
    server.bookmark();
    const bookmarked = server.resourceVersion;
    await new Promise(resolve => setTimeout(resolve, 50));
    server.dropWatches();
    await waitFor(
      'a watch from the bookmark',
      () => server.requestsOf('/api/v1/pods', 'watch=true').length === 2,
    );
    expect(server.requestsOf('/api/v1/pods', 'watch=true')[1]).toContain(
      `resourceVersion=${bookmarked}`,
    );
  });

  it.each(['status', 'event'] as const)(
    'lists again on 410 Gone (as an HTTP %s) and hands subscribers a SYNCED',
    async goneAs => {
      server.goneAs = goneAs;
      const { cache: c } = start();
      const pods = c.register({ ...PODS });
      const log = eventLog();
      pods.subscribe(log.listener);
      await waitFor('the watch', watching(c));

      server.dropWatches();
      server.apply(PODS, pod('pod-5'));
      server.compact(); // the history the watch would resume from is gone
      await waitFor('a relist', () => log.lines.length === 2);
      expect(log.lines).toEqual(['SYNCED 5', 'SYNCED 6']);
      await waitFor('the watch after the relist', watching(c));
      const watches = server.requestsOf('/api/v1/pods', 'watch=true');
      expect(watches[watches.length - 1]).toContain(
        `resourceVersion=${server.resourceVersion}`,
      );
      expect(server.requestsOf('/api/v1/pods', 'limit=')).toHaveLength(3 + 3);
      expect(c.freshness()[0]).toMatchObject({ stale: false, synced: true });
    },
  );

  it('opens the next watch from the last resourceVersion when the server ends one (timeoutSeconds)', async () => {
    // 0.5 s asks for 1 s (whole seconds, at least one)
    const { cache: c } = start({ watchTimeoutSeconds: 0.5 });
    const pods = c.register({ ...PODS });
    await waitFor(
      'a second watch',
      () => server.requestsOf('/api/v1/pods', 'watch=true').length >= 2,
    );
    expect(server.requestsOf('/api/v1/pods', 'watch=true')[1]).toContain(
      `resourceVersion=${server.resourceVersion}`,
    );
    expect(server.requestsOf('/api/v1/pods', 'watch=true')[0]).toContain(
      'timeoutSeconds=1',
    );
    server.apply(PODS, pod('pod-5'));
    await waitFor('pod-5', () => names(pods.list('test')).includes('pod-5'));
    expect(server.requestsOf('/api/v1/pods', 'limit=')).toHaveLength(3);
  });

  it('reopens a watch that sends nothing for longer than the idle timeout', async () => {
    server.silentWatches = true;
    const { cache: c, lines } = start({ idleTimeoutSeconds: 0.2 });
    c.register({ ...PODS });
    await waitFor(
      'a second watch',
      () => server.requestsOf('/api/v1/pods', 'watch=true').length >= 2,
    );
    expect(
      lines.some(line => /sent nothing for 0 s|sent nothing/.test(line)),
    ).toBe(true);
    expect(server.requestsOf('/api/v1/pods', 'limit=')).toHaveLength(3);
  });

  it.each([405, 403] as const)(
    'polls every interval when the server refuses watch with %s, and says so',
    async status => {
      server.refuseWatch = status;
      const { cache: c, lines } = start();
      const pods = c.register({ ...PODS });
      const log = eventLog();
      pods.subscribe(log.listener);
      await waitFor(
        'two polls',
        () => server.requestsOf('/api/v1/pods', 'limit=').length >= 3 * 3,
      );
      expect(c.freshness()[0]).toMatchObject({
        mode: 'poll',
        synced: true,
        stale: false,
        note: `watch refused (${status}): polling every 0.2 s`,
      });
      expect(server.requestsOf('/api/v1/pods', 'watch=true')).toHaveLength(1);
      expect(lines.filter(line => line.startsWith('warn'))).toHaveLength(1);
      // an unchanged poll hands out nothing; a changed one the full set
      expect(log.lines).toEqual(['SYNCED 5']);
      server.apply(PODS, pod('pod-5'));
      await waitFor('the poll with pod-5', () => log.lines.length === 2);
      expect(log.lines[1]).toBe('SYNCED 6');
    },
  );

  it('reports an optional kind the cluster does not serve as not-served: empty, synced, no error', async () => {
    const { cache: c } = start();
    const reports = c.register({ ...REPORTS, optional: true });
    const log = eventLog();
    reports.subscribe(log.listener);
    await waitFor('discovery', () => reports.list('test') !== undefined);
    expect(reports.list('test')).toEqual([]);
    expect(log.lines).toEqual(['SYNCED 0']);
    expect(reports.freshness('test')).toMatchObject({
      mode: 'not-served',
      synced: true,
      stale: false,
      outdated: false,
      note: 'cluster test does not serve openreports.io/v1alpha1 reports',
    });
    expect(reports.freshness('test').error).toBeUndefined();
    expect(server.requestsOf('/apis/openreports.io/v1alpha1/reports')).toEqual(
      [],
    );
  });

  it('picks up an optional kind that becomes served at its next discovery check', async () => {
    const { cache: c } = start({ discoveryRecheckSeconds: 0.1 });
    const reports = c.register({ ...REPORTS, optional: true });
    await waitFor(
      'not-served',
      () => reports.freshness('test').mode === 'not-served',
    );
    server.setServed(REPORTS, true);
    server.apply(REPORTS, { ...pod('report-1'), kind: 'Report' });
    await waitFor('watch', () => reports.freshness('test').mode === 'watch');
    expect(names(reports.list('test'))).toEqual(['report-1']);
    expect(reports.list('test')![0]).toMatchObject({
      apiVersion: 'openreports.io/v1alpha1',
      kind: 'Report',
    });
  });

  it('reports a required kind the cluster does not serve as an error naming the cluster', async () => {
    const { cache: c } = start();
    const reports = c.register({ ...REPORTS });
    await waitFor(
      'an error',
      () => reports.freshness('test').error !== undefined,
    );
    expect(reports.freshness('test')).toMatchObject({
      synced: false,
      stale: true,
      error: { message: expect.stringContaining('cluster test answered 404') },
    });
    expect(c.freshness()[0].stale).toBe(true);
  });

  it('starts a page list over when its continue token expires', async () => {
    server.expireContinueBefore = Number.MAX_SAFE_INTEGER;
    const { cache: c, lines } = start();
    const pods = c.register({ ...PODS });
    await waitFor('an error', () => pods.freshness('test').error !== undefined);
    // first page, expired continue, first page again, expired again: an error, retried later
    expect(server.requestsOf('/api/v1/pods', 'limit=').slice(0, 4)).toEqual([
      '/api/v1/pods?limit=2',
      expect.stringContaining('continue='),
      '/api/v1/pods?limit=2',
      expect.stringContaining('continue='),
    ]);
    expect(lines.join('\n')).toContain('continue token has expired');
    server.expireContinueBefore = 0;
    await waitFor('the watch', watching(c));
    expect(pods.freshness('test').error).toBeUndefined();
  });

  it('ages the copy from the moment a watch dropped and cannot reconnect, and says Unknown after two intervals', async () => {
    const { cache: c, lines } = start({ pollIntervalSeconds: 0.3 });
    const pods = c.register({ ...PODS });
    await waitFor('the watch', watching(c));
    const versionWhileHealthy = c.version();
    const stoppedAt = Date.now();
    await server.stop();
    await waitFor('an error', () => pods.freshness('test').error !== undefined);
    const failing = pods.freshness('test');
    expect(failing).toMatchObject({
      mode: 'watch',
      stale: true,
      outdated: false,
    });
    expect(failing.lastSuccess!.getTime()).toBeGreaterThanOrEqual(
      stoppedAt - 5,
    );
    expect(failing.error!.message).toContain('cluster test is unreachable');
    expect(lines.filter(line => line.startsWith('error'))).toHaveLength(1);
    // still known: the last good copy is kept
    expect(pods.list('test')).toHaveLength(5);

    await waitFor('outdated', () => c.freshness()[0].outdated, 3_000);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(600);
    // the version moved when the cluster went Unknown, without any request answering
    expect(c.version()).toBeGreaterThan(versionWhileHealthy);
    expect(
      c.freshness(new Date(failing.lastSuccess!.getTime() + 599))[0].outdated,
    ).toBe(false);
    expect(
      c.freshness(new Date(failing.lastSuccess!.getTime() + 601))[0].outdated,
    ).toBe(true);
  });

  it('says Unknown for a cluster that never answered, two intervals after the start', async () => {
    const port = await unusedPort();
    const { logger } = recordingLogger();
    cache = new ClusterCache({
      clusters: [{ name: 'gone', url: `http://127.0.0.1:${port}` }],
      logger,
      pollIntervalSeconds: 0.2,
      initialBackoffSeconds: 0.02,
      maxBackoffSeconds: 0.1,
    });
    const started = new Date();
    cache.register({ ...PODS });
    expect(cache.freshness(new Date(started.getTime() + 399))[0].outdated).toBe(
      false,
    );
    await waitFor('outdated', () => cache!.freshness()[0].outdated);
    expect(cache.freshness()[0]).toMatchObject({
      cluster: 'gone',
      synced: false,
      stale: true,
      error: { message: expect.stringContaining('ECONNREFUSED') },
    });
    expect(cache.freshness()[0].lastSuccess).toBeUndefined();
  });

  it('keeps a failing subscriber from stopping the others', async () => {
    const { cache: c, lines } = start();
    const pods = c.register({ ...PODS });
    pods.subscribe(() => {
      throw new Error('subscriber bug');
    });
    const log = eventLog();
    pods.subscribe(log.listener);
    await waitFor('the watch', watching(c));
    server.apply(PODS, pod('pod-5'));
    await waitFor('ADDED', () => log.lines.includes('ADDED pod-5'));
    expect(lines.filter(line => line.includes('subscriber bug'))).toHaveLength(
      1,
    );
  });

  it('closes every watch on stop', async () => {
    const { cache: c } = start();
    c.register({ ...PODS });
    await waitFor('the watch', watching(c));
    await c.stop();
    await waitFor('no open watch', () => server.openWatches === 0);
    expect(() => c.register({ ...REPORTS })).toThrow(/stopped/);
  });
});

describe('KubernetesHttpClient.watch over TLS', () => {
  it('streams events from a server with its own CA (caData) and counts the bytes', async () => {
    const server = new WatchTestServer([PODS], { tls: true });
    await server.start();
    try {
      const cluster: ClusterDetails = {
        name: 'tls',
        url: server.url,
        caData: Buffer.from(server.caCertificate!).toString('base64'),
      };
      const client = new KubernetesHttpClient(cluster);
      const abort = new AbortController();
      const seen: string[] = [];
      const watching = client.watch<{ metadata: { name: string } }>(
        { version: 'v1', plural: 'pods' },
        server.resourceVersion,
        event => {
          seen.push(`${event.type} ${event.object.metadata.name}`);
          if (seen.length === 2) abort.abort(new Error('done'));
        },
        abort.signal,
      );
      await waitFor('the watch', () => server.openWatches === 1);
      server.apply(PODS, pod('a'));
      server.apply(PODS, pod('b'));
      await expect(watching).rejects.toThrow('done');
      expect(seen).toEqual(['ADDED a', 'ADDED b']);
      expect(client.bytesRead).toBeGreaterThan(100);
      expect(client.requestCount).toBe(1);
      // and the same server refuses an unknown CA
      await expect(
        new KubernetesHttpClient({ name: 'tls', url: server.url }).watch(
          { version: 'v1', plural: 'pods' },
          '0',
          () => {},
          new AbortController().signal,
        ),
      ).rejects.toThrow(/cluster tls is unreachable/);
    } finally {
      await server.stop();
    }
  });
});
