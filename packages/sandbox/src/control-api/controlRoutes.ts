import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterStore } from '../store';
import { pathSegments, type ExtraRoute } from '../kube-api/http';
import { sendJson, sendStatus } from '../kube-api/status';
import type { SandboxControl } from './types';

type Obj = Record<string, any>;

/** A short summary of the nodes, for `GET /sandbox/status`. */
export function nodesSummary(store: ClusterStore) {
  const podsPerNode = new Map<string, number>();
  for (const pod of store.listShared({ kind: 'Pod', apiVersion: 'v1' })) {
    const node = (pod as Obj).spec?.nodeName;
    if (node) podsPerNode.set(node, (podsPerNode.get(node) ?? 0) + 1);
  }
  return store.listShared({ kind: 'Node', apiVersion: 'v1' }).map(node => {
    const ready = ((node as Obj).status?.conditions ?? []).find(
      (c: Obj) => c.type === 'Ready',
    );
    return {
      name: node.metadata.name,
      ready: ready?.status === 'True',
      unschedulable: Boolean((node as Obj).spec?.unschedulable),
      role:
        node.metadata.labels?.role ??
        (node.metadata.labels &&
        'node-role.kubernetes.io/control-plane' in node.metadata.labels
          ? 'control-plane'
          : undefined),
      pods: podsPerNode.get(node.metadata.name) ?? 0,
    };
  });
}

const isNotFound = (error: unknown) =>
  (error as Error | undefined)?.name === 'NotFoundError';

/**
 * The sandbox control API, mounted on the Kubernetes API server under `/sandbox/` (same bearer
 * token): `GET /sandbox/status`, `POST /sandbox/reconcile`, `POST /sandbox/nodes/{name}/fail|heal`,
 * `POST /sandbox/workloads/{namespace}/{kind}/{name}/crash|heal`. Errors are `kind: Status`.
 */
export function createControlRoutes(options: {
  store: ClusterStore;
  control: SandboxControl;
}): ExtraRoute {
  const { store, control } = options;
  const status = () => ({
    kind: 'SandboxStatus',
    resourceVersion: store.resourceVersion,
    reconciler: control.reconcileStatus(),
    nodes: nodesSummary(store),
  });

  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const segments = pathSegments(url.pathname);
    if (segments[0] !== 'sandbox') return false;
    const [, area, ...rest] = segments;
    const method = req.method ?? 'GET';
    const wrongMethod = (allowed: string) =>
      sendStatus(
        res,
        405,
        'MethodNotAllowed',
        `${url.pathname} accepts ${allowed} only`,
      );
    try {
      if (area === 'status' && rest.length === 0) {
        if (method !== 'GET') wrongMethod('GET');
        else sendJson(res, 200, status());
      } else if (area === 'reconcile' && rest.length === 0) {
        if (method !== 'POST') wrongMethod('POST');
        else
          sendJson(res, 200, {
            kind: 'SandboxStatus',
            reconciler: await control.reconcileNow(),
          });
      } else if (
        area === 'nodes' &&
        rest.length === 2 &&
        (rest[1] === 'fail' || rest[1] === 'heal')
      ) {
        if (method !== 'POST') wrongMethod('POST');
        else {
          if (rest[1] === 'fail') control.failNode(rest[0]);
          else control.healNode(rest[0]);
          sendJson(res, 200, status());
        }
      } else if (
        area === 'workloads' &&
        rest.length === 4 &&
        (rest[3] === 'crash' || rest[3] === 'heal')
      ) {
        if (method !== 'POST') wrongMethod('POST');
        else {
          const ref = { namespace: rest[0], kind: rest[1], name: rest[2] };
          if (rest[3] === 'crash') control.crashWorkload(ref);
          else control.healWorkload(ref);
          sendJson(res, 200, status());
        }
      } else {
        sendStatus(
          res,
          404,
          'NotFound',
          `unknown sandbox control endpoint ${method} ${url.pathname}`,
        );
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
      sendStatus(res, 404, 'NotFound', (error as Error).message);
    }
    return true;
  };
}
