import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClusterStore } from '../store';
import { KubeApiServer } from './KubeApiServer';
import { writeKubeconfig } from './kubeconfig';
import { populateTestCluster } from './__testUtils__/testCluster';

const run = promisify(execFile);

// @kubernetes/client-node 1.x is ESM-only; jest here runs CommonJS, so the client runs in a child
// node process (testing/clientNodeProbe.mjs) against this in-process server, over https.
describe('@kubernetes/client-node against the sandbox', () => {
  const store = new ClusterStore();
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
});
