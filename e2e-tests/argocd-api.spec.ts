import { createRouter } from '@roadiehq/backstage-plugin-argo-cd-backend';
import { expect, test } from '@playwright/test';
import { guestToken } from './helpers';
import {
  listMountedRoutes,
  MountedRoute,
  READ_METHODS,
} from '../plugins/argocd-backend-module-guard/src/routes';

/**
 * Every route Roadie's ArgoCD backend mounts, as the guest (no ArgoCD permission): reads answer
 * 200, writes 403 before they reach ArgoCD. The routes are read from Roadie's own router, so a
 * route an upgrade adds is walked too.
 */
const quietLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return quietLogger;
  },
};

async function roadieRoutes(): Promise<MountedRoute[]> {
  const router = await createRouter({
    logger: quietLogger as any,
    config: undefined as any,
    argocdService: {} as any,
  });
  return listMountedRoutes(router);
}

test('every ArgoCD route as the guest: reads 200, writes 403', async ({
  request,
}) => {
  const token = await guestToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const app = 'infrastructure-argocd';
  // a revision ArgoCD really deployed, for the revision metadata route
  const details = await request.get(
    `/api/argocd/argoInstance/sandbox/applications/name/${app}`,
    { headers },
  );
  expect(details.status()).toBe(200);
  const revision: string = (await details.json()).status.sync.revision;
  expect(revision).toMatch(/^[0-9a-f]{40}$/);

  const concrete = (route: MountedRoute) =>
    route.path
      .replace(':argoInstanceName', 'sandbox')
      .replace(':argoInstance', 'sandbox')
      .replace(':argoAppName', app)
      .replace(
        ':argoAppSelector',
        encodeURIComponent('app.kubernetes.io/part-of=platform-infrastructure'),
      )
      .replace(':revisionID', revision)
      .replace(':repo', 'repo')
      .replace(':source', 'source');

  const routes = await roadieRoutes();
  expect(routes.length).toBeGreaterThanOrEqual(13);
  const outcomes: string[] = [];
  for (const route of routes) {
    const expected = READ_METHODS.has(route.method) ? 200 : 403;
    const response = await request.fetch(`/api/argocd${concrete(route)}`, {
      method: route.method,
      headers,
      data:
        route.method === 'GET'
          ? undefined
          : {
              appSelector: 'app.kubernetes.io/part-of=platform-infrastructure',
              clusterName: 'sandbox',
              appName: app,
              projectName: 'infrastructure',
              namespace: 'argocd',
            },
    });
    const body = await response.text();
    outcomes.push(
      `${route.method} ${route.path} -> ${response.status()}${
        response.status() === expected
          ? ''
          : ` (expected ${expected}): ${body.slice(0, 300)}`
      }`,
    );
    // no error body carries a stack or a path of the machine
    expect(body).not.toMatch(/"stack"|\/node_modules\/|\/work\//);
  }
  test
    .info()
    .annotations.push({ type: 'routes', description: outcomes.join('\n') });
  expect(outcomes.filter(o => o.includes('expected'))).toEqual([]);
});

test('an unknown application is 404 naming the instance, without a stack', async ({
  request,
}) => {
  const token = await guestToken(request);
  const response = await request.get(
    '/api/argocd/argoInstance/sandbox/applications/name/no-such-app',
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(response.status()).toBe(404);
  const body = await response.json();
  expect(body.error.message).toContain(
    'Application "no-such-app" was not found on ArgoCD instance "sandbox"',
  );
  expect(body.error.stack).toBeUndefined();
});
