export interface Config {
  /**
   * Tier-health plugin. Clusters come from `kubernetes.clusterLocatorMethods` (type `config`);
   * their nodes, pods, workloads and PriorityClasses from the shared cluster cache, which lists
   * and watches them (`kubernetesCache.*`, also for when data counts as outdated).
   */
  tierHealth?: {
    /**
     * PriorityClass name → tier (1–4), for workloads without an `idp.platform/tier` catalog
     * annotation. Merged over the defaults that follow DESIGN.md (system-* 1;
     * platform-infrastructure, -policy, -security, -observability 2; platform-events, -cicd,
     * -dashboards 3; user-workloads, cicd-execution, unclassified-workload 4).
     */
    priorityClassTiers?: { [priorityClassName: string]: number };
  };
}
