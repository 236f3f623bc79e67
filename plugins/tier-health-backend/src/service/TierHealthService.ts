import { createHash } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ClusterSnapshots, SnapshotState } from '@internal/cluster-client';
import {
  componentTierStatus,
  parseTier,
  TIER_ANNOTATION,
  type CatalogComponent,
  type ClusterInventory,
  type EntityTierResponse,
  type FailureDomainsResponse,
  type SnapshotFreshness,
  type SummaryResponse,
  type Tier,
} from '@internal/plugin-tier-health-common';
import { readCatalogComponents } from './catalogComponents';
import { ClusterEvaluation } from './ClusterEvaluation';

type ClusterSnapshotState = {
  cluster: string;
} & SnapshotState<ClusterInventory>;

function freshness(state: ClusterSnapshotState): SnapshotFreshness {
  return {
    cluster: state.cluster,
    lastSuccess: state.lastSuccess?.toISOString(),
    lastRefresh: state.lastRefresh?.toISOString(),
    stale: state.stale,
    outdated: state.outdated ?? false,
    ageSeconds: state.ageSeconds,
    error: state.error?.message,
  };
}

/**
 * Answers the routes from the shared cluster snapshots and the caller's view of the catalog.
 * Evaluations are cached per (cluster, snapshot time, catalog view), so a page refreshing every
 * few seconds in many browsers costs one computation per snapshot.
 */
export class TierHealthService {
  private readonly evaluations = new Map<
    string,
    { key: string; evaluation: ClusterEvaluation }
  >();

  constructor(
    private readonly options: {
      snapshots: ClusterSnapshots<ClusterInventory>;
      catalog: CatalogService;
      priorityClassTiers: Record<string, Tier>;
    },
  ) {}

  async summary(
    credentials: BackstageCredentials,
    request: { cluster?: string; includeNodes: boolean },
  ): Promise<SummaryResponse> {
    const states = this.selectClusters(request.cluster);
    const catalog = await readCatalogComponents(
      this.options.catalog,
      credentials,
    );
    return {
      clusters: states.map(state => {
        const evaluation = this.evaluate(state, catalog);
        if (!evaluation)
          return {
            ...freshness(state),
            reasons: [],
            tiers: [],
            components: [],
          };
        // an outdated snapshot says what the cluster was, not what it is
        const assessed = evaluation.assessment.state;
        return {
          ...freshness(state),
          state: state.outdated ? 'Unknown' : assessed,
          lastSeenState: state.outdated ? assessed : undefined,
          reasons: evaluation.assessment.reasons,
          tiers: evaluation.assessment.tiers,
          components: evaluation.model.components,
          nodes: request.includeNodes ? evaluation.nodes : undefined,
        };
      }),
    };
  }

  async failureDomains(
    credentials: BackstageCredentials,
    request: { cluster?: string },
  ): Promise<FailureDomainsResponse> {
    const states = this.selectClusters(request.cluster);
    const catalog = await readCatalogComponents(
      this.options.catalog,
      credentials,
    );
    return {
      clusters: states.map(state => ({
        ...freshness(state),
        analysis: this.evaluate(state, catalog)?.analysis,
      })),
    };
  }

  async entity(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<EntityTierResponse> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`entity ${entityRef} not found`);
    const catalog = await readCatalogComponents(
      this.options.catalog,
      credentials,
    );
    return {
      entityRef,
      annotatedTier: parseTier(entity.metadata.annotations?.[TIER_ANNOTATION]),
      clusters: this.options.snapshots.states().map(state => {
        const evaluation = this.evaluate(state, catalog);
        const component = evaluation?.model.components.find(
          c => c.entityRef === entityRef,
        );
        return {
          ...freshness(state),
          component:
            evaluation && component
              ? componentTierStatus(
                  component,
                  evaluation.inventory,
                  evaluation.analysis,
                )
              : undefined,
        };
      }),
    };
  }

  private selectClusters(cluster?: string): ClusterSnapshotState[] {
    const states = this.options.snapshots.states();
    if (cluster === undefined) return states;
    const selected = states.filter(s => s.cluster === cluster);
    if (selected.length === 0) {
      throw new NotFoundError(
        `no cluster named ${cluster}; configured: ${
          states.map(s => s.cluster).join(', ') || 'none'
        }`,
      );
    }
    return selected;
  }

  private evaluate(
    state: ClusterSnapshotState,
    catalog: CatalogComponent[],
  ): ClusterEvaluation | undefined {
    if (!state.data) return undefined;
    const catalogView = createHash('sha256')
      .update(JSON.stringify(catalog))
      .digest('hex');
    const key = `${state.lastSuccess?.getTime()}|${catalogView}`;
    const cached = this.evaluations.get(state.cluster);
    if (cached?.key === key) return cached.evaluation;
    const evaluation = new ClusterEvaluation(
      state.data,
      catalog,
      this.options.priorityClassTiers,
    );
    this.evaluations.set(state.cluster, { key, evaluation });
    return evaluation;
  }
}
