import {
  assessCluster,
  buildComponents,
  CatalogComponentMatcher,
  type ComponentModelIndex,
  describeNodes,
  failureDomainAnalyzer,
  SUMMARY_COMPONENTS_PER_TIER,
  SUMMARY_REASON_LIMIT,
  summarizePools,
  TIERS,
  worstComponents,
  type CatalogComponent,
  type ClusterAssessment,
  type ClusterInventory,
  type ClusterSummary,
  type ComponentModel,
  type FailureDomainAnalyzer,
  type NodeDetails,
  type FailureDomainOverview,
  type PoolSummary,
  type Tier,
} from '@internal/plugin-tier-health-common';

/** What the summary says about a cluster, before freshness is added. */
export type SummaryBody = Pick<
  ClusterSummary,
  'reasons' | 'reasonCount' | 'tiers' | 'components'
> & { assessed: ClusterAssessment['state']; pools: PoolSummary[] };

/**
 * The model of one inventory version seen through one catalog view, each part computed on first
 * use and then kept: repeated requests while the cluster does not change cost nothing, and a
 * question about one node or one entity computes only that node's what-if.
 */
export class ClusterEvaluation {
  private cachedModel?: ComponentModel;
  private cachedAssessment?: ClusterAssessment;
  private cachedAnalyzer?: FailureDomainAnalyzer;
  private cachedNodes?: NodeDetails[];
  private cachedSummary?: SummaryBody;

  /**
   * `catalog` may be a matcher shared by the evaluations of one catalog view: it remembers the
   * match of every inventory object, so a new version matches only the objects that changed.
   * With a matcher, `models` (one per cluster) derives the model from the cluster's last one.
   */
  constructor(
    readonly inventory: ClusterInventory,
    private readonly catalog: CatalogComponent[] | CatalogComponentMatcher,
    private readonly priorityClassTiers: Record<string, Tier>,
    private readonly models?: ComponentModelIndex,
  ) {}

  get model(): ComponentModel {
    this.cachedModel ??=
      this.models && this.catalog instanceof CatalogComponentMatcher
        ? this.models.modelOf(
            this.inventory,
            this.catalog,
            this.priorityClassTiers,
          )
        : buildComponents(
            this.inventory,
            this.catalog,
            this.priorityClassTiers,
          );
    return this.cachedModel;
  }

  get assessment(): ClusterAssessment {
    this.cachedAssessment ??= assessCluster(
      this.inventory.nodes,
      this.model.components,
    );
    return this.cachedAssessment;
  }

  /** The compact summary: state, reasons, tier counts and each tier's worst components. */
  get summary(): SummaryBody {
    if (!this.cachedSummary) {
      const { state, reasons, tiers } = this.assessment;
      this.cachedSummary = {
        assessed: state,
        reasons: reasons.slice(0, SUMMARY_REASON_LIMIT),
        reasonCount: reasons.length,
        tiers,
        components: TIERS.flatMap(tier =>
          worstComponents(
            this.model.components,
            tier,
            SUMMARY_COMPONENTS_PER_TIER,
          ),
        ),
        pools: summarizePools(this.inventory.nodes),
      };
    }
    return this.cachedSummary;
  }

  /** Node by node what-ifs, each computed when first asked for. */
  get analyzer(): FailureDomainAnalyzer {
    this.cachedAnalyzer ??= failureDomainAnalyzer(this.inventory, this.model);
    return this.cachedAnalyzer;
  }

  /** Each node's outlook and the single points of failure (not every node's reasons). */
  get overview(): FailureDomainOverview {
    return this.analyzer.overview();
  }

  /** Every node as the node map shows it, control plane first, then by name. */
  get nodes(): NodeDetails[] {
    this.cachedNodes ??= describeNodes(this.inventory, this.model);
    return this.cachedNodes;
  }

  /**
   * The component an entity ref names, if it runs in this cluster: an entity's component is keyed
   * by its ref, so only that component is summed up, not the cluster's.
   */
  component(entityRef: string) {
    const component = this.model.component(entityRef);
    return component?.entityRef === entityRef ? component : undefined;
  }
}
