/**
 * The cluster could not be asked: network error, timeout or a 5xx answer. Callers keep their last
 * good data and show the cluster as unreachable.
 *
 * @public
 */
export class ClusterUnreachableError extends Error {
  readonly cluster: string;

  constructor(cluster: string, message: string, options?: { cause?: unknown }) {
    super(`cluster ${cluster} is unreachable: ${message}`, options);
    this.name = 'ClusterUnreachableError';
    this.cluster = cluster;
  }
}

/**
 * The cluster answered but refused the request (4xx): a wrong token, missing RBAC or a resource
 * type it does not serve. Retrying will not help until its configuration changes.
 *
 * @public
 */
export class ClusterRequestError extends Error {
  readonly cluster: string;
  /** The HTTP status the API server answered with. */
  readonly status: number;

  constructor(cluster: string, status: number, message: string) {
    super(`cluster ${cluster} answered ${status}: ${message}`);
    this.name = 'ClusterRequestError';
    this.cluster = cluster;
    this.status = status;
  }
}
