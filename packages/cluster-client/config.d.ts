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

  /**
   * The shared cluster cache (`clusterCacheServiceRef`): how it lists, watches and judges the
   * freshness of the kinds plugins register in every configured cluster.
   */
  kubernetesCache?: {
    /**
     * When a cluster refuses watch (405/403), it is listed this often instead; also the unit of
     * staleness: data not known current for more than two intervals is outdated (views say
     * Unknown). Defaults to 10.
     */
    pollIntervalSeconds?: number;
    /**
     * The API server ends each watch after 1–2 × this many seconds and the cache opens the next
     * one from the last resourceVersion, so an idle (cluster, kind) costs about one request per
     * 5–10 minutes by default. Defaults to 300.
     */
    watchTimeoutSeconds?: number;
    /**
     * A watch that sends nothing (no event, no bookmark) for longer than this is taken as dead
     * (a lost connection without a reset) and reopened. Keep it above the API server's bookmark
     * period (about a minute). Defaults to 120.
     */
    idleTimeoutSeconds?: number;
    /** Items per page (`limit`/`continue`) of the initial list and relists. Defaults to 500. */
    pageSize?: number;
  };
}
