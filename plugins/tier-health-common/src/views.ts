import { addRequests } from './scheduling';
import type { ComponentModel } from './components';
import type { FailureDomainAnalyzer } from './failureDomains';
import type { PoolSummary } from './api';
import {
  TIERS,
  type Availability,
  type ClusterInventory,
  type ComponentHealth,
  type NodeCondition,
  type NodeInfo,
  type NodeTaint,
  type ResourceAmounts,
  type Tier,
  type TierSource,
} from './types';

/** A node for the node map (shown with `tierHealth.nodes.read` only). @public */
export interface NodeDetails {
  name: string;
  pool: string;
  controlPlane: boolean;
  ready: boolean;
  unschedulable: boolean;
  conditions: NodeCondition[];
  taints: NodeTaint[];
  allocatable: ResourceAmounts;
  /** Sum of the requests of the pods bound to the node. */
  requested: ResourceAmounts;
  /** The node's pods grouped by their component's tier. */
  tiers: Array<{
    tier: Tier;
    pods: number;
    readyPods: number;
    components: string[];
  }>;
}

/** One node of a cluster as the node map shows it. @public */
export function describeNodes(
  inventory: ClusterInventory,
  model: ComponentModel,
): NodeDetails[] {
  const tierOf = new Map(model.components.map(c => [c.key, c]));
  type NodeTally = {
    requested?: ResourceAmounts;
    tiers: Map<
      Tier,
      { pods: number; readyPods: number; components: Set<string> }
    >;
  };
  const perNode = new Map<string, NodeTally>();
  inventory.pods.forEach((pod, index) => {
    if (!pod.nodeName) return;
    const entry: NodeTally = perNode.get(pod.nodeName) ?? { tiers: new Map() };
    entry.requested = addRequests(entry.requested, pod);
    const component = tierOf.get(model.podComponentKeys[index]);
    const tier = component?.tier ?? 4;
    const bucket = entry.tiers.get(tier) ?? {
      pods: 0,
      readyPods: 0,
      components: new Set<string>(),
    };
    bucket.pods += 1;
    if (pod.ready) bucket.readyPods += 1;
    if (component) bucket.components.add(component.name);
    entry.tiers.set(tier, bucket);
    perNode.set(pod.nodeName, entry);
  });
  return [...inventory.nodes]
    .sort(
      (a, b) =>
        Number(b.controlPlane) - Number(a.controlPlane) ||
        a.name.localeCompare(b.name),
    )
    .map(node => {
      const entry = perNode.get(node.name);
      return {
        name: node.name,
        pool: node.pool,
        controlPlane: node.controlPlane,
        ready: node.ready,
        unschedulable: node.unschedulable,
        conditions: node.conditions,
        taints: node.taints,
        allocatable: node.allocatable,
        requested: entry?.requested ?? {
          cpuMillis: 0,
          memoryBytes: 0,
          pods: 0,
        },
        tiers: TIERS.map(tier => {
          const bucket = entry?.tiers.get(tier);
          return {
            tier,
            pods: bucket?.pods ?? 0,
            readyPods: bucket?.readyPods ?? 0,
            components: [...(bucket?.components ?? [])].sort(),
          };
        }),
      };
    });
}

/** What the loss of one node means for one component. @public */
export interface NodeLossOutcome {
  node: string;
  pool: string;
  controlPlane: boolean;
  /** `keeps-running`: replicas remain elsewhere; `rescheduled`: outage until moved; `lost`. */
  outcome: 'keeps-running' | 'rescheduled' | 'lost';
  message: string;
}

/** One component's tier status, for the entity card. @public */
export interface ComponentTierStatus {
  key: string;
  name: string;
  entityRef?: string;
  tier: Tier;
  tierSource: TierSource;
  availability: Availability;
  ready: number;
  desired: number;
  nodes: Array<{
    name: string;
    pool: string;
    controlPlane: boolean;
    ready: boolean;
  }>;
  survivesLossOf: NodeLossOutcome[];
  problems: ComponentHealth['problems'];
}

/**
 * The entity card's view of a component: where it runs and what each node's loss would do
 * (asking the analyzer only about the component's own nodes). @public
 */
export function componentTierStatus(
  component: ComponentHealth,
  inventory: ClusterInventory,
  analysis: Pick<FailureDomainAnalyzer, 'displacementOf'>,
): ComponentTierStatus {
  const nodesByName = new Map(inventory.nodes.map(n => [n.name, n]));
  const survivesLossOf = component.nodes.map((name): NodeLossOutcome => {
    const node = nodesByName.get(name);
    const impact = analysis.displacementOf(name);
    const base = {
      node: name,
      pool: node?.pool ?? 'unknown',
      controlPlane: node?.controlPlane ?? false,
    };
    const losesAll = impact?.losesAllReplicas.some(
      c => c.key === component.key,
    );
    if (!losesAll) {
      const elsewhere = component.readyNodes.filter(n => n !== name);
      return {
        ...base,
        outcome: 'keeps-running',
        message:
          elsewhere.length > 0
            ? `keeps ready replicas on ${elsewhere.join(', ')}`
            : 'has no ready replica there to lose',
      };
    }
    const outcome = impact?.rescheduling.find(r => r.key === component.key);
    if (outcome?.reschedulable) {
      return {
        ...base,
        outcome: 'rescheduled',
        message: `outage until rescheduled on ${outcome.targetNodes.join(
          ', ',
        )}${
          outcome.controlPlaneOnly ? ' (limp-home on the control plane)' : ''
        }`,
      };
    }
    return {
      ...base,
      outcome: 'lost',
      message: `cannot run elsewhere${
        outcome?.blockers.length ? `: ${outcome.blockers.join('; ')}` : ''
      }`,
    };
  });
  return {
    key: component.key,
    name: component.name,
    entityRef: component.entityRef,
    tier: component.tier,
    tierSource: component.tierSource,
    availability: component.availability,
    ready: component.ready,
    desired: component.desired,
    nodes: component.nodes.map(name => ({
      name,
      pool: nodesByName.get(name)?.pool ?? 'unknown',
      controlPlane: nodesByName.get(name)?.controlPlane ?? false,
      ready: nodesByName.get(name)?.ready ?? false,
    })),
    survivesLossOf,
    problems: component.problems,
  };
}

const PRESSURE_CONDITIONS = new Set([
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
]);

/** Nodes counted per pool, control plane first, then by pool name. @public */
export function summarizePools(nodes: NodeInfo[]): PoolSummary[] {
  const pools = new Map<string, PoolSummary>();
  for (const node of nodes) {
    let pool = pools.get(node.pool);
    if (!pool) {
      pool = {
        pool: node.pool,
        controlPlane: node.controlPlane,
        nodes: 0,
        ready: 0,
        notReady: 0,
        cordoned: 0,
        pressure: 0,
      };
      pools.set(node.pool, pool);
    }
    pool.nodes += 1;
    pool.controlPlane ||= node.controlPlane;
    if (node.ready) pool.ready += 1;
    else pool.notReady += 1;
    if (node.unschedulable) pool.cordoned += 1;
    if (
      node.ready &&
      node.conditions.some(
        c => PRESSURE_CONDITIONS.has(c.type) && c.status === 'True',
      )
    )
      pool.pressure += 1;
  }
  return [...pools.values()].sort(
    (a, b) =>
      Number(b.controlPlane) - Number(a.controlPlane) ||
      a.pool.localeCompare(b.pool),
  );
}
