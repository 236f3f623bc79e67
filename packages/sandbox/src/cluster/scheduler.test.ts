import { buildNode, DEFAULT_NODE_SPECS } from './nodes';
import type { PodSpec } from './podSpec';
import { nodeStateOf, SchedulablePod, Scheduler } from './scheduler';

const NOW = '2026-01-01T00:00:00Z';

function defaultNodes() {
  return DEFAULT_NODE_SPECS.map((spec, i) =>
    nodeStateOf(buildNode(spec, i, NOW)),
  );
}

function pod(
  key: string,
  spec: PodSpec = {},
  extra: Partial<SchedulablePod> = {},
): SchedulablePod {
  return {
    key,
    spec,
    requests: { cpu: 100, memory: 128 * 1024 ** 2 },
    priority: 0,
    ...extra,
  };
}

const controlPlaneToleration = {
  key: 'node-role.kubernetes.io/control-plane',
  operator: 'Exists',
  effect: 'NoSchedule',
};

describe('Scheduler', () => {
  it.each([
    [
      'no constraints → a worker (control plane is tainted)',
      {},
      ['worker-apps', 'worker-infra'],
    ],
    [
      'nodeSelector role=infra',
      { nodeSelector: { role: 'infra' } },
      ['worker-infra'],
    ],
    [
      'nodeSelector role=apps',
      { nodeSelector: { role: 'apps' } },
      ['worker-apps'],
    ],
    [
      'toleration + nodeSelector for the control plane',
      {
        tolerations: [controlPlaneToleration],
        nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      },
      ['control-plane'],
    ],
    [
      'empty-key Exists toleration tolerates everything',
      {
        tolerations: [{ operator: 'Exists' }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }],
                },
              ],
            },
          },
        },
      },
      ['control-plane'],
    ],
    [
      'Equal toleration with the wrong value does not tolerate',
      {
        tolerations: [
          {
            key: 'node-role.kubernetes.io/control-plane',
            operator: 'Equal',
            value: 'x',
            effect: 'NoSchedule',
          },
        ],
        nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      },
      [],
    ],
    [
      'required affinity In',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'role', operator: 'In', values: ['apps'] },
                  ],
                },
              ],
            },
          },
        },
      },
      ['worker-apps'],
    ],
    [
      'required affinity NotIn',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'role', operator: 'NotIn', values: ['apps'] },
                  ],
                },
              ],
            },
          },
        },
      },
      ['worker-infra'],
    ],
    [
      'required affinity Exists, terms are ORed',
      {
        tolerations: [controlPlaneToleration],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    {
                      key: 'node-role.kubernetes.io/control-plane',
                      operator: 'Exists',
                    },
                  ],
                },
                {
                  matchExpressions: [
                    { key: 'role', operator: 'In', values: ['nope'] },
                  ],
                },
              ],
            },
          },
        },
      },
      ['control-plane'],
    ],
    [
      'preferred affinity wins over least requested',
      {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 50,
                preference: {
                  matchExpressions: [
                    { key: 'role', operator: 'In', values: ['infra'] },
                  ],
                },
              },
            ],
          },
        },
      },
      ['worker-infra'],
    ],
  ] as Array<[string, PodSpec, string[]]>)('%s', (_name, spec, allowed) => {
    const decision = new Scheduler(defaultNodes()).schedule(pod('ns/p', spec));
    const placedOn = decision.bound ? decision.nodeName : undefined;
    expect(
      allowed.length === 0
        ? placedOn === undefined
        : allowed.includes(placedOn ?? ''),
    ).toBe(true);
  });

  it('explains why no node fits, like kube-scheduler', () => {
    const nodes = defaultNodes();
    nodes[1].ready = false;
    nodes[2].ready = false;
    const decision = new Scheduler(nodes).schedule(pod('ns/p'));
    expect(decision).toEqual({
      bound: false,
      message:
        '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were not ready.',
    });
  });

  it('reports insufficient cpu and memory', () => {
    const decision = new Scheduler(defaultNodes()).schedule(
      pod('ns/big', {}, { requests: { cpu: 9000, memory: 64 * 1024 ** 3 } }),
    );
    expect(decision.bound).toBe(false);
    expect(!decision.bound && decision.message).toBe(
      '0/3 nodes are available: 2 Insufficient cpu, 2 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.',
    );
  });

  it('spreads replicas of one owner across equal nodes', () => {
    const scheduler = new Scheduler(defaultNodes());
    const placed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const p = pod(`ns/r${i}`, {}, { ownerUid: 'rs-1' });
      const decision = scheduler.schedule(p);
      if (!decision.bound) throw new Error('not bound');
      scheduler.bind(p, decision.nodeName);
      placed.push(decision.nodeName);
    }
    expect(placed.filter(n => n === 'worker-apps')).toHaveLength(2);
    expect(placed.filter(n => n === 'worker-infra')).toHaveLength(2);
  });

  it('fills free capacity and then stops', () => {
    const scheduler = new Scheduler(defaultNodes());
    const outcomes = Array.from({ length: 5 }, (_, i) => {
      const p = pod(`ns/p${i}`, {}, { requests: { cpu: 4000, memory: 1024 } });
      const decision = scheduler.schedule(p);
      if (decision.bound) scheduler.bind(p, decision.nodeName);
      return decision.bound;
    });
    expect(outcomes).toEqual([true, true, true, true, false]);
  });

  it('preempts the lowest-priority pods when a higher-priority pod does not fit', () => {
    const scheduler = new Scheduler(defaultNodes());
    const low = pod(
      'apps/low',
      { nodeSelector: { role: 'apps' } },
      { requests: { cpu: 6000, memory: 1024 }, priority: 3000 },
    );
    scheduler.bind(low, 'worker-apps');
    const filler = pod(
      'infra/filler',
      { nodeSelector: { role: 'infra' } },
      { requests: { cpu: 7000, memory: 1024 }, priority: 1000000 },
    );
    scheduler.bind(filler, 'worker-infra');
    const high = pod(
      'infra/high',
      {},
      { requests: { cpu: 4000, memory: 1024 }, priority: 10000 },
    );
    const decision = scheduler.schedule(high);
    expect(decision).toEqual({
      bound: true,
      nodeName: 'worker-apps',
      victims: [low],
    });

    const equal = pod(
      'apps/equal',
      {},
      { requests: { cpu: 4000, memory: 1024 }, priority: 3000 },
    );
    expect(scheduler.schedule(equal).bound).toBe(false);
  });
});
