export interface Config {
  /** Tier-health plugin. Clusters come from `kubernetes.clusterLocatorMethods` (type `config`). */
  tierHealth?: {
    /**
     * How often each cluster's nodes, pods, workloads and PriorityClasses are read into the
     * shared snapshot, in seconds. Requests never read the cluster themselves. Defaults to 5,
     * which keeps the page within seconds of a node loss at a few list calls per interval.
     */
    refreshIntervalSeconds?: number;
    /**
     * PriorityClass name → tier (1–4), for workloads without an `idp.platform/tier` catalog
     * annotation. Merged over the defaults that follow DESIGN.md (system-* 1;
     * platform-infrastructure, -policy, -security, -observability 2; platform-events, -cicd,
     * -dashboards 3; user-workloads, cicd-execution, unclassified-workload 4).
     */
    priorityClassTiers?: { [priorityClassName: string]: number };
  };
}
