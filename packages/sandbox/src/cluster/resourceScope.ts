/**
 * Kinds the sandbox treats as cluster-scoped. A real API server knows this from discovery;
 * the sandbox only needs the kinds the platform's GitOps repository and simulator use.
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PriorityClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterPolicy',
  'ClusterPolicyReport',
  'ClusterReport',
  'CustomResourceDefinition',
  'ClusterSecretStore',
  'ClusterIssuer',
  'GatewayClass',
  'StorageClass',
  'PersistentVolume',
  'IngressClass',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

/**
 * Whether objects of `kind` live outside namespaces.
 *
 * @param kind - the object's `kind`
 */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}
