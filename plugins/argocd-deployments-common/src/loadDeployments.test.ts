import { ConfigReader } from '@backstage/config';
import type { ArgoCDApi } from '@roadiehq/backstage-plugin-argo-cd';
import type { ArgoCDApplication } from './deploymentHistory';
import type { ArgoCDBackendGet, BackendResponse } from './diagnoseMissingApps';
import {
  loadDeploymentHistory,
  targetFromAnnotations,
} from './loadDeployments';

const SHA = '0123456789abcdef0123456789abcdef01234567';

const config = (instances: string[] = ['sandbox']) =>
  new ConfigReader({
    backend: { baseUrl: 'http://localhost:7007' },
    argocd: {
      appLocatorMethods: [
        {
          type: 'config',
          instances: instances.map((name, port) => ({
            name,
            url: `http://127.0.0.1:${7101 + port}`,
          })),
        },
      ],
    },
  });

const byName = targetFromAnnotations({ 'argocd/app-name': 'portal-web' });
const bySelector = targetFromAnnotations({
  'argocd/app-selector': 'app=portal-web',
});

const application = (
  history: NonNullable<ArgoCDApplication['status']['history']>,
): ArgoCDApplication => ({
  metadata: { name: 'portal-web', namespace: 'argocd', instance: undefined },
  status: {
    sync: { status: 'Synced' },
    health: { status: 'Healthy' },
    operationState: undefined,
    history,
  },
});

/** What Roadie's client throws for any failed request: the status only, not the body. */
const clientError = () =>
  new Error('failed to fetch data, status 500: Internal Server Error');

/** The locator left every instance out: down, refused, or without the Application. */
function mockArgoCDApi(overrides: Partial<ArgoCDApi> = {}): ArgoCDApi {
  return {
    listApps: jest.fn(),
    serviceLocatorUrl: jest.fn(async () => []),
    getAppDetails: jest.fn(async () => {
      throw clientError();
    }),
    getAppListDetails: jest.fn(async () => {
      throw clientError();
    }),
    getRevisionDetails: jest.fn(async () => ({
      author: 'Ada Lovelace',
      message: 'Add the catalog',
      date: undefined,
    })),
    ...overrides,
  };
}

/**
 * Roadie's backend as it answers a per-instance request that failed: its route does not catch,
 * so Backstage's error handler answers 500 with the serialized error.
 */
const backstageError = (
  error: { name: string; message: string; code?: string; stack?: string },
  url: string,
): BackendResponse => ({
  ok: false,
  status: 500,
  json: async () => ({
    error,
    request: { method: 'GET', url: `/api/argocd${url}` },
    response: { statusCode: 500 },
  }),
});

const backendAnswering = (
  answer: (path: string) => BackendResponse,
): jest.MockedFunction<ArgoCDBackendGet> => jest.fn(async path => answer(path));

