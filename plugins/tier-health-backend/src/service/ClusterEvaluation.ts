import {
  analyzeFailureDomains,
  assessCluster,
  buildComponents,
  describeNodes,
  type CatalogComponent,
  type ClusterAssessment,
  type ClusterInventory,
  type ComponentModel,
  type FailureDomainAnalysis,
  type NodeDetails,
  type Tier,
} from '@internal/plugin-tier-health-common';

/**
 * The model of one cluster snapshot seen through one catalog view, computed lazily: the summary
 * needs the assessment, the failure-domain page and entity card need the analysis too.
 */
export class ClusterEvaluation {
  private cachedModel?: ComponentModel;
  private cachedAssessment?: ClusterAssessment;
  private cachedAnalysis?: FailureDomainAnalysis;
  private cachedNodes?: NodeDetails[];

  constructor(
    readonly inventory: ClusterInventory,
    private readonly catalog: CatalogComponent[],
    private readonly priorityClassTiers: Record<string, Tier>,
  ) {}

  get model(): ComponentModel {
    this.cachedModel ??= buildComponents(
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

  get analysis(): FailureDomainAnalysis {
    this.cachedAnalysis ??= analyzeFailureDomains(this.inventory, this.model);
    return this.cachedAnalysis;
  }

  get nodes(): NodeDetails[] {
    this.cachedNodes ??= describeNodes(this.inventory, this.model);
    return this.cachedNodes;
  }
}
