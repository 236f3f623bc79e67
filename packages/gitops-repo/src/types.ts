import type { KubernetesObject } from '@internal/kube-model';

/**
 * A Kubernetes object as read from the GitOps repository: the repository's one object model,
 * `KubernetesObject` of the kube-model package, under the name this package's API uses.
 *
 * @public
 */
export type KubeObject = KubernetesObject;

/**
 * An ArgoCD `argoproj.io/v1alpha1` Application generated from an ApplicationSet.
 *
 * @public
 */
export type GeneratedApplication = KubeObject;

/**
 * What an ArgoCD Application would apply from one directory of the GitOps repository.
 *
 * @public
 */
export interface ApplicationSource {
  /** The plain manifests the Application applies, after kustomization transforms. */
  objects: KubeObject[];
  /**
   * Stand-ins for what the declared Helm charts would render (from `sandbox-seed.yaml`),
   * for consumers that cannot render Helm; empty when no chart is declared.
   */
  seedObjects: KubeObject[];
  /** The Helm charts the kustomization declares (`helmCharts:`), in declaration order. */
  helmCharts: Array<{
    name: string;
    repo?: string;
    version?: string;
    releaseName?: string;
    namespace?: string;
  }>;
}

/**
 * A manifest that is not valid YAML or not a Kubernetes object.
 *
 * @public
 */
export class ManifestParseError extends Error {
  /** The file the manifest was read from, as given by the caller. */
  readonly file: string;
  /** The 1-based line of the problem, when known. */
  readonly line?: number;

  constructor(file: string, line: number | undefined, reason: string) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'ManifestParseError';
    this.file = file;
    this.line = line;
  }
}
