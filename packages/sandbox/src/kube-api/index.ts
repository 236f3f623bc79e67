export { KubeApiServer, type KubeApiServerOptions } from './KubeApiServer';
export {
  ResourceRegistry,
  groupVersionOf,
  type ResourceType,
  type ResourceRegistryOptions,
} from './resources';
export { kubeconfigYaml, writeKubeconfig } from './kubeconfig';
export {
  createSelfSignedCertificate,
  type CertificateAndKey,
} from './selfSignedCertificate';
export { SANDBOX_KUBERNETES_VERSION } from './discovery';
export type { ExtraRoute } from './http';
