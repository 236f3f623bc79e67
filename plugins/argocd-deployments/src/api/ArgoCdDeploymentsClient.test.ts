import { ConfigReader } from '@backstage/config';
import type { ArgoCDApi } from '@roadiehq/backstage-plugin-argo-cd';
import { ArgoCdDeploymentsClient } from './ArgoCdDeploymentsClient';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', annotations: { 'argocd/app-name': 'portal-web' } },
};

describe('ArgoCdDeploymentsClient', () => {
  it("asks Roadie's backend, found through the discovery API, why an instance failed", async () => {
    const argoCdApi = {
      serviceLocatorUrl: jest.fn(async () => []),
      getAppDetails: jest.fn(async () => {
        throw new Error('failed to fetch data, status 500');
      }),
    } as unknown as ArgoCDApi;
    const getBaseUrl = jest.fn(
      async (pluginId: string) => `https://portal.example.com/api/${pluginId}`,
    );
    const fetch = jest.fn(async () => ({
      ok: false,
      status: 500,
      json: async () => ({
        error: {
          name: 'FetchError',
          message: 'connect ECONNREFUSED 10.0.0.7:443',
        },
      }),
    }));
    const client = new ArgoCdDeploymentsClient({
      argoCdApi,
      configApi: new ConfigReader({
        argocd: {
          appLocatorMethods: [
            {
              type: 'config',
              instances: [{ name: 'prod', url: 'https://argocd.example.com' }],
            },
          ],
        },
      }),
      discoveryApi: { getBaseUrl },
      fetchApi: { fetch: fetch as unknown as typeof window.fetch },
    });

    const history = await client.getDeploymentHistory(entity);

    expect(getBaseUrl).toHaveBeenCalledWith('argocd');
    expect(fetch).toHaveBeenCalledWith(
      'https://portal.example.com/api/argocd/argoInstance/prod/applications/name/portal-web',
    );
    expect(history.failures).toEqual([
      {
        severity: 'error',
        title: 'ArgoCD instance "prod" is unreachable',
        message: 'connect ECONNREFUSED 10.0.0.7:443',
      },
    ]);
    expect(history.applications).toEqual([]);
  });
});
