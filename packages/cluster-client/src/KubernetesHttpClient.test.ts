import { KubeApiServer, type ClusterStore } from '@internal/sandbox';
import { ClusterRequestError, ClusterUnreachableError } from './errors';
import { KubernetesHttpClient, isGone } from './KubernetesHttpClient';
import {
  smallCluster,
  startSandbox,
  TOKEN,
  unusedPort,
} from './__testUtils__/sandbox';

type Named = { metadata: { name: string } };
const names = (items: Named[]) => items.map(i => i.metadata.name).sort();

describe('KubernetesHttpClient against the sandbox API', () => {
  let server: KubeApiServer;
  let store: ClusterStore;

  beforeAll(async () => {
    ({ server, store } = await startSandbox());
  });
  afterAll(() => server.stop());

  const client = (
    overrides: Partial<{
      url: string;
      serviceAccountToken: string;
      caData: string;
      skipTLSVerify: boolean;
    }> = {},
  ) =>
    new KubernetesHttpClient({
      name: 'sandbox',
      url: server.httpUrl,
      serviceAccountToken: TOKEN,
      ...overrides,
    });

  it('lists cluster-wide, per namespace and by label selector', async () => {
    const http = client();
    expect(
      names((await http.list<Named>({ version: 'v1', plural: 'pods' })).items),
    ).toEqual(['argocd-repo-server-1', 'argocd-server-1', 'prometheus-0']);
    expect(
      names(
        (
          await http.list<Named>({
            version: 'v1',
            plural: 'pods',
            namespace: 'monitoring',
          })
        ).items,
      ),
    ).toEqual(['prometheus-0']);
    const selected = await http.list<Named>({
      version: 'v1',
      plural: 'pods',
      labelSelector: 'backstage.io/kubernetes-id=argocd',
    });
    expect(names(selected.items)).toEqual([
      'argocd-repo-server-1',
      'argocd-server-1',
    ]);
    expect(selected.resourceVersion).toBe(store.resourceVersion);
    expect(http.requestCount).toBe(3);
  });

  it('lists a named API group', async () => {
    const result = await client().list({
      group: 'apps',
      version: 'v1',
      plural: 'deployments',
    });
    expect(result.items).toEqual([]);
  });

  it('discovers which resources the cluster serves', async () => {
    const http = client();
    await expect(
      http.serves('wgpolicyk8s.io', 'v1alpha2', 'policyreports'),
    ).resolves.toBe(true);
    await expect(
      http.serves('openreports.io', 'v1alpha1', 'reports'),
    ).resolves.toBe(false);
    await expect(http.serves('', 'v1', 'nodes')).resolves.toBe(true);
    await expect(http.serves('apps', 'v1', 'widgets')).resolves.toBe(false);
  });

  it('trusts the cluster CA given as base64 caData over https', async () => {
    const caData = Buffer.from(server.caCertificate).toString('base64');
    const result = await client({ url: server.url, caData }).list({
      version: 'v1',
      plural: 'nodes',
    });
    expect(result.items).toHaveLength(1);
  });

  it('accepts any certificate with skipTLSVerify, and rejects an unknown CA without it', async () => {
    await expect(
      client({ url: server.url, skipTLSVerify: true }).list({
        version: 'v1',
        plural: 'nodes',
      }),
    ).resolves.toMatchObject({ items: [expect.anything()] });
    await expect(
      client({ url: server.url }).list({ version: 'v1', plural: 'nodes' }),
    ).rejects.toThrow(ClusterUnreachableError);
  });

  it('lists in pages with limit and continue, at one resourceVersion', async () => {
    const http = client();
    const first = await http.list<Named>(
      { version: 'v1', plural: 'pods' },
      { limit: 2 },
    );
    expect(first.items).toHaveLength(2);
    expect(first.continue).toBeTruthy();
    const second = await http.list<Named>(
      { version: 'v1', plural: 'pods' },
      { limit: 2, continue: first.continue },
    );
    expect(second.items).toHaveLength(1);
    expect(second.continue).toBeUndefined();
    expect(second.resourceVersion).toBe(first.resourceVersion);
    const all = await http.listAll<Named>(
      { version: 'v1', plural: 'pods' },
      { pageSize: 1 },
    );
    expect(names(all.items)).toEqual([
      'argocd-repo-server-1',
      'argocd-server-1',
      'prometheus-0',
    ]);
    expect(http.requestCount).toBe(2 + 3);
    expect(http.bytesRead).toBeGreaterThan(0);
  });

  it.each([
    ['caData', () => ({ caData: server.caCertificate })],
    ['skipTLSVerify', () => ({ skipTLSVerify: true })],
  ])('watches over https with %s from a resourceVersion', async (_, tls) => {
    const http = client({ url: server.url, ...tls() });
    const from = store.resourceVersion;
    const abort = new AbortController();
    const seen: string[] = [];
    const watching = http.watch<Named>(
      { version: 'v1', plural: 'pods', namespace: 'monitoring' },
      from,
      event => {
        seen.push(`${event.type} ${event.object.metadata.name}`);
        if (seen.length === 1) abort.abort(new Error('seen enough'));
      },
      abort.signal,
      {
        onOpen: () => {
          store.apply({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'alertmanager-0', namespace: 'monitoring' },
          });
        },
      },
    );
    await expect(watching).rejects.toThrow('seen enough');
    expect(seen).toEqual(['ADDED alertmanager-0']);
    store.delete({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'monitoring',
      name: 'alertmanager-0',
    });
  });

  it('answers a watch from a resourceVersion older than the history with a 410 request error', async () => {
    const small = smallCluster({ historyLimit: 1 });
    const other = new KubeApiServer({ store: small, token: TOKEN, port: 0 });
    await other.start();
    try {
      const error = await client({ url: other.httpUrl })
        .watch(
          { version: 'v1', plural: 'pods' },
          '1',
          () => {},
          new AbortController().signal,
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(ClusterRequestError);
      expect(error.status).toBe(410);
      expect(isGone(error)).toBe(true);
    } finally {
      await other.stop();
    }
  });

  it('reports a refused token as a request error with the status', async () => {
    const error = await client({ serviceAccountToken: 'wrong' })
      .list({ version: 'v1', plural: 'pods' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ClusterRequestError);
    expect(error.status).toBe(401);
    expect(error.cluster).toBe('sandbox');
  });

  it('reports an unknown resource as a 404 request error', async () => {
    const error = await client()
      .list({ group: 'example.com', version: 'v1', plural: 'widgets' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ClusterRequestError);
    expect(error.status).toBe(404);
  });

  it('reports a port nobody listens on as unreachable', async () => {
    const port = await unusedPort();
    const error = await client({ url: `http://127.0.0.1:${port}` })
      .list({ version: 'v1', plural: 'pods' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect(error.cluster).toBe('sandbox');
    expect(error.message).toContain('ECONNREFUSED');
  });
});
