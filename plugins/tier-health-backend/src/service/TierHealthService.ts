import { createHash } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ClusterFreshness } from '@internal/cluster-client';
import {
  CatalogComponentMatcher,
  ComponentModelIndex,
  componentTierStatus,
  formatAge,
  parseTier,
  TIER_ANNOTATION,
  type CatalogComponent,
  type ClusterFreshnessJson,
  type ClusterSummary,
  type EntityTierResponse,
  type FailureDomainsResponse,
  type NodePage,
  type NodeWhatIfResponse,
  type SummaryResponse,
  type Tier,
} from '@internal/plugin-tier-health-common';
import { readCatalogComponents } from './catalogComponents';
import { ClusterEvaluation } from './ClusterEvaluation';
import type { ClusterInventories } from './ClusterInventories';

/** The cache's freshness as the routes send it. */
export function freshnessJson(f: ClusterFreshness): ClusterFreshnessJson {
  return {
    cluster: f.cluster,
    mode: f.mode,
    synced: f.synced,
    lastSuccess: f.lastSuccess?.toISOString(),
    ageSeconds: f.ageSeconds,
    stale: f.stale,
    outdated: f.outdated,
    error: f.error?.message,
    note: f.note,
  };
}

/**
 * A weak ETag for an answer built from these cluster views: it changes with the data (inventory
 * version, catalog view) and with what the page says about freshness, but not with the age while
 * the data is current (that changes every second and is shown only when stale).
 */
function weakETag(
  route: string,
  catalog: CatalogView,
  views: ClusterView[],
  ...extra: unknown[]
): string {
  const tag = createHash('sha256')
    .update(
      JSON.stringify([
        route,
        catalog.hash,
        extra,
        views.map(({ freshness: f, version }) => [
          f.cluster,
          version,
          f.mode,
          f.synced,
          f.stale,
          f.outdated,
          f.error?.message,
          f.note,
          f.stale && f.ageSeconds !== undefined ? formatAge(f.ageSeconds) : '',
        ]),
      ]),
    )
    .digest('base64url')
    .slice(0, 27);
  return `W/"${tag}"`;
}

/** A catalog view: the components one caller may see, with a hash to key evaluations by. */
interface CatalogView {
  components: CatalogComponent[];
  hash: string;
}

interface ClusterView {
  freshness: ClusterFreshness;
  /** Version of the cluster's inventory; evaluations and ETags are keyed by it. */
  version: number;
  evaluation?: ClusterEvaluation;
}

/**
 * Answers the routes from the cluster inventories the cache keeps current and the caller's view
 * of the catalog. One evaluation is kept per (cluster, inventory version, catalog view): a page
 * refreshing every few seconds in many browsers costs one computation per change, and an
 * unchanged summary is recognised by its ETag before any body is built.
 */
export class TierHealthService {
  private readonly evaluations = new Map<
    string,
    { key: string; evaluation: ClusterEvaluation }
  >();
  /** Per cluster: its component model, derived version by version from the last one. */
  private readonly models = new Map<string, ComponentModelIndex>();
  /** The last catalog view's matcher, shared by every cluster's evaluations of that view. */
  private matcher?: { hash: string; matcher: CatalogComponentMatcher };

  constructor(
    private readonly options: {
      inventories: ClusterInventories;
      catalog: CatalogService;
      priorityClassTiers: Record<string, Tier>;
    },
  ) {}

  /** The compact summary and its (weak) ETag; the body is built only when asked for. */
  async summary(
    credentials: BackstageCredentials,
    request: { cluster?: string; includeNodes: boolean },
  ): Promise<{ etag: string; build: () => SummaryResponse }> {
    const catalog = await this.catalogView(credentials);
    const views = this.selectClusters(request.cluster).map(cluster =>
      this.view(cluster, catalog),
    );
    const etag = weakETag('summary', catalog, views, request.includeNodes);
    return {
      etag,
      build: () => ({
        clusters: views.map(view => this.clusterSummary(view, request)),
      }),
    };
  }

  /** A page of a cluster's nodes, optionally of one pool. */
  async nodes(
    credentials: BackstageCredentials,
    request: { cluster: string; pool?: string; offset: number; limit: number },
  ): Promise<NodePage> {
    const [cluster] = this.selectClusters(request.cluster);
    const view = this.view(cluster, await this.catalogView(credentials));
    const all = view.evaluation?.nodes ?? [];
    const matching = request.pool
      ? all.filter(n => n.pool === request.pool)
      : all;
    return {
      ...freshnessJson(view.freshness),
      pool: request.pool,
      total: matching.length,
      offset: request.offset,
      limit: request.limit,
      nodes: matching.slice(request.offset, request.offset + request.limit),
    };
  }

