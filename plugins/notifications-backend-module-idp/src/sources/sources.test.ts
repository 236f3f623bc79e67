import type { Entity } from '@backstage/catalog-model';
import type {
  EntityPolicyResultsResponse,
  PolicyResult,
} from '@internal/plugin-policy-reports-common';
import type { SummaryResponse } from '@internal/plugin-tier-health-common';
import { decide, teamTag, teamTags } from '../signals';
import {
  applicationCondition,
  ArgoCdSignalSource,
  componentsOfApplication,
} from './argoCdSource';
import type { OwnedComponent } from './components';
import { policySignalsOfComponent } from './policySource';
import { ScaffolderTaskSignalSource, taskSignal } from './scaffolderTaskSource';
import { TierStateSignalSource } from './tierStateSource';

function component(
  name: string,
  annotations: Record<string, string>,
): OwnedComponent {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { owner: 'team-storefront' },
  };
  return { entity, ownerRef: 'group:default/team-storefront' };
}

function app(name: string, health: string, sync: string, labels = {}) {
  return {
    metadata: { name, labels },
    status: {
      health: { status: health },
      sync: { status: sync, revision: 'abcdef0123' },
    },
  };
}

describe('teamTag', () => {
  it("names a team so that searching one team's tag never finds another's", () => {
    const tags = teamTags(['group:default/team-a', 'group:default/team-ab']);
    expect(tags).toBe(
      '(team group:default/team-a) (team group:default/team-ab)',
    );
    expect(
      `x ${teamTag('group:default/team-ab')}`.includes(
        teamTag('group:default/team-a'),
      ),
    ).toBe(false);
  });
});

describe('decide', () => {
  const unhealthy = { healthy: false, graceMs: 1000 };
  it('waits for the grace time, then sends once', () => {
    expect(
      decide({ key: 'k', condition: 'Degraded', since: 0 }, unhealthy, 999),
    ).toBe('none');
    expect(
      decide({ key: 'k', condition: 'Degraded', since: 0 }, unhealthy, 1000),
    ).toBe('send');
    expect(
      decide(
        { key: 'k', condition: 'Degraded', since: 0, notified: 'Degraded' },
        unhealthy,
        5000,
      ),
    ).toBe('none');
  });
  it('records a healthy first sighting silently and sends a recovery after a problem', () => {
    const healthy = { healthy: true, graceMs: 0 };
    expect(decide({ key: 'k', condition: 'ok', since: 0 }, healthy, 0)).toBe(
      'record',
    );
    expect(
      decide(
        { key: 'k', condition: 'ok', since: 0, notified: 'Degraded' },
        healthy,
        0,
      ),
    ).toBe('send');
  });
});

describe('ArgoCD signals', () => {
  it('maps health and sync to the tracked condition', () => {
    expect(applicationCondition(app('a', 'Degraded', 'OutOfSync'))).toBe(
      'Degraded',
    );
    expect(applicationCondition(app('a', 'Healthy', 'OutOfSync'))).toBe(
      'OutOfSync',
    );
    expect(applicationCondition(app('a', 'Healthy', 'Synced'))).toBe('ok');
    expect(
      applicationCondition(app('a', 'Progressing', 'Synced')),
    ).toBeUndefined();
  });

  it('finds the named component first, then selector matches; a bad selector matches nothing', () => {
    const stack = component('stack', {
      'argocd/app-selector': 'idp.platform/stack=apps',
    });
    const shop = component('shop', {
      'argocd/app-name': 'team-storefront-shop',
    });
    const broken = component('broken', { 'argocd/app-selector': 'a in (' });
    const found = componentsOfApplication(
      app('team-storefront-shop', 'Healthy', 'Synced', {
        'idp.platform/stack': 'apps',
      }),
      [stack, broken, shop],
    );
    expect(found.map(c => c.entity.metadata.name)).toEqual(['shop', 'stack']);
  });

  it('reports owned Applications with a link to the ArgoCD tab', async () => {
    const source = new ArgoCdSignalSource({
      instances: [{ name: 'sandbox', url: 'http://argocd' }],
      client: {
        list: async () => [
          app('team-storefront-shop', 'Degraded', 'Synced'),
          app('unowned', 'Degraded', 'Synced'),
        ],
      },
      components: async () => [
        component('shop', { 'argocd/app-name': 'team-storefront-shop' }),
      ],
      graceMs: 120_000,
    });
    const [signal, ...rest] = await source.collect();
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({
      key: 'argocd:sandbox:team-storefront-shop',
      condition: 'Degraded',
      healthy: false,
      graceMs: 120_000,
      recipients: {
        type: 'entity',
        entityRef: ['group:default/team-storefront'],
      },
      payload: {
        title: 'Application team-storefront-shop is Degraded',
        link: '/catalog/default/component/shop/argocd',
        severity: 'high',
        topic: 'argocd-application',
      },
    });
    expect(signal.payload.description).toContain('abcdef0');
    // the notifications page filters by team on this tag
    expect(signal.payload.description).toMatch(
      /\(team group:default\/team-storefront\)$/,
    );
  });
});

