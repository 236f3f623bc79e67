export interface Config {
  /**
   * Settings of the policy-reports backend. The clusters come from `kubernetes.clusterLocatorMethods`
   * and are read through the shared cluster cache (its timing is `kubernetesCache`).
   */
  policyReports?: {
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
