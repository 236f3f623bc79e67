import type { KubernetesObject } from '@internal/kube-model';
import { hashNumber } from './hashing';
import { nodeAddress, nodePodNetwork } from './nodes';
import { podSpecOf } from './podSpec';

/** Host part of the first and last pod address of a node's /24. */
const FIRST_HOST = 2;
const LAST_HOST = 254;

/**
 * Hands out pod IPs from each node's pod CIDR like a CNI's host-local IPAM: unique per node,
 * starting at a slot derived from the pod's name (so addresses are stable across runs) and
 * probing upwards past addresses in use. Host-network pods get the node's address.
 */
export class PodAddressAllocator {
  private readonly inUse = new Map<string, Set<string>>();

  /** @param pods - the pods whose addresses are taken already */
  constructor(pods: Iterable<KubernetesObject>) {
    for (const pod of pods) {
      const nodeName = podSpecOf(pod).nodeName;
      const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
      if (nodeName && ip) this.used(nodeName).add(ip);
    }
  }

  /** The address for a pod newly bound to `node` (undefined when the node has no pod CIDR). */
  allocate(pod: KubernetesObject, node: KubernetesObject): string | undefined {
    if (podSpecOf(pod).hostNetwork) return nodeAddress(node);
    const network = nodePodNetwork(node);
    if (!network) return undefined;
    const used = this.used(node.metadata.name);
    const size = LAST_HOST - FIRST_HOST + 1;
    const start = hashNumber(
      `${pod.metadata.namespace}/${pod.metadata.name}`,
      size,
    );
    for (let i = 0; i < size; i++) {
      const ip = `${network}.${FIRST_HOST + ((start + i) % size)}`;
      if (!used.has(ip)) {
        used.add(ip);
        return ip;
      }
    }
    return undefined;
  }

  private used(nodeName: string): Set<string> {
    let set = this.inUse.get(nodeName);
    if (!set) {
      set = new Set();
      this.inUse.set(nodeName, set);
    }
    return set;
  }
}