describe('policy signals', () => {
  const shop = component('shop', { 'backstage.io/kubernetes-id': 'shop' });
  const result = (
    policy: string,
    severity: string,
    pod: string,
  ): PolicyResult =>
    ({
      cluster: 'sandbox',
      policy,
      rule: 'r',
      result: 'fail',
      severity,
      category: '',
      message: `${policy} failed`,
      timestamp: '',
      resource: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: pod,
        namespace: 'team-storefront',
      },
      owner: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'shop',
        namespace: 'team-storefront',
      },
      reportApiGroup: 'wgpolicyk8s.io',
    } as PolicyResult);
  const response = (results: PolicyResult[], policies: string[]) =>
    ({
      resources: [
        {
          cluster: 'sandbox',
          resource: results[0]?.resource,
          summary: {},
          results,
        },
      ],
      facets: { policies, categories: [], clusters: ['sandbox'] },
    } as unknown as EntityPolicyResultsResponse);

  it('gives one signal per policy with the count, not one per pod', () => {
    const signals = policySignalsOfComponent(
      shop,
      response(
        [
          result('disallow-privileged', 'high', 'shop-1'),
          result('disallow-privileged', 'high', 'shop-2'),
          result('require-labels', 'medium', 'shop-1'),
        ],
        ['disallow-privileged', 'require-labels'],
      ),
    );
    expect(signals.map(s => [s.key, s.condition])).toEqual([
      ['policy:component:default/shop:disallow-privileged', 'failing'],
      ['policy:component:default/shop:require-labels', 'ok'],
    ]);
    expect(signals[0].payload).toMatchObject({
      title: 'Policy disallow-privileged fails on shop (2 results, high)',
      description:
        'component:default/shop: Deployment shop. disallow-privileged failed (team group:default/team-storefront)',
      link: '/catalog/default/component/shop/policies',
      severity: 'high',
    });
  });
});

