import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityTierResponse,
  FailureDomainsResponse,
  NodePage,
  NodeWhatIfResponse,
  SummaryResponse,
} from '@internal/plugin-tier-health-common';
import type { TierHealthApi } from './TierHealthApi';

/**
 * Talks to the tier-health backend through the app's fetch API, which adds the user's Backstage
 * token; the browser never sees cluster credentials. Answers with an ETag (summary, failure
 * domains) are revalidated: an unchanged one costs a 304 and no download.
 *
 * @public
 */
export class TierHealthClient implements TierHealthApi {
  /** The last answer per URL that came with an ETag. */
  private readonly answers = new Map<
    string,
    { etag: string; value: unknown }
  >();

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getSummary(
    options: { cluster?: string } = {},
  ): Promise<SummaryResponse> {
    return this.get(
      await this.url(
        'summary',
        options.cluster ? { cluster: options.cluster } : {},
      ),
    );
  }

  async getNodes(options: {
    cluster: string;
    pool?: string;
    offset?: number;
    limit?: number;
  }): Promise<NodePage> {
    const query: Record<string, string> = { cluster: options.cluster };
    if (options.pool) query.pool = options.pool;
    if (options.offset !== undefined) query.offset = String(options.offset);
    if (options.limit !== undefined) query.limit = String(options.limit);
    return this.get(await this.url('nodes', query));
  }

  async getNodeWhatIf(
    cluster: string,
    node: string,
  ): Promise<NodeWhatIfResponse> {
    return this.get(
      await this.url(
        `nodes/${encodeURIComponent(cluster)}/${encodeURIComponent(node)}`,
        {},
      ),
    );
  }

  async getFailureDomains(
    options: { cluster?: string } = {},
  ): Promise<FailureDomainsResponse> {
    return this.get(
      await this.url(
        'failure-domains',
        options.cluster ? { cluster: options.cluster } : {},
      ),
    );
  }

  async getEntityTier(entityRef: string): Promise<EntityTierResponse> {
    return this.get(await this.url('entity', { entityRef }));
  }

  private async url(path: string, query: Record<string, string>) {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('tier-health');
    const search = new URLSearchParams(query).toString();
    return `${baseUrl}/${path}${search ? `?${search}` : ''}`;
  }

  /**
   * GET with revalidation: an answer that came with an ETag is kept, the next request for the
   * same URL sends `If-None-Match`, and a 304 resolves to the kept (identical) object.
   */
  private async get<T>(url: string): Promise<T> {
    const known = this.answers.get(url);
    const response = await this.options.fetchApi.fetch(url, {
      // we revalidate ourselves; the browser's cache must not answer in our place
      cache: 'no-store',
      headers: known ? { 'If-None-Match': known.etag } : {},
    });
    if (response.status === 304 && known) return known.value as T;
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const value = (await response.json()) as T;
    const etag = response.headers.get('ETag');
    if (etag) this.answers.set(url, { etag, value });
    else this.answers.delete(url);
    return value;
  }
}
