import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClusterStore } from '../store';
import { KubeApiServer } from './KubeApiServer';
import { writeKubeconfig } from './kubeconfig';
import { populateTestCluster } from './__testUtils__/testCluster';

const run = promisify(execFile);
const HISTORY_LIMIT = 50;

// @kubernetes/client-node 1.x is ESM-only; jest here runs CommonJS, so the client runs in a child
// node process (testing/clientNodeProbe.mjs) against this in-process server, over https.
describe('@kubernetes/client-node against the sandbox', () => {
  const store = new ClusterStore({ historyLimit: HISTORY_LIMIT });
  const server = new KubeApiServer({
    store,
    token: 'client-node-token',
    port: 0,
  });
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-client-node-'));

  beforeAll(async () => {
    populateTestCluster(store);
    await server.start();
    // https with the server's CA: client-node 1.x refuses http:// unless TLS verification is
    // switched off, so the kubeconfig the sandbox writes always uses the https side.
    writeKubeconfig(
      join(dir, 'kubeconfig'),
      server.url,
      'client-node-token',
      server.caCertificate,
    );
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists pods and policy reports through CoreV1Api and CustomObjectsApi', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(__dirname, '__testUtils__', 'clientNodeProbe.mjs')],
      {
        env: { ...process.env, PROBE_KUBECONFIG: join(dir, 'kubeconfig') },
        timeout: 30_000,
      },
    );
    const result = JSON.parse(stdout);
    expect(result).toEqual({
      pods: [
        'team-a/payments-api-7d9f8-abcde/Running',
        'team-a/payments-api-7d9f8-fghij/Running',
      ],
      podsResourceVersion: store.resourceVersion,
      teamB: ['search-0'],
      nodeReady: 'True',
      reports: {
        kind: 'PolicyReportList',
        items: [['team-a', 'payments-api-7d9f8-abcde', 1]],
      },
      missing: {
        code: 404,
        body: expect.objectContaining({ kind: 'Status', reason: 'NotFound' }),
      },
    });
  });

  it('makeInformer sees add, update and delete, and recovers after a server-side close and 410 Gone', async () => {
    const child = spawn(
      process.execPath,
      [join(__dirname, '__testUtils__', 'informerProbe.mjs')],
      {
        env: {
          ...process.env,
          PROBE_KUBECONFIG: join(dir, 'kubeconfig'),
          PROBE_NAMESPACE: 'team-b',
        },
      },
    );
    const seen: Array<{ event: string; name?: string; phase?: string }> = [];
    let stderr = '';
    let buffered = '';
    const waiters: Array<() => void> = [];
    child.stdout.on('data', chunk => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      seen.push(...lines.filter(Boolean).map(line => JSON.parse(line)));
      for (const waiter of waiters.splice(0)) waiter();
    });
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    const exited = new Promise(resolve => child.once('exit', resolve));
    const summary = () => seen.map(e => `${e.event} ${e.name ?? ''}`.trim());
    /** Waits until the informer printed `line` `times` times in all. */
    const waitFor = (line: string, times = 1) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `waited for ${times}× "${line}", saw ${JSON.stringify(
                  summary(),
                )}; stderr ${stderr}`,
              ),
            ),
          20_000,
        );
        const check = () => {
          if (summary().filter(s => s === line).length >= times) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    const watching = async () => {
      const deadline = Date.now() + 10_000;
      while (server.openWatches === 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(server.openWatches).toBe(1);
    };
    const pod = (name: string, phase: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'team-b' },
      spec: { nodeName: 'worker-apps', containers: [{ name: 'main' }] },
      status: { phase },
    });
    const ref = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'team-b',
      name,
    });
    try {
      await waitFor('add search-0');
      await watching();
      store.apply(pod('informed-1', 'Pending'));
      await waitFor('add informed-1');
      store.updateStatus(ref('informed-1'), { phase: 'Running' });
      await waitFor('update informed-1');
      store.delete(ref('informed-1'));
      await waitFor('delete informed-1');
      expect(seen.find(e => e.event === 'update')?.phase).toBe('Running');

      // The server ends the stream (restart, timeout): the informer watches again from its
      // last resourceVersion, so a change made meanwhile arrives without a relist.
      const connectsBefore = summary().filter(s => s === 'connect').length;
      await server.closeWatches();
      store.apply(pod('informed-2', 'Pending'));
      await waitFor('add informed-2');
      await waitFor('connect', connectsBefore + 1);
      await watching();

      // Its resourceVersion falls out of the history (other objects churn while it only
      // watches team-b pods), then the stream ends: the resume gets 410 and the informer
      // relists.
      for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
        store.updateStatus(
          { apiVersion: 'v1', kind: 'Node', name: 'worker-apps' },
          { round: i },
        );
      }
      const podLists = () =>
        server.requestCounter
          .snapshot()
          .requests.find(r => r.resource === 'pods' && r.verb === 'list')!
          .requests;
      const listsBefore = podLists();
      await server.closeWatches();
      const deadline = Date.now() + 10_000;
      while (podLists() === listsBefore && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(podLists()).toBe(listsBefore + 1);
      await watching();
      store.apply(pod('informed-3', 'Pending'));
      await waitFor('add informed-3');
      expect(summary().filter(s => s.startsWith('error'))).toEqual([]);
    } finally {
      child.stdin.end();
      await exited;
    }
  });
});
