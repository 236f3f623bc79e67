import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubeApiServer } from '@internal/sandbox';
import { ClusterSnapshots, isOutdated } from './ClusterSnapshots';
import { KubernetesHttpClient } from './KubernetesHttpClient';
import { startSandbox, TOKEN, unusedPort } from './__testUtils__/sandbox';

/** Records what would be logged; the logger is the only stand-in in these tests. */
function recordingLogger() {
  const lines: string[] = [];
  const logger = {
    error: (message: string) => lines.push(`error ${message}`),
    warn: (message: string) => lines.push(`warn ${message}`),
    info: (message: string) => lines.push(`info ${message}`),
    debug: () => {},
    child: () => logger,
  } as unknown as LoggerService;
  return { logger, lines };
}

const loadPodNames = async (client: KubernetesHttpClient) =>
  (
    await client.list<{ metadata: { name: string } }>({
      version: 'v1',
      plural: 'pods',
    })
  ).items
    .map(p => p.metadata.name)
    .sort();

describe('ClusterSnapshots', () => {
  let server: KubeApiServer;

  beforeEach(async () => {
    ({ server } = await startSandbox());
  });
  afterEach(() => server.stop());

  it('loads every cluster once per refresh and shares concurrent refreshes', async () => {
    const { logger } = recordingLogger();
    const clients: KubernetesHttpClient[] = [];
    const snapshots = new ClusterSnapshots({
      clusters: [
        { name: 'sandbox', url: server.httpUrl, serviceAccountToken: TOKEN },
      ],
      load: loadPodNames,
      refreshIntervalMs: 60_000,
      logger,
      clientFactory: cluster => {
        const client = new KubernetesHttpClient(cluster);
        clients.push(client);
        return client;
      },
    });
    expect(snapshots.states()).toEqual([
      { cluster: 'sandbox', stale: false, outdated: false },
    ]);
    await Promise.all([snapshots.refreshNow(), snapshots.refreshNow()]);
    const [state] = snapshots.states();
    expect(state.data).toEqual([
      'argocd-repo-server-1',
      'argocd-server-1',
      'prometheus-0',
    ]);
    expect(state.stale).toBe(false);
    expect(state.lastSuccess).toBeInstanceOf(Date);
    expect(clients[0].requestCount).toBe(1);
  });

  it('keeps the last good data, marked stale, while a cluster is unreachable and logs once', async () => {
    const { logger, lines } = recordingLogger();
    const snapshots = new ClusterSnapshots({
      clusters: [
        { name: 'sandbox', url: server.httpUrl, serviceAccountToken: TOKEN },
      ],
      load: loadPodNames,
      refreshIntervalMs: 60_000,
      logger,
    });
    await snapshots.refreshNow();
    const firstSuccess = snapshots.states()[0].lastSuccess;
    await server.stop();
    await snapshots.refreshNow();
    await snapshots.refreshNow();
    const [state] = snapshots.states();
    expect(state.stale).toBe(true);
    expect(state.data).toHaveLength(3);
    expect(state.lastSuccess).toBe(firstSuccess);
    expect(state.error?.message).toContain('cluster sandbox is unreachable');
    expect(lines.filter(l => l.startsWith('error'))).toHaveLength(1);
  });

  it('reports a cluster that was never reachable with an error and no data', async () => {
    const { logger } = recordingLogger();
    const port = await unusedPort();
    const snapshots = new ClusterSnapshots({
      clusters: [
        { name: 'down', url: `http://127.0.0.1:${port}` },
        { name: 'sandbox', url: server.httpUrl, serviceAccountToken: TOKEN },
      ],
      load: loadPodNames,
      refreshIntervalMs: 60_000,
      logger,
    });
    await snapshots.refreshNow();
    const [down, up] = snapshots.states();
    expect(down).toMatchObject({ cluster: 'down', stale: true });
    expect(down.data).toBeUndefined();
    expect(down.error?.message).toContain('ECONNREFUSED');
    expect(up).toMatchObject({ cluster: 'sandbox', stale: false });
  });

  it('turns outdated after two refresh intervals without a good answer, even while a refresh hangs', async () => {
    const { logger } = recordingLogger();
    let answer: Promise<string[]> = Promise.resolve(['pod-a']);
    const snapshots = new ClusterSnapshots({
      clusters: [
        { name: 'sandbox', url: server.httpUrl, serviceAccountToken: TOKEN },
      ],
      load: () => answer,
      refreshIntervalMs: 10_000,
      logger,
    });
    await snapshots.refreshNow();
    const loadedAt = snapshots.states()[0].lastSuccess!;
    const at = (ms: number) => new Date(loadedAt.getTime() + ms);
    // the cluster stops answering: the next refresh neither succeeds nor fails
    answer = new Promise(() => {});
    void snapshots.refreshNow();
    expect(snapshots.states(at(20_000))[0]).toMatchObject({
      stale: false,
      outdated: false,
      ageSeconds: 20,
      data: ['pod-a'],
    });
    const [late] = snapshots.states(at(20_001));
    expect(late).toMatchObject({
      stale: true,
      outdated: true,
      data: ['pod-a'],
    });
    expect(late.error?.message).toBe(
      'no answer from cluster sandbox for 20 s (refresh interval 10 s)',
    );
    expect(isOutdated(undefined, at(1e9), 10_000)).toBe(false);
  });

  it('refreshes on start and stops refreshing on stop', async () => {
    const { logger } = recordingLogger();
    let loads = 0;
    const snapshots = new ClusterSnapshots({
      clusters: [
        { name: 'sandbox', url: server.httpUrl, serviceAccountToken: TOKEN },
      ],
      load: async client => {
        loads += 1;
        return loadPodNames(client);
      },
      refreshIntervalMs: 20,
      logger,
    });
    snapshots.start();
    await new Promise(resolve => setTimeout(resolve, 100));
    snapshots.stop();
    const loadsAtStop = loads;
    expect(loadsAtStop).toBeGreaterThanOrEqual(2);
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(loads).toBeLessThanOrEqual(loadsAtStop + 1);
    expect(snapshots.states()[0].data).toHaveLength(3);
  });
});
