import type { NodeInfo, StateReason } from './types';

const PRESSURE_CONDITIONS = [
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
];

function notReadyDetail(node: NodeInfo): string {
  const ready = node.conditions.find(c => c.type === 'Ready');
  if (!ready) return 'no Ready condition';
  return `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`;
}

/** What the nodes alone say about the cluster state. @public */
export interface NodeAssessment {
  reasons: StateReason[];
  anyWorkerLost: boolean;
  allWorkersLost: boolean;
}

/**
 * What the nodes alone say: control plane lost (Black), all workers lost (Red), one worker lost
 * or a node under pressure (Yellow). `otherReadyWorkers` counts healthy workers left out of
 * `nodes` (they add no reason), so a what-if over 1,000 nodes need not pass them all.
 *
 * @public
 */
export function assessNodes(
  nodes: NodeInfo[],
  options: { otherReadyWorkers?: number } = {},
): NodeAssessment {
  const reasons: StateReason[] = [];
  const controlPlanes = nodes.filter(n => n.controlPlane);
  const workers = nodes.filter(n => !n.controlPlane);
  const lostWorkers = workers.filter(n => !n.ready);
  const workerCount = workers.length + (options.otherReadyWorkers ?? 0);
  const allWorkersLost = workerCount > 0 && lostWorkers.length === workerCount;
  if (controlPlanes.length > 0 && controlPlanes.every(n => !n.ready)) {
    for (const node of controlPlanes) {
      reasons.push({
        state: 'Black',
        code: 'control-plane-lost',
        subject: node.name,
        message: `control plane lost: node ${node.name} is ${notReadyDetail(
          node,
        )}; manual recovery needed`,
      });
    }
  } else {
    for (const node of controlPlanes.filter(n => !n.ready)) {
      reasons.push({
        state: 'Yellow',
        code: 'node-lost',
        subject: node.name,
        message: `control-plane node ${node.name} lost (${notReadyDetail(
          node,
        )}); other control-plane nodes remain`,
      });
    }
  }
  if (allWorkersLost) {
    reasons.push({
      state: 'Red',
      code: 'all-workers-lost',
      message: `all workers lost (${lostWorkers
        .map(n => n.name)
        .join(', ')}): tiers 1–2 run in limp-home mode on the control plane`,
    });
  } else {
    for (const node of lostWorkers) {
      reasons.push({
        state: 'Yellow',
        code: 'node-lost',
        subject: node.name,
        message: `worker ${node.name} (pool ${
          node.pool
        }) lost: ${notReadyDetail(node)}`,
      });
    }
  }
  for (const node of nodes.filter(n => n.ready)) {
    for (const condition of node.conditions) {
      if (
        PRESSURE_CONDITIONS.includes(condition.type) &&
        condition.status === 'True'
      ) {
        reasons.push({
          state: 'Yellow',
          code: 'node-pressure',
          subject: node.name,
          message: `node ${node.name} reports ${condition.type}${
            condition.message ? `: ${condition.message}` : ''
          }`,
        });
      }
    }
  }
  return { reasons, anyWorkerLost: lostWorkers.length > 0, allWorkersLost };
}