describe('tier state signals', () => {
  const summary = (state: string | undefined, stale = false) =>
    ({
      clusters: [
        {
          cluster: 'sandbox',
          state,
          stale,
          reasons: [
            { state, code: 'node-lost', message: 'worker-1 is NotReady' },
          ],
          tiers: [],
          components: [],
        },
      ],
    } as unknown as SummaryResponse);

  it('broadcasts the state with a severity by state', async () => {
    const [signal] = await new TierStateSignalSource(async () =>
      summary('Red'),
    ).collect();
    expect(signal).toMatchObject({
      key: 'tier:sandbox',
      condition: 'Red',
      healthy: false,
      recipients: { type: 'broadcast' },
      payload: {
        title: 'Cluster sandbox is Red',
        severity: 'critical',
        description: 'worker-1 is NotReady',
      },
    });
  });

  it('warns on Yellow and reports Green as good news', async () => {
    const [yellow] = await new TierStateSignalSource(async () =>
      summary('Yellow'),
    ).collect();
    expect(yellow.payload.severity).toBe('high');
    const [green] = await new TierStateSignalSource(async () =>
      summary('Green'),
    ).collect();
    expect(green.payload.severity).toBe('normal');
  });

  it('says nothing about a cluster whose state is unknown or stale', async () => {
    expect(
      await new TierStateSignalSource(async () => summary(undefined)).collect(),
    ).toEqual([]);
    expect(
      await new TierStateSignalSource(async () => summary('Unknown')).collect(),
    ).toEqual([]);
    expect(
      await new TierStateSignalSource(async () =>
        summary('Green', true),
      ).collect(),
    ).toEqual([]);
  });
});

describe('scaffolder task signals', () => {
  const task = (status: string, heartbeat: string) => ({
    id: 't1',
    status,
    createdBy: 'user:default/guest',
    lastHeartbeatAt: heartbeat,
    spec: {
      templateInfo: {
        entityRef: 'template:default/new-service',
        entity: { metadata: { title: 'New service' } },
      },
    },
  });

  it('tells the person who ran it the link of a success and the reason of a failure', () => {
    expect(
      taskSignal(task('completed', ''), [
        { type: 'log', body: { message: 'x' } },
        {
          type: 'completion',
          body: {
            output: {
              links: [
                { title: 'Commit', url: 'https://git.example.com/c/abc' },
              ],
            },
          },
        },
      ]),
    ).toMatchObject({
      key: 'scaffolder-task:t1',
      event: true,
      recipients: { type: 'entity', entityRef: 'user:default/guest' },
      payload: {
        title: 'New service finished',
        link: 'https://git.example.com/c/abc',
        severity: 'low',
        topic: 'scaffolder-task',
      },
    });
    expect(
      taskSignal(task('failed', ''), [
        {
          type: 'completion',
          body: {
            message: 'Run failed',
            error: { message: 'team-x does not exist' },
          },
        },
      ])?.payload,
    ).toMatchObject({
      title: 'New service failed',
      description: 'team-x does not exist',
      link: '/create/tasks/t1',
      severity: 'high',
    });
    // locally the commit has no browse URL: the text says what was committed, the link opens it
    expect(
      taskSignal(task('completed', ''), [
        {
          type: 'completion',
          body: {
            output: {
              links: [
                { title: 'Commit' },
                { title: 'Open', entityRef: 'component:default/shop' },
              ],
              text: [
                {
                  title: 'Next',
                  content: 'K8s/apps/t/shop was committed as abc.',
                },
              ],
            },
          },
        },
      ])?.payload,
    ).toMatchObject({
      description: 'K8s/apps/t/shop was committed as abc.',
      link: '/catalog/default/component/shop',
    });
    expect(taskSignal(task('processing', ''), [])).toBeUndefined();
  });

  it('only reports tasks that finished within the window', async () => {
    const source = new ScaffolderTaskSignalSource({
      listFinished: async () => [
        task('completed', '2026-12-01T10:00:00Z'),
        { ...task('failed', '2026-12-01T09:00:00Z'), id: 'old' },
      ],
      events: async () => [],
      windowMs: 10 * 60_000,
      now: () => Date.parse('2026-12-01T10:05:00Z'),
    });
    expect((await source.collect()).map(s => s.key)).toEqual([
      'scaffolder-task:t1',
    ]);
  });

  it('sends an event once, healthy or not', () => {
    const signal = { healthy: true, graceMs: 0, event: true };
    expect(
      decide({ key: 'k', condition: 'completed', since: 0 }, signal, 0),
    ).toBe('send');
    expect(
      decide(
        { key: 'k', condition: 'completed', since: 0, notified: 'completed' },
        signal,
        0,
      ),
    ).toBe('none');
  });
});
