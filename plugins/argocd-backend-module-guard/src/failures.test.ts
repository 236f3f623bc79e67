import {
  applicationFromPath,
  instanceFromPath,
  sanitizeMessage,
  translateFailure,
} from './failures';
import { requiredPermission } from './routes';

const instances = [{ name: 'sandbox', url: 'http://127.0.0.1:7101' }];

describe('translateFailure', () => {
  it('turns a connection failure into 503 naming the instance', () => {
    expect(
      translateFailure({
        status: 500,
        body: {
          error: {
            name: 'FetchError',
            message:
              'request to http://127.0.0.1:7101/api/v1/session failed, reason: connect ECONNREFUSED 127.0.0.1:7101',
            stack:
              'FetchError: ...\n    at /work/node_modules/node-fetch/lib/index.js:1:1',
          },
        },
        path: '/argoInstance/sandbox/applications/name/demo',
        instances,
      }),
    ).toEqual({
      status: 503,
      name: 'ServiceUnavailableError',
      message:
        'ArgoCD instance "sandbox" (http://127.0.0.1:7101) is unreachable: request to http://127.0.0.1:7101/api/v1/session failed, reason: connect ECONNREFUSED 127.0.0.1:7101',
    });
  });

  it.each([
    [
      500,
      'Request failed with 404 Error',
      404,
      'Application "demo" was not found',
    ],
    [500, 'Request failed with 403 Error', 404, 'ArgoCD answers 403'],
    [
      500,
      'Getting unauthorized for Argo CD instance http://x',
      502,
      "refused the portal's credentials",
    ],
    [500, 'Request failed with 502 Error', 503, 'is unreachable'],
    [500, 'something else', 500, 'request failed: something else'],
  ])('maps %s %j to %s', (status, message, expected, text) => {
    const t = translateFailure({
      status,
      body: { error: { message } },
      path: '/argoInstance/sandbox/applications/name/demo',
      instances,
    });
    expect(t?.status).toBe(expected);
    expect(t?.message).toContain(text);
  });

  it('says an instance is not configured', () => {
    expect(
      translateFailure({
        status: 500,
        body: {
          status: 'failed',
          message: 'cannot find an argo instance to match this cluster',
        },
        path: '/allArgoApps/prod',
        instances,
      }),
    ).toMatchObject({
      status: 404,
      message: expect.stringContaining(
        'ArgoCD instance "prod" is not configured',
      ),
    });
  });

  it('keeps successes and answers that already say what happened', () => {
    const path = '/argoInstance/sandbox/applications/demo';
    expect(
      translateFailure({ status: 200, body: {}, path, instances }),
    ).toBeUndefined();
    expect(
      translateFailure({
        status: 403,
        body: { error: { message: 'nope' } },
        path: '/sync',
        instances,
      }),
    ).toBeUndefined();
  });
});

describe('paths and messages', () => {
  it('reads instance and application from Roadie paths', () => {
    expect(instanceFromPath('/argoInstance/a%20b/applications/name/x')).toBe(
      'a b',
    );
    expect(instanceFromPath('/allArgoApps/sandbox')).toBe('sandbox');
    expect(instanceFromPath('/find/name/x')).toBeUndefined();
    expect(applicationFromPath('/argoInstance/s/applications/name/web')).toBe(
      'web',
    );
    expect(
      applicationFromPath('/argoInstance/s/applications/web/operation'),
    ).toBe('web');
    expect(
      applicationFromPath('/argoInstance/s/applications/selector/a=b'),
    ).toBeUndefined();
  });

  it('drops stacks, absolute paths and credentials', () => {
    expect(
      sanitizeMessage(
        "ENOENT: open '/work/main/data/x.json' token=abc\n    at /work/x.js:1:1",
      ),
    ).toBe("ENOENT: open '<path>' token=[redacted]");
  });
});

describe('requiredPermission', () => {
  it('needs nothing to read, sync to sync or terminate, write for anything else', () => {
    expect(requiredPermission('GET', '/find/name/x')).toBeUndefined();
    expect(requiredPermission('post', '/sync')?.name).toBe(
      'argocd.application.sync',
    );
    expect(
      requiredPermission('DELETE', '/argoInstance/s/applications/a/operation')
        ?.name,
    ).toBe('argocd.application.sync');
    expect(
      requiredPermission('DELETE', '/argoInstance/s/applications/a')?.name,
    ).toBe('argocd.application.write');
    expect(requiredPermission('PATCH', '/some/future/route')?.name).toBe(
      'argocd.application.write',
    );
  });
});
