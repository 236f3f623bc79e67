import { parseManifests } from '@internal/gitops-repo';
import type { ClusterPolicyManifest } from './policyReportKinds';

/**
 * The ClusterPolicies in a multi-document YAML file of the GitOps repository,
 * read with the repository's own manifest parser (the one the sandbox and the
 * manifest validation use), so the detail page sees exactly what ArgoCD applies.
 *
 * @param file - the file's path, named in parse errors
 */
export function readClusterPolicyManifests(
  text: string,
  file = 'policy manifest',
): ClusterPolicyManifest[] {
  return parseManifests(text, file)
    .filter(
      object =>
        object.kind === 'ClusterPolicy' &&
        object.apiVersion.startsWith('kyverno.io/'),
    )
    .map(object => object as unknown as ClusterPolicyManifest);
}
