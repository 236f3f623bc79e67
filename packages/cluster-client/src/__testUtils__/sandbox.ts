import { createServer } from 'node:net';
import {
  ClusterSimulator,
  ClusterStore,
  KubeApiServer,
  createControlRoutes,
} from '@internal/sandbox';

export const TOKEN = 'cluster-client-test-token';

/** A store with one node and three pods in two namespaces. */
export function smallCluster(options: { historyLimit?: number } = {}) {
  const store = new ClusterStore(options);
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
  return store;
}

/** A real sandbox Kubernetes API on a free port with two namespaces of pods and one node. */
export async function startSandbox(): Promise<{
  store: ClusterStore;
  server: KubeApiServer;
}> {
  const store = smallCluster();
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

/**
 * A real sandbox Kubernetes API with its control API (watch switch, request accounting, node
 * failures through the cluster simulator), on `port` (0 picks a free one) over `store`. Stopping
 * it and starting another on the same port and store is an API server restart: open watches
 * drop, the history stays.
 */
export async function startWatchSandbox(
  store: ClusterStore,
  port = 0,
): Promise<{
  server: KubeApiServer;
  control: (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ) => Promise<any>;
}> {
  const simulator = new ClusterSimulator({
    store,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  const status = () => ({ applications: 0 });
  const server = new KubeApiServer({
    store,
    token: TOKEN,
    port,
    extraRoutes: api => [
      createControlRoutes({
        store,
        kubeApi: api,
        control: {
          reconcileStatus: status,
          reconcileNow: async () => status(),
          failNode: name => simulator.failNode(name),
          healNode: name => simulator.healNode(name),
          crashWorkload: ref => simulator.crashWorkload(ref),
          healWorkload: ref => simulator.healWorkload(ref),
        },
      }),
    ],
  });
  await server.start();
  const control = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ) => {
    const response = await fetch(`${server.httpUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${json.message}`);
    return json;
  };
  return { server, control };
}
