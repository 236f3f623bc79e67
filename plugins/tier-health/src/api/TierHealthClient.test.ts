import { TierHealthClient } from './TierHealthClient';

type Answer = { status: number; body?: unknown; etag?: string };

/** Records what the client asks for and answers each request with the next answer. */
function fakeFetch(...answers: Answer[]) {
  const requests: Array<{ url: string; ifNoneMatch?: string }> = [];
  const fetchApi = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      requests.push({
        url: String(input),
        ifNoneMatch: headers.get('If-None-Match') ?? undefined,
      });
      const answer = answers.shift() ?? { status: 200, body: {} };
      return new Response(
        answer.status === 304 ? null : JSON.stringify(answer.body),
        {
          status: answer.status,
          headers: {
            'Content-Type': 'application/json',
            ...(answer.etag ? { ETag: answer.etag } : {}),
          },
        },
      );
    },
  };
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) => `http://portal/api/${pluginId}`,
  };
  return { client: new TierHealthClient({ fetchApi, discoveryApi }), requests };
}

describe('TierHealthClient', () => {
  it('asks the tier-health backend with encoded query parameters and paths', async () => {
    const { client, requests } = fakeFetch();
    await client.getSummary();
    await client.getFailureDomains({ cluster: 'edge 1' });
    await client.getEntityTier('component:default/argocd');
    await client.getNodes({
      cluster: 'sandbox',
      pool: 'apps',
      offset: 24,
      limit: 24,
    });
    await client.getNodeWhatIf('edge 1', 'worker/1');
    expect(requests.map(r => r.url)).toEqual([
      'http://portal/api/tier-health/summary',
      'http://portal/api/tier-health/failure-domains?cluster=edge+1',
      'http://portal/api/tier-health/entity?entityRef=component%3Adefault%2Fargocd',
      'http://portal/api/tier-health/nodes?cluster=sandbox&pool=apps&offset=24&limit=24',
      'http://portal/api/tier-health/nodes/edge%201/worker%2F1',
    ]);
  });

  it('revalidates an answer with its ETag and keeps the same object on 304', async () => {
    const first = { clusters: [{ cluster: 'sandbox', state: 'Green' }] };
    const second = { clusters: [{ cluster: 'sandbox', state: 'Yellow' }] };
    const { client, requests } = fakeFetch(
      { status: 200, body: first, etag: 'W/"v1"' },
      { status: 304 },
      { status: 200, body: second, etag: 'W/"v2"' },
    );
    const a = await client.getSummary();
    const b = await client.getSummary();
    const c = await client.getSummary();
    expect(requests.map(r => r.ifNoneMatch)).toEqual([
      undefined,
      'W/"v1"',
      'W/"v1"',
    ]);
    expect(b).toBe(a);
    expect(c).toEqual(second);
  });

  it('turns an error answer into a ResponseError with the backend message', async () => {
    const { client } = fakeFetch({
      status: 403,
      body: {
        error: {
          name: 'NotAllowedError',
          message: 'missing permission tierHealth.read',
        },
        response: { statusCode: 403 },
      },
    });
    await expect(client.getSummary()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});
