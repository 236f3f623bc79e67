import { createServer } from 'node:net';
import { ClusterStore, KubeApiServer } from '@internal/sandbox';

export const TOKEN = 'cluster-client-test-token';

/** A real sandbox Kubernetes API on a free port with two namespaces of pods and one node. */
export async function startSandbox(): Promise<{
  store: ClusterStore;
  server: KubeApiServer;
}> {
  const store = new ClusterStore();
  store.apply({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'worker-apps', labels: { role: 'apps' } },
  });
  for (const [namespace, name, id] of [
    ['argocd', 'argocd-server-1', 'argocd'],
    ['argocd', 'argocd-repo-server-1', 'argocd'],
    ['monitoring', 'prometheus-0', 'prometheus'],
  ]) {
    store.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        labels: { 'backstage.io/kubernetes-id': id },
      },
      spec: { nodeName: 'worker-apps' },
    });
  }
  const server = new KubeApiServer({ store, token: TOKEN, port: 0 });
  await server.start();
  return { store, server };
}

/** A localhost port nothing listens on (taken, then released). */
export async function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