  /** One node's details and what its loss would do. */
  async node(
    credentials: BackstageCredentials,
    request: { cluster: string; node: string; includeDetails: boolean },
  ): Promise<NodeWhatIfResponse> {
    const [cluster] = this.selectClusters(request.cluster);
    const view = this.view(cluster, await this.catalogView(credentials));
    const analysis = view.evaluation?.analyzer.impactOf(request.node);
    if (!view.evaluation || !analysis) {
      throw new NotFoundError(
        view.evaluation
          ? `cluster ${cluster} has no node named ${request.node}`
          : `no data has been read from cluster ${cluster} yet`,
      );
    }
    return {
      ...freshnessJson(view.freshness),
      details: request.includeDetails
        ? view.evaluation.nodes.find(n => n.name === request.node)
        : undefined,
      impact: analysis.impact,
      singlePointsOfFailure: analysis.singlePointsOfFailure,
    };
  }

  /** Single points of failure and every node's outlook, with an ETag as the summary's. */
  async failureDomains(
    credentials: BackstageCredentials,
    request: { cluster?: string },
  ): Promise<{ etag: string; build: () => FailureDomainsResponse }> {
    const catalog = await this.catalogView(credentials);
    const views = this.selectClusters(request.cluster).map(cluster =>
      this.view(cluster, catalog),
    );
    return {
      etag: weakETag('failure-domains', catalog, views),
      build: () => ({
        clusters: views.map(view => ({
          ...freshnessJson(view.freshness),
          singlePointsOfFailure:
            view.evaluation?.overview.singlePointsOfFailure,
          nodes: view.evaluation?.overview.nodes,
        })),
      }),
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
    const catalog = await this.catalogView(credentials);
    return {
      entityRef,
      annotatedTier: parseTier(entity.metadata.annotations?.[TIER_ANNOTATION]),
      clusters: this.options.inventories.clusters().map(cluster => {
        const { freshness, evaluation } = this.view(cluster, catalog);
        const component = evaluation?.component(entityRef);
        return {
          ...freshnessJson(freshness),
          component:
            evaluation && component
              ? componentTierStatus(
                  component,
                  evaluation.inventory,
                  evaluation.analyzer,
                )
              : undefined,
        };
      }),
    };
  }

  private clusterSummary(
    view: ClusterView,
    request: { includeNodes: boolean },
  ): ClusterSummary {
    const freshness = freshnessJson(view.freshness);
    if (!view.evaluation)
      return {
        ...freshness,
        reasons: [],
        reasonCount: 0,
        tiers: [],
        components: [],
      };
    const { assessed, pools, ...summary } = view.evaluation.summary;
    // outdated data says what the cluster was, not what it is
    return {
      ...freshness,
      state: freshness.outdated ? 'Unknown' : assessed,
      lastSeenState: freshness.outdated ? assessed : undefined,
      ...summary,
      pools: request.includeNodes ? pools : undefined,
    };
  }

  private async catalogView(
    credentials: BackstageCredentials,
  ): Promise<CatalogView> {
    const components = await readCatalogComponents(
      this.options.catalog,
      credentials,
    );
    const hash = createHash('sha256')
      .update(JSON.stringify(components))
      .digest('hex');
    return { components, hash };
  }

  private selectClusters(cluster?: string): string[] {
    const clusters = this.options.inventories.clusters();
    if (cluster === undefined) return clusters;
    if (!clusters.includes(cluster)) {
      throw new NotFoundError(
        `no cluster named ${cluster}; configured: ${
          clusters.join(', ') || 'none'
        }`,
      );
    }
    return [cluster];
  }

  private view(cluster: string, catalog: CatalogView): ClusterView {
    const { inventories } = this.options;
    const freshness = inventories.freshness(cluster);
    const index = inventories.index(cluster)!;
    const version = index.version();
    if (!freshness.synced || !index.synced())
      return { freshness, version, evaluation: undefined };
    const key = `${version}|${catalog.hash}`;
    const cached = this.evaluations.get(cluster);
    if (cached?.key === key)
      return { freshness, version, evaluation: cached.evaluation };
    if (this.matcher?.hash !== catalog.hash)
      this.matcher = {
        hash: catalog.hash,
        matcher: new CatalogComponentMatcher(catalog.components),
      };
    let models = this.models.get(cluster);
    if (!models) {
      models = new ComponentModelIndex();
      this.models.set(cluster, models);
    }
    const evaluation = new ClusterEvaluation(
      index.inventory(),
      this.matcher.matcher,
      this.options.priorityClassTiers,
      models,
    );
    this.evaluations.set(cluster, { key, evaluation });
    return { freshness, version, evaluation };
  }
}
