export {
  KubeApiServer,
  DEFAULT_BOOKMARK_INTERVAL_MS,
  type KubeApiServerOptions,
  type WatchSettings,
} from './KubeApiServer';
export {
  ApiRequestCounter,
  type ApiRequestCount,
  type ApiRequestCounts,
  type CountedRequest,
  type CountedVerb,
} from './apiRequestCounter';
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
