/**
 * The sandbox: an in-memory Kubernetes API, ArgoCD API and control API for laptops and CI.
 *
 * @packageDocumentation
 */
export * from './store';
export * from './kube-api';
export * from './argocd-api';
export * from './control-api';
export * from './synthetic';
export {
  loadSandboxConfig,
  findRepoRoot,
  SandboxConfigError,
  DEFAULT_CONFIG_FILE,
  type SandboxConfig,
} from './config';
export { GitRemote } from './git/GitRemote';
export { ClusterSimulator, NotFoundError } from './cluster/ClusterSimulator';
export { Reconciler } from './reconciler/Reconciler';
