export interface Config {
  /**
   * The Backstage Kubernetes plugin's configuration; only the parts this package reads.
   * Visibilities match the Kubernetes plugin's own schema, which declares the same keys.
   */
  kubernetes?: {
    /** Where clusters come from; only entries of type `config` are read. */
    clusterLocatorMethods?: Array<{
      /**
       * `config` lists clusters inline; other types are ignored by this package.
       * @visibility frontend
       */
      type: string;
      /** The clusters of a `config` locator. */
      clusters?: Array<{
        /**
         * Unique name of the cluster; shown to users and used to select it.
         * @visibility frontend
         */
        name: string;
        /**
         * Base URL of the cluster's Kubernetes API server.
         * @visibility frontend
         */
        url: string;
        /**
         * Bearer token of a service account that may list nodes, pods, workloads and
         * PriorityClasses (and policy reports for the policy-reports plugin).
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * Base64-encoded PEM of the CA of the API server's certificate.
         * @visibility secret
         */
        caData?: string;
        /**
         * Path of a PEM file with the CA of the API server's certificate.
         * @visibility secret
         */
        caFile?: string;
        /**
         * Accept any certificate from the API server; for local clusters only.
         * @visibility frontend
         */
        skipTLSVerify?: boolean;
      }>;
    }>;
  };
}
