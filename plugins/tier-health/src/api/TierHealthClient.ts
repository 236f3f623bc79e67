import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityTierResponse,
  FailureDomainsResponse,
  SummaryResponse,
} from '@internal/plugin-tier-health-common';
import type { TierHealthApi } from './TierHealthApi';

/**
 * Talks to the tier-health backend through the app's fetch API, which adds the user's Backstage
 * token; the browser never sees cluster credentials.
 *
 * @public
 */
export class TierHealthClient implements TierHealthApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  getSummary(options: { cluster?: string } = {}): Promise<SummaryResponse> {
    return this.get(
      'summary',
      options.cluster ? { cluster: options.cluster } : {},
    );
  }

  getFailureDomains(
    options: { cluster?: string } = {},
  ): Promise<FailureDomainsResponse> {
    return this.get(
      'failure-domains',
      options.cluster ? { cluster: options.cluster } : {},
    );
  }

  getEntityTier(entityRef: string): Promise<EntityTierResponse> {
    return this.get('entity', { entityRef });
  }

  private async get<T>(
    path: string,
    query: Record<string, string>,
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('tier-health');
    const search = new URLSearchParams(query).toString();
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}/${path}${search ? `?${search}` : ''}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