describe('loadDeploymentHistory when the locator finds no application', () => {
  it('says that an ArgoCD instance is unreachable, with what the backend said', async () => {
    const api = mockArgoCDApi();
    const backend = backendAnswering(path =>
      backstageError(
        {
          name: 'FetchError',
          message:
            'request to http://127.0.0.1:7101/api/v1/session failed, reason: connect ECONNREFUSED 127.0.0.1:7101',
          code: 'ECONNREFUSED',
          stack: 'FetchError: request to … at ClientRequest.<anonymous>',
        },
        path,
      ),
    );

    const history = await loadDeploymentHistory(api, config(), byName, backend);

    expect(history).toEqual({
      applications: [],
      deployments: [],
      failures: [
        {
          severity: 'error',
          title: 'ArgoCD instance "sandbox" is unreachable',
          message:
            'request to http://127.0.0.1:7101/api/v1/session failed, reason: connect ECONNREFUSED 127.0.0.1:7101',
        },
      ],
    });
    expect(api.serviceLocatorUrl).toHaveBeenCalledWith({
      appName: 'portal-web',
      appSelector: undefined,
      appNamespace: undefined,
    });
    expect(api.getAppDetails).toHaveBeenCalledWith({
      url: '/argocd/api',
      appName: 'portal-web',
      appNamespace: undefined,
      instance: 'sandbox',
    });
    expect(backend).toHaveBeenCalledWith(
      '/argoInstance/sandbox/applications/name/portal-web',
    );
  });

  it('says that an application was not found on an instance that answers', async () => {
    const api = mockArgoCDApi();
    const backend = backendAnswering(path =>
      backstageError(
        { name: 'Error', message: 'Request failed with 404 Error' },
        path,
      ),
    );

    const { deployments, failures } = await loadDeploymentHistory(
      api,
      config(),
      byName,
      backend,
    );

    expect(deployments).toEqual([]);
    expect(failures).toEqual([
      {
        severity: 'warning',
        title:
          'Application "portal-web" was not found on ArgoCD instance "sandbox"',
        message: expect.stringContaining('ArgoCD answered 404 Not Found'),
      },
    ]);
  });

  it('finds an application with no history yet, which is neither an error nor a warning', async () => {
    const api = mockArgoCDApi({
      getAppDetails: jest.fn(async () => application([])),
    });
    const backend = jest.fn();

    const history = await loadDeploymentHistory(api, config(), byName, backend);

    expect(history).toEqual({
      applications: [
        {
          name: 'portal-web',
          namespace: 'argocd',
          instance: 'sandbox',
          sync: 'Synced',
          health: 'Healthy',
          revision: undefined,
        },
      ],
      deployments: [],
      failures: [],
    });
    expect(backend).not.toHaveBeenCalled();
    expect(api.getRevisionDetails).not.toHaveBeenCalled();
  });

  it('shows the history of an application the locator missed', async () => {
    const api = mockArgoCDApi({
      getAppDetails: jest.fn(async () =>
        application([
          {
            id: 0,
            revision: SHA,
            deployStartedAt: '2025-03-10T10:00:00Z',
            deployedAt: '2025-03-10T10:00:12Z',
          },
        ]),
      ),
    });

    const { deployments, failures } = await loadDeploymentHistory(
      api,
      config(),
      byName,
    );

    expect(failures).toEqual([]);
    expect(deployments).toEqual([
      expect.objectContaining({
        app: 'portal-web',
        instance: 'sandbox',
        revision: SHA,
        commit: { author: 'Ada Lovelace', subject: 'Add the catalog' },
      }),
    ]);
  });

  it("says when an instance refuses the portal's credentials", async () => {
    const api = mockArgoCDApi();
    const backend = backendAnswering(path =>
      backstageError(
        {
          name: 'Error',
          message:
            'Getting unauthorized for Argo CD instance http://127.0.0.1:7101',
        },
        path,
      ),
    );

    const { failures } = await loadDeploymentHistory(
      api,
      config(),
      byName,
      backend,
    );

    expect(failures).toEqual([
      {
        severity: 'error',
        title: `ArgoCD instance "sandbox" refused the portal's credentials`,
        message:
          'Getting unauthorized for Argo CD instance http://127.0.0.1:7101',
      },
    ]);
  });

  it('reads ArgoCD\'s 403 "permission denied" for a missing application as not found, and says why', async () => {
    const api = mockArgoCDApi();
    const backend = backendAnswering(path =>
      backstageError(
        { name: 'Error', message: 'Request failed with 403 Error' },
        path,
      ),
    );

    const { failures } = await loadDeploymentHistory(
      api,
      config(),
      byName,
      backend,
    );

    expect(failures).toEqual([
      expect.objectContaining({
        severity: 'warning',
        title:
          'Application "portal-web" was not found on ArgoCD instance "sandbox"',
        message: expect.stringMatching(/403 permission denied .*may not read/),
      }),
    ]);
  });

  it('asks every instance: one down is an error, the others lacking the application are warnings', async () => {
    const api = mockArgoCDApi();
    const backend = backendAnswering(path =>
      path.startsWith('/argoInstance/prod/')
        ? backstageError(
            {
              name: 'FetchError',
              message:
                'request to https://argocd.example.com/api/v1/applications/portal-web failed, reason: getaddrinfo ENOTFOUND argocd.example.com',
              code: 'ENOTFOUND',
            },
            path,
          )
        : backstageError(
            { name: 'Error', message: 'Request failed with 404 Error' },
            path,
          ),
    );

    const { failures } = await loadDeploymentHistory(
      api,
      config(['sandbox', 'prod']),
      byName,
      backend,
    );

    expect(failures.map(({ severity, title }) => [severity, title])).toEqual([
      [
        'warning',
        'Application "portal-web" was not found on ArgoCD instance "sandbox"',
      ],
      ['error', 'ArgoCD instance "prod" is unreachable'],
    ]);
  });

  it('drops the "not found" of one instance when another has the application', async () => {
    const api = mockArgoCDApi({
      getAppDetails: jest.fn(async ({ instance }) => {
        if (instance === 'prod') return application([]);
        throw clientError();
      }),
    });
    const backend = backendAnswering(path =>
      backstageError(
        { name: 'Error', message: 'Request failed with 404 Error' },
        path,
      ),
    );

    const history = await loadDeploymentHistory(
      api,
      config(['sandbox', 'prod']),
      byName,
      backend,
    );

    expect(history).toEqual({
      applications: [expect.objectContaining({ instance: 'prod' })],
      deployments: [],
      failures: [],
    });
  });

  it('asks with the selector, and warns when an instance lists nothing for it', async () => {
    const api = mockArgoCDApi({
      getAppListDetails: jest.fn(async () => ({ items: null })),
    });

    const { failures } = await loadDeploymentHistory(api, config(), bySelector);

    expect(api.getAppListDetails).toHaveBeenCalledWith({
      url: '/argocd/api',
      appSelector: 'app=portal-web',
      appNamespace: undefined,
      instance: 'sandbox',
    });
    expect(failures).toEqual([
      expect.objectContaining({
        severity: 'warning',
        title:
          'No application matching "app=portal-web" was found on ArgoCD instance "sandbox"',
      }),
    ]);
  });

  it('says an instance is unreachable for a selector, and asks the backend with the namespace when namespaced apps are on', async () => {
    const api = mockArgoCDApi();
    const backend = backendAnswering(path =>
      backstageError(
        {
          name: 'FetchError',
          message:
            'request to http://127.0.0.1:7101/api/v1/session failed, reason: connect ECONNREFUSED 127.0.0.1:7101',
        },
        path,
      ),
    );
    const namespaced = new ConfigReader({
      argocd: {
        namespacedApps: true,
        appLocatorMethods: [
          { type: 'config', instances: [{ name: 'sandbox', url: 'x' }] },
        ],
      },
    });

    const { failures } = await loadDeploymentHistory(
      api,
      namespaced,
      targetFromAnnotations({
        'argocd/app-selector': 'app=portal-web',
        'argocd/app-namespace': 'team a',
      }),
      backend,
    );

    expect(backend).toHaveBeenCalledWith(
      '/argoInstance/sandbox/applications/selector/app%3Dportal-web?appNamespace=team%20a',
    );
    expect(failures).toEqual([
      expect.objectContaining({
        severity: 'error',
        title: 'ArgoCD instance "sandbox" is unreachable',
      }),
    ]);
  });

  it("falls back to the client's message when the backend cannot say more", async () => {
    const api = mockArgoCDApi();
    const backend = jest.fn(async () => {
      throw new TypeError('Failed to fetch');
    });

    const { failures } = await loadDeploymentHistory(
      api,
      config(),
      byName,
      backend,
    );

    expect(failures).toEqual([
      {
        severity: 'error',
        title: 'ArgoCD instance "sandbox" is unreachable',
        message: 'failed to fetch data, status 500: Internal Server Error',
      },
    ]);
  });

  it('never shows a credential or a stack trace the backend put in its message', async () => {
    const api = mockArgoCDApi();
    const backend = backendAnswering(path =>
      backstageError(
        {
          name: 'Error',
          message:
            'upstream said: Authorization: Bearer eyJhbGciOi.secret token=abc123\n    at getArgoAppData (argocd.service.cjs.js:200:11)',
          stack: 'Error: upstream\n    at getArgoAppData',
        },
        path,
      ),
    );

    const { failures } = await loadDeploymentHistory(
      api,
      config(),
      byName,
      backend,
    );

    expect(failures[0].message).toBe(
      'upstream said: Authorization: Bearer [redacted] token=[redacted]',
    );
  });
});

