import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  ComplianceOverviewResponse,
  EntityPolicyResultsResponse,
  EntityResultsQuery,
  OverviewQuery,
  PolicyDetailResponse,
} from '@internal/plugin-policy-reports-common';
import type { PolicyReportsApi } from './PolicyReportsApi';

type QueryValue = string | boolean | string[] | undefined;

/** Repeats a key for every value of a list, as the backend expects. */
function toSearchParams(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '' || value === false) continue;
    for (const item of Array.isArray(value) ? value : [String(value)]) {
      params.append(key, item);
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Talks to the policy-reports backend through the app's fetch API, which adds
 * the user's Backstage token; no cluster credentials ever reach the browser.
 *
 * @public
 */
export class PolicyReportsClient implements PolicyReportsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getEntityResults(
    entityRef: string,
    query: EntityResultsQuery = {},
  ): Promise<EntityPolicyResultsResponse> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    return this.get(`/entity/${path}/results${toSearchParams({ ...query })}`);
  }

  async getOverview(
    query: OverviewQuery = {},
  ): Promise<ComplianceOverviewResponse> {
    return this.get(`/overview${toSearchParams({ ...query })}`);
  }

  async getPolicy(
    name: string,
    query: { cluster?: string } = {},
  ): Promise<PolicyDetailResponse> {
    return this.get(
      `/policies/${encodeURIComponent(name)}${toSearchParams(query)}`,
    );
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      'policy-reports',
    );
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
