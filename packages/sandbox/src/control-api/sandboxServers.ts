import type { ClusterStore } from '../store';
import {
  ArgoCdApiServer,
  type RevisionMetadataSource,
} from '../argocd-api/ArgoCdApiServer';
import { KubeApiServer } from '../kube-api/KubeApiServer';
import { writeKubeconfig } from '../kube-api/kubeconfig';
import type { SandboxConfig } from '../config';
import { createControlRoutes } from './controlRoutes';
import type { Logger, SandboxControl } from './types';

/** The running HTTP side of the sandbox. */
export interface SandboxServers {
  kubeApi: KubeApiServer;
  argoCdApi: ArgoCdApiServer;
  /** https URL of the Kubernetes API (plain http works on the same port: {@link KubeApiServer.httpUrl}). */
  kubernetesUrl: string;
  argoCdUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the Kubernetes API (with the control API under /sandbox) and the ArgoCD API on the
 * configured hosts and ports, then writes the kubeconfig. Independent of how the store is filled
 * (GitOps reconciler or synthetic generator).
 */
export async function startSandboxServers(options: {
  config: Pick<
    SandboxConfig,
    'kubernetes' | 'argocd' | 'reports' | 'kubeconfigPath'
  >;
  store: ClusterStore;
  control: SandboxControl;
  revisions: RevisionMetadataSource;
  logger?: Logger;
}): Promise<SandboxServers> {
  const { config, store, control, revisions, logger } = options;
  const kubeApi = new KubeApiServer({
    store,
    token: config.kubernetes.token,
    host: config.kubernetes.host,
    port: config.kubernetes.port,
    openReports: config.reports.openreports,
    watch: {
      enabled: config.kubernetes.watch.enabled,
      bookmarkIntervalMs: config.kubernetes.watch.bookmarkIntervalMs,
    },
    extraRoutes: server => [
      createControlRoutes({ store, control, kubeApi: server }),
    ],
    logger,
  });
  const argoCdApi = new ArgoCdApiServer({
    store,
    revisions,
    username: config.argocd.username,
    password: config.argocd.password,
    staticToken: config.argocd.token,
    host: config.argocd.host,
    port: config.argocd.port,
    logger,
  });
  const kubernetesUrl = await kubeApi.start();
  let argoCdUrl: string;
  try {
    argoCdUrl = await argoCdApi.start();
  } catch (error) {
    await kubeApi.stop();
    throw error;
  }
  writeKubeconfig(
    config.kubeconfigPath,
    kubernetesUrl,
    config.kubernetes.token,
    kubeApi.caCertificate,
  );
  return {
    kubeApi,
    argoCdApi,
    kubernetesUrl,
    argoCdUrl,
    stop: async () => {
      await Promise.all([kubeApi.stop(), argoCdApi.stop()]);
    },
  };
}
