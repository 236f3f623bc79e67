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
  /** Set when more items follow: pass it as {@link ListOptions.continue} for the next page. */
  continue?: string;
}

/**
 * Paging and consistency of one list call, as the Kubernetes API takes them.
 *
 * @public
 */
export interface ListOptions {
  /** At most this many items; the answer's `continue` token fetches the next page. */
  limit?: number;
  /** The `continue` token of the previous page. */
  continue?: string;
  /** `0` lets the server answer from its cache; unset asks for the latest (quorum) read. */
  resourceVersion?: string;
  /** Aborts the request (e.g. when the backend shuts down). */
  signal?: AbortSignal;
}

/**
 * A watch of one resource type, from a resourceVersion on.
 *
 * @public
 */
export interface WatchRequest extends ListRequest {
  /** The server ends the watch after this many seconds (the client then opens a new one). */
  timeoutSeconds?: number;
  /** Ask for BOOKMARK events carrying the current resourceVersion; defaults to true. */
  allowWatchBookmarks?: boolean;
}

/**
 * One event of a watch stream. `ERROR` events end the watch and are thrown instead (a 410
 * `Expired` status as a `ClusterRequestError` with status 410).
 *
 * @public
 */
export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  /** The object; for BOOKMARK only its kind, apiVersion and metadata.resourceVersion. */
  object: T;
}
