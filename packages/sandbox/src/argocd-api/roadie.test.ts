import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findRepoRoot } from '../config';
import { populateTestCluster } from '../kube-api/__testUtils__/testCluster';
import { ClusterStore } from '../store';
import { ArgoCdApiServer } from './ArgoCdApiServer';

const run = promisify(execFile);

// The Roadie client and codecs are ESM/CommonJS mixes that jest cannot load, so they run in a
// child node process (testing/roadieProbe.mjs) against this in-process server.
describe('Roadie ArgoCD client against the sandbox', () => {
  const store = new ClusterStore();
  const server = new ArgoCdApiServer({
    store,
    revisions: {
      async revisionMetadata(sha) {
        return sha === 'abc123'
          ? {
              author: 'Dev <dev@example.com>',
              date: '2026-01-01T00:00:00Z',
              message: 'Add payments',
            }
          : undefined;
      },
    },
    username: 'admin',
    password: 'pw',
    port: 0,
  });

  beforeAll(async () => {
    populateTestCluster(store);
    store.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'pending', namespace: 'argocd' },
      spec: {},
    });
    await server.start();
  });
  afterAll(() => server.stop());

  it('reports, rather than skips, Roadie packages it cannot load', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(__dirname, '__testUtils__', 'roadieProbe.mjs')],
      {
        env: { ...process.env, PROBE_REPO_ROOT: tmpdir() },
        timeout: 30_000,
      },
    );
    expect(JSON.parse(stdout).loadError).toMatch(
      /^Roadie ArgoCD packages not loadable from .*: Cannot find module '@roadiehq\/backstage-plugin-argo-cd-node'/,
    );
  });

  it('logs in, finds, lists and reads applications that pass the plugin validation', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(__dirname, '__testUtils__', 'roadieProbe.mjs')],
      {
        env: {
          ...process.env,
          PROBE_REPO_ROOT: findRepoRoot(__dirname),
          PROBE_ARGOCD_URL: server.url,
          PROBE_USERNAME: 'admin',
          PROBE_PASSWORD: 'pw',
        },
        timeout: 30_000,
      },
    );
    const result = JSON.parse(stdout);
    // a Roadie package that no longer loads is the breakage this test exists to catch
    expect(result.loadError).toBeUndefined();
    expect(result).toEqual({
      tokenIssued: true,
      found: [{ name: 'sandbox', url: server.url, appName: ['payments'] }],
      listNames: ['payments'],
      listDecodes: true,
      oneDecodes: true,
      oneStatus: ['Unknown', 'Unknown', 'argocd'],
      revision: {
        author: 'Dev <dev@example.com>',
        date: '2026-01-01T00:00:00Z',
        message: 'Add payments',
        tags: [],
      },
      revisionDecodes: true,
      missingRevision: 'Request failed with 404 Error',
    });
  });
});
