import type { DeploymentHistory } from '@internal/plugin-argocd-deployments-common';
import type { EntityPolicyResultsResponse } from '@internal/plugin-policy-reports-common';
import type { EntityTierResponse } from '@internal/plugin-tier-health-common';
import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import {
  argoCdSignals,
  entityGlance,
  podSignals,
  policySignals,
  tierSignals,
  worstFirst,
} from './signals';
import {
  entityTier,
  history,
  kubernetesObjects,
  pod,
  policyResults,
  summary,
} from '../__testUtils__/glanceData';

const NOW = new Date('2026-03-12T14:10:00Z');

describe('argoCdSignals', () => {
  it('shows health, sync and the deployed revision with its author', () => {
    const signals = argoCdSignals({ value: history() });
    expect(signals.chips.map(c => [c.title, c.label, c.state])).toEqual([
      ['ArgoCD', 'Healthy', 'ok'],
      ['Sync', 'Synced', 'ok'],
    ]);
    expect(signals.deployment).toEqual({
      app: 'team-payments-checkout-api',
      revision: 'fedcba9876543210fedcba9876543210fedcba98',
      deployedAt: '2026-03-12T14:01:05Z',
      author: 'Grace Hopper',
      subject: 'Pin the image',
    });
    expect(signals.unreachable).toEqual([]);
  });

  it('takes the worst Application: one Degraded makes the chip Degraded', () => {
    const value: DeploymentHistory = history({
      applications: [
        { name: 'a', sync: 'Synced', health: 'Healthy' },
        { name: 'b', sync: 'OutOfSync', health: 'Degraded' },
      ],
    });
    const [health, sync] = argoCdSignals({ value }).chips;
    expect([health.label, health.state]).toEqual(['Degraded', 'error']);
    expect([sync.label, sync.state]).toEqual(['OutOfSync', 'warning']);
    expect(health.detail).toBe('a: Synced, Healthy; b: OutOfSync, Degraded');
  });

  it('says Unknown and names the unreachable instance, never a remembered Healthy', () => {
    const value = history({
      applications: [],
      deployments: [],
      failures: [
        {
          severity: 'error',
          title: 'ArgoCD instance "sandbox" is unreachable',
          message: 'connect ECONNREFUSED 127.0.0.1:7101',
        },
      ],
    });
    const signals = argoCdSignals({ value });
    expect(signals.chips).toEqual([
      expect.objectContaining({ label: 'Unknown', state: 'unknown' }),
    ]);
    expect(signals.unreachable).toEqual([
      {
        name: 'ArgoCD instance "sandbox" is unreachable',
        via: 'ArgoCD',
        reason: 'connect ECONNREFUSED 127.0.0.1:7101',
      },
    ]);
  });

  it('warns when no instance holds the named Application', () => {
    const value = history({
      applications: [],
      deployments: [],
      failures: [
        {
          severity: 'warning',
          title: 'Application "x" was not found on ArgoCD instance "sandbox"',
          message: 'ArgoCD answered 404 Not Found',
        },
      ],
    });
    expect(argoCdSignals({ value }).chips).toEqual([
      expect.objectContaining({ label: 'Not found', state: 'warning' }),
    ]);
  });

  it('says Unknown when the API itself failed', () => {
    const signals = argoCdSignals({ error: new Error('boom') });
    expect(signals.chips[0]).toMatchObject({
      label: 'Unknown',
      detail: 'boom',
    });
  });
});

describe('policySignals', () => {
  it('counts failing results by severity and warnings', () => {
    const [chip] = policySignals(
      { value: policyResults({ fail: 2, error: 1, warn: 3, pass: 10 }) },
      NOW,
    ).chips;
    expect(chip.label).toBe('3 fail (1 high, 2 medium) · 3 warn');
    expect(chip.state).toBe('warning');
    expect(chip.tab).toBe('policies');
  });

  it('is good when everything passes', () => {
    const [chip] = policySignals(
      { value: policyResults({ pass: 4 }) },
      NOW,
    ).chips;
    expect([chip.label, chip.state]).toEqual(['all pass', 'ok']);
  });

  it('does not call stale passing results good, and names the cluster', () => {
    const value: EntityPolicyResultsResponse = {
      ...policyResults({ pass: 4 }),
      clusters: [
        {
          cluster: 'sandbox',
          stale: true,
          lastSuccessfulRefresh: '2026-03-12T14:05:00Z',
          error: 'connect ECONNREFUSED',
        },
      ],
    };
    const signals = policySignals({ value }, NOW);
    expect(signals.chips[0]).toMatchObject({
      label: 'all pass (stale)',
      state: 'unknown',
    });
    expect(signals.unreachable).toEqual([
      {
        name: 'cluster "sandbox"',
        via: 'Policy reports',
        reason: 'connect ECONNREFUSED; results as of 5 minutes ago',
      },
    ]);
  });
});

