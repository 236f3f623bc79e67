export interface Config {
  /** Settings of the policy-reports backend. The clusters come from `kubernetes.clusterLocatorMethods`. */
  policyReports?: {
    /**
     * How often every cluster's reports, workloads, Namespaces and
     * ClusterPolicies are listed into the shared in-memory index, in seconds.
     * Requests never call a cluster; this bounds how old the data can be.
     * Defaults to 30.
     */
    refreshIntervalSeconds?: number;
    /**
     * Directory of a GitOps repository checkout holding Kyverno ClusterPolicy
     * manifests (searched recursively), e.g.
     * `../../K8s/policies/kyverno-policies`. The policy detail page falls back
     * to it when no cluster serves the policy. Relative paths are resolved
     * against the backend's working directory. Off when absent.
     */
    gitopsPolicyDirectory?: string;
  };
}