describe('loadDeploymentHistory when the locator finds the application', () => {
  it('does not diagnose: an instance that fails is reported as before', async () => {
    const api = mockArgoCDApi({
      serviceLocatorUrl: jest.fn(async () => [
        {
          name: 'sandbox',
          url: 'http://127.0.0.1:7101',
          appName: ['portal-web'],
        },
      ]),
    });
    const backend = jest.fn();

    const { failures } = await loadDeploymentHistory(
      api,
      config(),
      byName,
      backend,
    );

    expect(failures).toEqual([
      {
        title:
          'Could not load application "portal-web" from ArgoCD instance "sandbox"',
        message: 'failed to fetch data, status 500: Internal Server Error',
      },
    ]);
    expect(backend).not.toHaveBeenCalled();
  });
});

describe('loadDeploymentHistory when the locator itself fails', () => {
  it('asks each instance, so an unreachable one is named', async () => {
    // the portal's backend answers the locator 503 when an instance could not be asked
    const api = mockArgoCDApi({
      serviceLocatorUrl: jest.fn(async () => {
        throw new Error(
          'failed to fetch data, status 503: Service Unavailable',
        );
      }),
    });
    const backend = backendAnswering(path => ({
      ok: false,
      status: 503,
      json: async () => ({
        error: {
          name: 'ServiceUnavailableError',
          message:
            'ArgoCD instance "sandbox" (http://127.0.0.1:7101) is unreachable: request to http://127.0.0.1:7101/api/v1/session failed, reason: connect ECONNREFUSED 127.0.0.1:7101',
        },
        request: { method: 'GET', url: `/api/argocd${path}` },
        response: { statusCode: 503 },
      }),
    }));

    const history = await loadDeploymentHistory(api, config(), byName, backend);

    expect(history.deployments).toEqual([]);
    expect(history.failures).toEqual([
      expect.objectContaining({
        severity: 'error',
        title: 'ArgoCD instance "sandbox" is unreachable',
      }),
    ]);
  });
});
