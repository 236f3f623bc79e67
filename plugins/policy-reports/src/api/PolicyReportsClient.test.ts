import { PolicyReportsClient } from './PolicyReportsClient';

describe('PolicyReportsClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(async () => 'http://backend/api/policy-reports'),
  };

  function clientAnswering(status: number, body: unknown) {
    const fetch = jest.fn(
      async (_url: string) =>
        new Response(JSON.stringify(body), {
          status,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    return {
      fetch,
      client: new PolicyReportsClient({
        discoveryApi,
        fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
      }),
    };
  }

  it.each([
    [
      'entity results with repeated filters',
      (c: PolicyReportsClient) =>
        c.getEntityResults('component:default/web', {
          result: ['fail', 'warn'],
          severity: [],
          search: 'image tag',
        }),
      'http://backend/api/policy-reports/entity/default/component/web/results?result=fail&result=warn&search=image+tag',
    ],
    [
      'the overview without filters',
      (c: PolicyReportsClient) => c.getOverview(),
      'http://backend/api/policy-reports/overview',
    ],
    [
      'the overview for my teams in one cluster',
      (c: PolicyReportsClient) =>
        c.getOverview({ cluster: 'sandbox', mine: true, team: [] }),
      'http://backend/api/policy-reports/overview?cluster=sandbox&mine=true',
    ],
    [
      'a policy',
      (c: PolicyReportsClient) => c.getPolicy('disallow-latest-tag'),
      'http://backend/api/policy-reports/policies/disallow-latest-tag',
    ],
  ])('requests %s', async (_, call, url) => {
    const { client, fetch } = clientAnswering(200, { ok: true });
    await expect(call(client)).resolves.toEqual({ ok: true });
    expect(fetch).toHaveBeenCalledWith(url);
  });

  it('turns a backend error into a ResponseError carrying the reason the backend gave', async () => {
    const { client } = clientAnswering(403, {
      error: {
        name: 'NotAllowedError',
        message: 'missing permission policyReports.overview.read',
      },
      request: { method: 'GET', url: '/overview' },
      response: { statusCode: 403 },
    });
    await expect(client.getOverview()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      cause: expect.objectContaining({
        message: expect.stringContaining('missing permission'),
      }),
    });
  });
});