describe('tierSignals', () => {
  it("shows the tier, the component's availability and its cluster's state", () => {
    const signals = tierSignals(
      { value: entityTier() },
      { value: summary('Yellow') },
    );
    expect(signals.chips.map(c => [c.title, c.label, c.state])).toEqual([
      ['Tier', 'Tier 4 · available', 'ok'],
      ['Cluster sandbox', 'Yellow', 'warning'],
    ]);
    // the cluster's state is context: another team's component may make it Yellow
    expect(signals.chips[1].countsTowardsOverall).toBe(false);
  });

  it('says unknown for an outdated snapshot, with what it last saw', () => {
    const signals = tierSignals(
      {
        value: entityTier({
          stale: true,
          outdated: true,
          ageSeconds: 600,
          error: 'connect ECONNREFUSED',
        }),
      },
      {
        value: {
          clusters: [
            {
              ...summary('Green').clusters[0],
              state: 'Unknown',
              lastSeenState: 'Green',
              ageSeconds: 600,
            },
          ],
        },
      },
    );
    expect(signals.chips.map(c => [c.label, c.state])).toEqual([
      ['Tier 4 · unknown', 'unknown'],
      ['Unknown', 'unknown'],
    ]);
    expect(signals.chips[0].detail).toBe(
      'unknown on sandbox (last seen available, 10 min old)',
    );
    expect(signals.chips[1].detail).toBe('last seen Green, 10 min old');
    expect(signals.unreachable).toEqual([
      {
        name: 'cluster "sandbox"',
        via: 'Tier health',
        reason: 'connect ECONNREFUSED; data 10 min old',
      },
    ]);
  });

  it('says when no workload of the component is found', () => {
    const value: EntityTierResponse = {
      entityRef: 'component:default/checkout-api',
      annotatedTier: 4,
      clusters: [
        {
          cluster: 'sandbox',
          mode: 'watch',
          synced: true,
          stale: false,
          outdated: false,
        },
      ],
    };
    expect(tierSignals({ value }, undefined).chips[0]).toMatchObject({
      label: 'Tier 4 · no workload found',
      state: 'unknown',
    });
  });
});

describe('podSignals', () => {
  it('counts ready pods of the desired replicas and their restarts', () => {
    const [chip] = podSignals({
      value: kubernetesObjects({
        replicas: 2,
        pods: [pod({ ready: true, restarts: 1 }), pod({ ready: true })],
      }),
    }).chips;
    expect([chip.label, chip.state]).toEqual(['2/2 ready · 1 restart', 'ok']);
  });

  it('is failing when a container crash-loops', () => {
    const [chip] = podSignals({
      value: kubernetesObjects({
        replicas: 2,
        pods: [
          pod({ ready: false, restarts: 4, waiting: 'CrashLoopBackOff' }),
          pod({ ready: true }),
        ],
      }),
    }).chips;
    expect([chip.label, chip.state]).toEqual([
      '1/2 ready · 4 restarts',
      'error',
    ]);
    expect(chip.detail).toBe('containers waiting: CrashLoopBackOff');
  });

  it('warns when fewer pods are ready than desired', () => {
    const [chip] = podSignals({
      value: kubernetesObjects({
        replicas: 3,
        pods: [pod({ ready: true }), pod({ ready: false })],
      }),
    }).chips;
    expect([chip.label, chip.state]).toEqual([
      '1/3 ready · 0 restarts',
      'warning',
    ]);
  });

  it('names a cluster the Kubernetes backend could not reach', () => {
    const value: ObjectsByEntityResponse = {
      items: [
        {
          cluster: { name: 'sandbox' },
          resources: [],
          podMetrics: [],
          errors: [
            {
              errorType: 'FETCH_ERROR',
              message: 'request to http://127.0.0.1:7100/api/v1/pods failed',
            },
          ],
        },
      ],
    };
    const signals = podSignals({ value });
    expect(signals.chips[0]).toMatchObject({
      label: 'cluster unreachable',
      state: 'unknown',
    });
    expect(signals.unreachable).toEqual([
      {
        name: 'cluster "sandbox"',
        via: 'Kubernetes',
        reason: 'request to http://127.0.0.1:7100/api/v1/pods failed',
      },
    ]);
  });
});

describe('entityGlance', () => {
  it('is as bad as the worst chip that counts', () => {
    const glance = entityGlance('component:default/checkout-api', [
      argoCdSignals({
        value: history({
          applications: [{ name: 'a', sync: 'Synced', health: 'Degraded' }],
        }),
      }),
      tierSignals({ value: entityTier() }, { value: summary('Green') }),
    ]);
    expect([glance.state, glance.headline]).toEqual(['error', 'Degraded']);
  });

  it('lets an unknown chip beat a good one, but not a cluster state', () => {
    const glance = entityGlance('component:default/x', [
      argoCdSignals({ value: history() }),
      tierSignals({ value: entityTier() }, { value: summary('Red') }),
    ]);
    expect(glance.headline).toBe('Healthy');
    const unknown = entityGlance('component:default/x', [
      argoCdSignals({ value: history() }),
      podSignals({ error: new Error('403') }),
    ]);
    expect(unknown.headline).toBe('Unknown');
  });

  it('is Unknown without any signal', () => {
    expect(entityGlance('component:default/x', []).headline).toBe('Unknown');
  });

  it('sorts worst first', () => {
    const glances = [
      entityGlance('component:default/b', [
        argoCdSignals({ value: history() }),
      ]),
      entityGlance('component:default/a', [
        podSignals({ error: new Error('403') }),
      ]),
      entityGlance('component:default/c', [
        argoCdSignals({
          value: history({
            applications: [{ name: 'c', sync: 'Synced', health: 'Degraded' }],
          }),
        }),
      ]),
    ];
    expect(glances.sort(worstFirst).map(g => g.entityRef)).toEqual([
      'component:default/c',
      'component:default/a',
      'component:default/b',
    ]);
  });
});
