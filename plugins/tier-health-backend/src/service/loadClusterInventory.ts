import type { KubernetesHttpClient } from '@internal/cluster-client';
import {
  inventoryFromKubernetes,
  type ClusterInventory,
  type KubernetesObject,
} from '@internal/plugin-tier-health-common';

/**
 * Reads what the tier model needs from one cluster (seven cluster-wide lists, in parallel) and
 * keeps only the reduced inventory, so the snapshot holds far less than the raw objects.
 */
export async function loadClusterInventory(
  client: KubernetesHttpClient,
): Promise<ClusterInventory> {
  const list = async (group: string, version: string, plural: string) =>
    (await client.list<KubernetesObject>({ group, version, plural })).items;
  const [
    nodes,
    pods,
    deployments,
    replicaSets,
    statefulSets,
    daemonSets,
    priorityClasses,
  ] = await Promise.all([
    list('', 'v1', 'nodes'),
    list('', 'v1', 'pods'),
    list('apps', 'v1', 'deployments'),
    list('apps', 'v1', 'replicasets'),
    list('apps', 'v1', 'statefulsets'),
    list('apps', 'v1', 'daemonsets'),
    list('scheduling.k8s.io', 'v1', 'priorityclasses'),
  ]);
  return inventoryFromKubernetes({
    nodes,
    pods,
    deployments,
    replicaSets,
    statefulSets,
    daemonSets,
    priorityClasses,
  });
}
