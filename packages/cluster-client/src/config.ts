import { readFileSync } from 'node:fs';
import type { Config } from '@backstage/config';
import type { ClusterDetails } from './types';

/**
 * The clusters of the `kubernetes.clusterLocatorMethods` entries of type `config`: the Kubernetes
 * plugin's own configuration, so the portal has one list of clusters, not one per plugin.
 * `caFile` is read into `caData`. Other locator types (catalog, gke, ...) are ignored.
 *
 * @public
 */
export function readClustersFromConfig(config: Config): ClusterDetails[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  return methods
    .filter(method => method.getString('type') === 'config')
    .flatMap(method => method.getOptionalConfigArray('clusters') ?? [])
    .map(cluster => {
      const caFile = cluster.getOptionalString('caFile');
      return {
        name: cluster.getString('name'),
        url: cluster.getString('url'),
        serviceAccountToken: cluster.getOptionalString('serviceAccountToken'),
        caData:
          cluster.getOptionalString('caData') ??
          (caFile ? readFileSync(caFile, 'utf8') : undefined),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
      };
    });
}
