import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  EntityTierResponse,
  FailureDomainsResponse,
  SummaryResponse,
} from '@internal/plugin-tier-health-common';

/** Reads the tier-health backend. @public */
export interface TierHealthApi {
  getSummary(options?: { cluster?: string }): Promise<SummaryResponse>;
  getFailureDomains(options?: {
    cluster?: string;
  }): Promise<FailureDomainsResponse>;
  getEntityTier(entityRef: string): Promise<EntityTierResponse>;
}

/** @public */
export const tierHealthApiRef = createApiRef<TierHealthApi>().with({
  id: 'plugin.tier-health.api',
});
