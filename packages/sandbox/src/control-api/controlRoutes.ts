import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterStore } from '../store';
import { pathSegments, type ExtraRoute } from '../kube-api/http';
import type { KubeApiServer, WatchSettings } from '../kube-api/KubeApiServer';
import { sendJson, sendStatus } from '../kube-api/status';
import type { SandboxControl } from './types';

/** What the control API changes and reads on the Kubernetes API server. */
export type KubeApiControls = Pick<
  KubeApiServer,
  'watchSettings' | 'requestCounter' | 'closeWatches' | 'openWatches'
>;

/** A control request body that cannot be applied; nothing was changed. */
class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

const MAX_BODY_BYTES = 64 * 1024;

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new BadRequestError(`the body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError('the body is not JSON');
  }
}

/**
 * Validates `{enabled?, refuseWith?, bookmarkIntervalMs?}` for `POST /sandbox/watch`.
 *
 * @throws BadRequestError naming the offending key.
 */
function parseWatchSettingsPatch(body: unknown): Partial<WatchSettings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError(
      'expected a JSON object like {"enabled": false, "refuseWith": 403}',
    );
  }
  const patch: Partial<WatchSettings> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'enabled') {
      if (typeof value !== 'boolean')
        throw new BadRequestError('enabled must be true or false');
      patch.enabled = value;
    } else if (key === 'refuseWith') {
      if (value !== 403 && value !== 405)
        throw new BadRequestError('refuseWith must be 403 or 405');
      patch.refuseWith = value;
    } else if (key === 'bookmarkIntervalMs') {
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < 10 ||
        value > 3_600_000
      )
        throw new BadRequestError(
          'bookmarkIntervalMs must be an integer from 10 to 3600000',
        );
      patch.bookmarkIntervalMs = value;
    } else {
      throw new BadRequestError(
        `unknown key ${JSON.stringify(
          key,
        )}: expected enabled, refuseWith or bookmarkIntervalMs`,
      );
    }
  }
  return patch;
}

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
 * `POST /sandbox/workloads/{namespace}/{kind}/{name}/crash|heal`; with `kubeApi`, also
 * `GET|POST /sandbox/watch` (switch watch off/on, bookmark interval), `POST /sandbox/watch/close`
 * (end open watch streams) and `GET /sandbox/api-requests` (+ `POST …/reset`): requests and bytes
 * per (group, resource, verb). Errors are `kind: Status`.
 */
export function createControlRoutes(options: {
  store: ClusterStore;
  control: SandboxControl;
  kubeApi?: KubeApiControls;
}): ExtraRoute {
  const { store, control, kubeApi } = options;
  const watchStatus = (api: KubeApiControls) => ({
    kind: 'SandboxWatch',
    ...api.watchSettings,
    openWatches: api.openWatches,
    resourceVersion: store.resourceVersion,
    oldestResourceVersion: store.oldestResourceVersion,
    historyLimit: store.historyLimit,
  });
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
      } else if (kubeApi && area === 'watch' && rest.length === 0) {
        if (method === 'GET') sendJson(res, 200, watchStatus(kubeApi));
        else if (method === 'POST') {
          const patch = parseWatchSettingsPatch(await readJsonBody(req));
          Object.assign(kubeApi.watchSettings, patch);
          sendJson(res, 200, watchStatus(kubeApi));
        } else wrongMethod('GET or POST');
      } else if (
        kubeApi &&
        area === 'watch' &&
        rest.length === 1 &&
        rest[0] === 'close'
      ) {
        if (method !== 'POST') wrongMethod('POST');
        else {
          const closed = await kubeApi.closeWatches();
          sendJson(res, 200, { ...watchStatus(kubeApi), closed });
        }
      } else if (kubeApi && area === 'api-requests' && rest.length === 0) {
        if (method !== 'GET') wrongMethod('GET');
        else sendJson(res, 200, kubeApi.requestCounter.snapshot());
      } else if (
        kubeApi &&
        area === 'api-requests' &&
        rest.length === 1 &&
        rest[0] === 'reset'
      ) {
        if (method !== 'POST') wrongMethod('POST');
        else {
          kubeApi.requestCounter.reset();
          sendJson(res, 200, kubeApi.requestCounter.snapshot());
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
      if (error instanceof BadRequestError) {
        sendStatus(res, 400, 'BadRequest', error.message);
      } else if (isNotFound(error)) {
        sendStatus(res, 404, 'NotFound', (error as Error).message);
      } else throw error;
    }
    return true;
  };
}
