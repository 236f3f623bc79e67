import { ConfigReader } from '@backstage/config';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { ArgoCDApplication } from '@internal/plugin-argocd-deployments-common';
import type { ArgoCDApi } from '@roadiehq/backstage-plugin-argo-cd';
import { screen, within } from '@testing-library/react';
import { ArgoCdDeploymentsClient, argoCdDeploymentsApiRef } from '../api';
import { DeploymentHistoryCard } from './DeploymentHistoryCard';

const OLD_SHA = '0123456789abcdef0123456789abcdef01234567';
const NEW_SHA = 'fedcba9876543210fedcba9876543210fedcba98';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'idp-portal',
    annotations: { 'argocd/app-name': 'portal-idp-portal' },
  },
  spec: { type: 'website', lifecycle: 'production', owner: 'platform-team' },
};

/** As ArgoCD returns it: history oldest first. */
const application = (
  history: NonNullable<ArgoCDApplication['status']['history']>,
): ArgoCDApplication => ({
  metadata: {
    name: 'portal-idp-portal',
    namespace: 'argocd',
    instance: undefined,
  },
  status: {
    sync: { status: 'Synced' },
    health: { status: 'Healthy' },
    operationState: undefined,
    history,
  },
});

const commits: Record<string, { author: string; message: string }> = {
  [OLD_SHA]: { author: 'Ada Lovelace', message: 'Add the catalog' },
  [NEW_SHA]: {
    author: 'Grace Hopper',
    message: 'Pin the Node image\n\nThe floating tag broke the build.',
  },
};

function mockArgoCDApi(overrides: Partial<ArgoCDApi> = {}): ArgoCDApi {
  const api: ArgoCDApi = {
    listApps: jest.fn(),
    getAppListDetails: jest.fn(),
    serviceLocatorUrl: jest.fn(),
    getAppDetails: jest.fn(async () =>
      application([
        {
          id: 0,
          revision: OLD_SHA,
          deployStartedAt: '2025-03-10T10:00:00Z',
          deployedAt: '2025-03-10T10:00:12Z',
        },
        {
          id: 1,
          revision: NEW_SHA,
          deployStartedAt: '2025-03-12T14:00:00Z',
          deployedAt: '2025-03-12T14:01:05Z',
        },
      ]),
    ),
    getRevisionDetails: jest.fn(async ({ revisionID }) => ({
      ...commits[revisionID],
      date: undefined,
    })),
  };
  return { ...api, ...overrides };
}

const renderCard = (
  api: ArgoCDApi,
  config = {},
  fetch: typeof window.fetch = jest.fn(),
) =>
  renderInTestApp(
    <EntityProvider entity={entity}>
      <DeploymentHistoryCard />
    </EntityProvider>,
    {
      apis: [
        [
          argoCdDeploymentsApiRef,
          new ArgoCdDeploymentsClient({
            argoCdApi: api,
            configApi: new ConfigReader(config),
            discoveryApi: {
              getBaseUrl: async pluginId =>
                `http://localhost:7007/api/${pluginId}`,
            },
            fetchApi: { fetch },
          }),
        ],
      ],
    },
  );

