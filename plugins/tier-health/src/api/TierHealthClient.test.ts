import { TierHealthClient } from './TierHealthClient';

/** Records the URLs the client asks for and answers each with the given status and body. */
function fakeFetch(status: number, body: unknown) {
  const urls: string[] = [];
  const fetchApi = {
    fetch: async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      });
    },
  };
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) => `http://portal/api/${pluginId}`,
  };
  return { client: new TierHealthClient({ fetchApi, discoveryApi }), urls };
}

describe('TierHealthClient', () => {
  it('asks the tier-health backend with encoded query parameters', async () => {
    const { client, urls } = fakeFetch(200, { clusters: [] });
    await client.getSummary();
    await client.getFailureDomains({ cluster: 'edge 1' });
    await client.getEntityTier('component:default/argocd');
    expect(urls).toEqual([
      'http://portal/api/tier-health/summary',
      'http://portal/api/tier-health/failure-domains?cluster=edge+1',
      'http://portal/api/tier-health/entity?entityRef=component%3Adefault%2Fargocd',
    ]);
  });

  it('turns an error answer into a ResponseError with the backend message', async () => {
    const { client } = fakeFetch(403, {
      error: {
        name: 'NotAllowedError',
        message: 'missing permission tierHealth.read',
      },
      response: { statusCode: 403 },
    });
    await expect(client.getSummary()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});
