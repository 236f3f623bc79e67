import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import argocdPlugin, {
  createRouter,
} from '@roadiehq/backstage-plugin-argo-cd-backend';
import { listMountedRoutes, MountedRoute, READ_METHODS } from './routes';
import { argocdModuleGuard } from './module';

/**
 * The guard in front of the real Roadie backend, against a small ArgoCD stand-in that records
 * what reaches it. The routes come from Roadie's own router, so a route a Roadie upgrade adds is
 * covered without editing this test.
 */

const APP = {
  metadata: {
    name: 'demo',
    namespace: 'argocd',
    labels: { app: 'demo' },
    creationTimestamp: '2026-01-01T00:00:00Z',
    resourceVersion: '1',
  },
  spec: {
    project: 'demo',
    source: {
      repoURL: 'https://git.example.com/gitops.git',
      path: 'apps/demo',
    },
    destination: { namespace: 'demo' },
  },
  status: {
    sync: { status: 'Synced' },
    health: { status: 'Healthy' },
    history: [
      { id: 1, revision: 'abc123', deployedAt: '2026-01-01T00:00:00Z' },
    ],
  },
};

/** ArgoCD's API as far as Roadie's read routes use it; every request is recorded. */
async function startFakeArgoCd() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/api/v1/session') {
      return send(200, { token: 'argo-token' });
    }
    if (req.method !== 'GET') return send(200, {});
    if (url.pathname === '/api/v1/applications') {
      return send(200, { items: [APP] });
    }
    if (url.pathname === '/api/v1/applications/demo') return send(200, APP);
    if (
      /^\/api\/v1\/applications\/demo\/revisions\/[^/]+\/metadata$/.test(
        url.pathname,
      )
    ) {
      return send(200, {
        author: 'dev',
        date: '2026-01-01T00:00:00Z',
        message: 'm',
      });
    }
    return send(404, { message: 'not found', code: 5 });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    writes: () => seen.filter(s => !/^(GET|POST \/api\/v1\/session)/.test(s)),
    stop: () => new Promise<void>(r => server.close(() => r())),
  };
}

/** A concrete path for a route pattern, naming things the stand-in has. */
function concretePath(route: MountedRoute): string {
  return route.path
    .replace(':argoInstanceName', 'sandbox')
    .replace(':argoInstance', 'sandbox')
    .replace(':argoAppName', 'demo')
    .replace(':argoAppSelector', encodeURIComponent('app=demo'))
    .replace(':revisionID', 'abc123')
    .replace(':repo', 'repo')
    .replace(':source', 'source');
}

async function roadieRoutes(): Promise<MountedRoute[]> {
  const router = await createRouter({
    logger: mockServices.logger.mock(),
    config: mockServices.rootConfig(),
    argocdService: {} as any,
  });
  return listMountedRoutes(router);
}

async function startPortal(argoUrl: string, allow: boolean) {
  const { server } = await startTestBackend({
    features: [
      argocdPlugin,
      argocdModuleGuard,
      mockServices.rootConfig.factory({
        data: {
          argocd: {
            appLocatorMethods: [
              {
                type: 'config',
                instances: [
                  {
                    name: 'sandbox',
                    url: argoUrl,
                    username: 'u',
                    password: 'p',
                  },
                ],
              },
            ],
          },
        },
      }),
      mockServices.permissions.factory({
        result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      }),
    ],
  });
  return server;
}

describe('the ArgoCD guard in front of Roadie', () => {
  let argo: Awaited<ReturnType<typeof startFakeArgoCd>>;
  beforeEach(async () => {
    argo = await startFakeArgoCd();
  });
  afterEach(() => argo.stop());

  it('finds Roadie’s routes, reads and writes among them', async () => {
    const routes = await roadieRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(13);
    const writes = routes.filter(r => !READ_METHODS.has(r.method));
    expect(writes.map(r => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'POST /sync',
        'POST /createArgo',
        'DELETE /argoInstance/:argoInstanceName/applications/:argoAppName',
      ]),
    );
  });

  it('answers 403 to every write route without the permission, and 200 to every read', async () => {
    const server = await startPortal(argo.url, false);
    const results: string[] = [];
    const denials: string[] = [];
    for (const route of await roadieRoutes()) {
      const path = concretePath(route);
      const res = await request(server)
        [route.method.toLowerCase() as 'get'](`/api/argocd${path}`)
        .send(route.method === 'GET' ? undefined : { appSelector: 'app=demo' });
      const expected = READ_METHODS.has(route.method) ? 200 : 403;
      results.push(
        `${route.method} ${route.path} ${
          res.status === expected
            ? 'ok'
            : `got ${res.status}: ${res.text.slice(0, 200)}`
        }`,
      );
      if (expected === 403) denials.push(res.body.error?.message ?? res.text);
    }
    expect(results.filter(r => !r.endsWith(' ok'))).toEqual([]);
    expect(denials.length).toBeGreaterThanOrEqual(5);
    for (const message of denials) {
      expect(message).toMatch(
        /needs the permission argocd\.application\.(sync|write)/,
      );
    }
    // nothing but logins and reads reached ArgoCD
    expect(argo.writes()).toEqual([]);
  });

  it('lets a write through with the permission', async () => {
    const server = await startPortal(argo.url, true);
    await request(server)
      .post('/api/argocd/sync')
      .send({ appSelector: 'app=demo' });
    expect(argo.writes().length).toBeGreaterThan(0);
  });

  it('keeps an empty locator answer when every instance answered', async () => {
    const server = await startPortal(argo.url, false);
    const located = await request(server).get('/api/argocd/find/name/nope');
    expect([located.status, located.body]).toEqual([200, []]);
  });

  it('names an unreachable instance with 503 and an unknown application with 404, without stacks', async () => {
    const server = await startPortal(argo.url, false);
    const missing = await request(server).get(
      '/api/argocd/argoInstance/sandbox/applications/name/nope',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain(
      'Application "nope" was not found on ArgoCD instance "sandbox"',
    );
    const unknownInstance = await request(server).get(
      '/api/argocd/argoInstance/elsewhere/applications/name/demo',
    );
    expect(unknownInstance.status).toBe(404);
    expect(unknownInstance.body.error.message).toContain(
      'ArgoCD instance "elsewhere" is not configured',
    );

    await argo.stop();
    // the locator's "found on no instance" would be a lie now
    const located = await request(server).get('/api/argocd/find/name/demo');
    expect(located.status).toBe(503);
    expect(located.body.error.message).toMatch(
      /^ArgoCD instance "sandbox" \(http:\/\/127\.0\.0\.1:\d+\) is unreachable: ECONNREFUSED/,
    );
    for (const path of [
      '/argoInstance/sandbox/applications/name/demo',
      '/argoInstance/sandbox/applications/selector/app%3Ddemo',
      '/allArgoApps/sandbox',
    ]) {
      const res = await request(server).get(`/api/argocd${path}`);
      expect([path, res.status]).toEqual([path, 503]);
      expect(res.body.error.message).toMatch(
        /^ArgoCD instance "sandbox" \(http:\/\/127\.0\.0\.1:\d+\) is unreachable: /,
      );
      expect(res.text).not.toMatch(/stack|\/node_modules\/|\/work\//);
    }
    argo = await startFakeArgoCd(); // afterEach stops it again
  });
});