describe('DeploymentHistoryCard', () => {
  it('lists deployments newest first with their duration, commit and author', async () => {
    const api = mockArgoCDApi();
    await renderCard(api);

    const list = await screen.findByRole('list', { name: 'deployments' });
    const [newest, oldest] = within(list).getAllByRole('listitem');

    expect(within(newest).getByText('Current')).toBeInTheDocument();
    expect(within(newest).getByText('fedcba9')).toHaveAttribute(
      'title',
      NEW_SHA,
    );
    expect(within(newest).getByText('Pin the Node image')).toBeInTheDocument();
    expect(newest).toHaveTextContent('Grace Hopper');
    expect(newest).toHaveTextContent('took 1 min 5 s');
    expect(newest).toHaveTextContent('portal-idp-portal');

    expect(within(oldest).getByText('Previous')).toBeInTheDocument();
    expect(within(oldest).getByText('0123456')).toHaveAttribute(
      'title',
      OLD_SHA,
    );
    expect(oldest).toHaveTextContent('Ada Lovelace');
    expect(oldest).toHaveTextContent('took 12 s');
    expect(list).not.toHaveTextContent(/-\d/);

    expect(api.getAppDetails).toHaveBeenCalledWith({
      url: '/argocd/api',
      appName: 'portal-idp-portal',
      appNamespace: undefined,
    });
    expect(api.getRevisionDetails).toHaveBeenCalledWith({
      url: '/argocd/api',
      app: 'portal-idp-portal',
      appNamespace: 'argocd',
      revisionID: NEW_SHA,
      instanceName: undefined,
    });
  });

  it('names the ArgoCD instance and what failed', async () => {
    const api = mockArgoCDApi({
      serviceLocatorUrl: jest.fn(async () => [
        {
          name: 'sandbox',
          url: 'http://127.0.0.1:7101',
          appName: ['portal-idp-portal'],
        },
      ]),
      getAppDetails: jest.fn(async () => {
        throw new Error('failed to fetch data, status 502: Bad Gateway');
      }),
    });
    await renderCard(api, {
      argocd: {
        appLocatorMethods: [
          {
            type: 'config',
            instances: [{ name: 'sandbox', url: 'http://127.0.0.1:7101' }],
          },
        ],
      },
    });

    expect(
      await screen.findByText(
        'Error: Could not load application "portal-idp-portal" from ArgoCD instance "sandbox"',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('failed to fetch data, status 502: Bad Gateway'),
    ).toBeInTheDocument();
    expect(screen.queryByText('No deployments yet')).not.toBeInTheDocument();
    expect(api.getAppDetails).toHaveBeenCalledWith({
      url: '/argocd/api',
      appName: 'portal-idp-portal',
      appNamespace: undefined,
      instance: 'sandbox',
    });
  });

  it('says that the ArgoCD instance is unreachable when the locator finds nothing', async () => {
    const api = mockArgoCDApi({
      // Roadie's backend leaves out the instance it could not log in to
      serviceLocatorUrl: jest.fn(async () => []),
      getAppDetails: jest.fn(async () => {
        throw new Error(
          'failed to fetch data, status 500: Internal Server Error',
        );
      }),
    });
    const fetch = jest.fn(async () => ({
      ok: false,
      status: 500,
      json: async () => ({
        error: {
          name: 'FetchError',
          message:
            'request to http://127.0.0.1:7101/api/v1/session failed, reason: connect ECONNREFUSED 127.0.0.1:7101',
          code: 'ECONNREFUSED',
        },
        request: {
          method: 'GET',
          url: '/api/argocd/argoInstance/sandbox/applications/name/portal-idp-portal',
        },
        response: { statusCode: 500 },
      }),
    })) as unknown as typeof window.fetch;
    await renderCard(
      api,
      {
        backend: { baseUrl: 'http://localhost:7007' },
        argocd: {
          appLocatorMethods: [
            {
              type: 'config',
              instances: [{ name: 'sandbox', url: 'http://127.0.0.1:7101' }],
            },
          ],
        },
      },
      fetch,
    );

    expect(
      await screen.findByText(
        'Error: ArgoCD instance "sandbox" is unreachable',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'request to http://127.0.0.1:7101/api/v1/session failed, reason: connect ECONNREFUSED 127.0.0.1:7101',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('No deployments yet')).not.toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/argocd/argoInstance/sandbox/applications/name/portal-idp-portal',
    );
  });

  it('says when an application has not been deployed yet', async () => {
    const api = mockArgoCDApi({
      getAppDetails: jest.fn(async () => application([])),
    });
    await renderCard(api);

    expect(await screen.findByText('No deployments yet')).toBeInTheDocument();
    expect(api.getRevisionDetails).not.toHaveBeenCalled();
  });
});
