/**
 * One Kubernetes cluster as the Backstage Kubernetes plugin's `config` cluster locator describes
 * it.
 *
 * @public
 */
export interface ClusterDetails {
  /** The cluster's name in config; shown to users and used as the key of its snapshot. */
  name: string;
  /** Base URL of the Kubernetes API server, e.g. `https://10.0.0.1:6443`. */
  url: string;
  /** Bearer token of a service account allowed to list what the caller reads. */
  serviceAccountToken?: string;
  /** Base64-encoded PEM of the CA that signed the API server's certificate (or the PEM itself). */
  caData?: string;
  /** Accept any certificate from the API server (laptops only). */
  skipTLSVerify?: boolean;
}

/**
 * What to list: `/api/{version}` for the core group, `/apis/{group}/{version}` otherwise,
 * cluster-wide or in one namespace.
 *
 * @public
 */
export interface ListRequest {
  /** API group; empty or undefined for the core group. */
  group?: string;
  version: string;
  /** The resource's plural name, e.g. `pods`. */
  plural: string;
  /** Restricts the list to one namespace; all namespaces when undefined. */
  namespace?: string;
  /** A Kubernetes label selector, e.g. `backstage.io/kubernetes-id=argocd`. */
  labelSelector?: string;
}

/**
 * What a list call returns.
 *
 * @public
 */
export interface ListResponse<T> {
  items: T[];
  resourceVersion?: string;
}
