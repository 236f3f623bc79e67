import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import knexFactory, { type Knex } from 'knex';
import { NotificationDetector } from './NotificationDetector';
import { NotifiedStateStore } from './NotifiedStateStore';
import type { SignalSource, WatchedSignal } from './signals';

/** One Application whose condition the test sets, as the ArgoCD source would report it. */
class ScriptedSource implements SignalSource {
  readonly name = 'scripted';
  condition = 'ok';
  graceMs = 120_000;

  async collect(): Promise<WatchedSignal[]> {
    return [
      {
        key: 'argocd:sandbox:team-storefront-shop',
        condition: this.condition,
        healthy: this.condition === 'ok',
        graceMs: this.graceMs,
        recipients: {
          type: 'entity',
          entityRef: 'group:default/team-storefront',
        },
        payload: {
          title: `shop is ${this.condition}`,
          topic: 'argocd-application',
        },
      },
    ];
  }
}

describe('NotificationDetector with two replicas on one SQLite database', () => {
  let dir: string;
  let clients: Knex[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'idp-notifications-'));
    // two connection pools to one database file: two backend replicas
    clients = [0, 1].map(() =>
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename: join(dir, 'notifications.sqlite') },
        useNullAsDefault: true,
      }),
    );
  });

  afterEach(async () => {
    await Promise.all(clients.map(c => c.destroy()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends one notification per event however many replicas detect it', async () => {
    const source = new ScriptedSource();
    const sent: NotificationSendOptions[] = [];
    let now = Date.parse('2026-12-01T10:00:00Z');
    const replicas = await Promise.all(
      clients.map(
        async client =>
          new NotificationDetector({
            store: await NotifiedStateStore.create(client),
            sources: [source],
            notifications: { send: async options => void sent.push(options) },
            logger: mockServices.logger.mock(),
            now: () => now,
          }),
      ),
    );
    const runBoth = () => Promise.all(replicas.map(r => r.run()));

    await runBoth(); // healthy first sighting: nothing to say
    source.condition = 'Degraded';
    await runBoth();
    now += 60_000;
    await runBoth(); // still within the grace time
    expect(sent).toHaveLength(0);

    now += 61_000;
    await runBoth();
    await runBoth();
    expect(sent.map(s => s.payload.title)).toEqual(['shop is Degraded']);
    expect(sent[0].payload.scope).toBe('argocd:sandbox:team-storefront-shop');
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: 'group:default/team-storefront',
    });

    source.condition = 'ok';
    await runBoth();
    await runBoth();
    expect(sent.map(s => s.payload.title)).toEqual([
      'shop is Degraded',
      'shop is ok',
    ]);
    // the recovery updates the same notification
    expect(sent[1].payload.scope).toBe(sent[0].payload.scope);
  });

  it('four replicas racing over many things send each transition exactly once', async () => {
    // two more connection pools to the same file: four replicas in all
    const more = [0, 1].map(() =>
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename: join(dir, 'notifications.sqlite') },
        useNullAsDefault: true,
      }),
    );
    clients.push(...more);
    const keys = Array.from(
      { length: 25 },
      (_, n) => `argocd:sandbox:app-${n}`,
    );
    let condition = 'ok';
    const source: SignalSource = {
      name: 'many',
      collect: async () =>
        keys.map(key => ({
          key,
          condition,
          healthy: condition === 'ok',
          graceMs: 0,
          recipients: { type: 'broadcast' as const },
          payload: { title: `${key} ${condition}` },
        })),
    };
    const sent: string[] = [];
    const replicas = await Promise.all(
      clients.map(
        async client =>
          new NotificationDetector({
            store: await NotifiedStateStore.create(client),
            sources: [source],
            notifications: {
              send: async options => void sent.push(options.payload.title),
            },
            logger: mockServices.logger.mock(),
            now: () => 0,
          }),
      ),
    );
    const runAll = () => Promise.all(replicas.map(r => r.run()));

    await runAll();
    condition = 'Degraded';
    await runAll();
    await runAll();
    condition = 'ok';
    await runAll();
    await runAll();
    expect([...sent].sort()).toEqual(
      [
        ...keys.map(key => `${key} Degraded`),
        ...keys.map(key => `${key} ok`),
      ].sort(),
    );
  });

  it('retries a transition whose notification could not be sent', async () => {
    const source = new ScriptedSource();
    source.condition = 'Degraded';
    let now = 0;
    let failing = true;
    const sent: string[] = [];
    const detector = new NotificationDetector({
      store: await NotifiedStateStore.create(clients[0]),
      sources: [source],
      notifications: {
        send: async options => {
          if (failing) throw new Error('notifications backend unavailable');
          sent.push(options.payload.title);
        },
      },
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    await detector.run();
    now = 130_000;
    expect((await detector.run()).sent).toEqual([]);
    failing = false;
    expect((await detector.run()).sent).toEqual([
      'argocd:sandbox:team-storefront-shop',
    ]);
    expect(sent).toEqual(['shop is Degraded']);
  });

  it('keeps running the other sources when one fails', async () => {
    const source = new ScriptedSource();
    source.condition = 'Degraded';
    source.graceMs = 0;
    const detector = new NotificationDetector({
      store: await NotifiedStateStore.create(clients[0]),
      sources: [
        {
          name: 'broken',
          collect: async () => {
            throw new Error('cluster unreachable');
          },
        },
        source,
      ],
      notifications: { send: async () => {} },
      logger: mockServices.logger.mock(),
      now: () => 0,
    });
    const first = await detector.run();
    expect(first.failedSources).toEqual(['broken']);
    expect(first.sent).toEqual(['argocd:sandbox:team-storefront-shop']);
  });
});
