import {
  judgeFreshness,
  worstFreshness,
  type ReflectorState,
} from './freshness';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
const INTERVAL_MS = 5_000;

const state = (overrides: Partial<ReflectorState>): ReflectorState => ({
  mode: 'watch',
  synced: true,
  watching: false,
  startedAt: at(0),
  ...overrides,
});

describe('judgeFreshness', () => {
  it('calls an open watch current now, however long ago its last event was', () => {
    expect(
      judgeFreshness(
        'c',
        state({ watching: true, lastCurrent: at(1) }),
        at(50),
        INTERVAL_MS,
      ),
    ).toEqual({
      cluster: 'c',
      mode: 'watch',
      synced: true,
      lastSuccess: at(50),
      ageSeconds: 0,
      stale: false,
      outdated: false,
    });
  });

  it('ages a closed watch from the drop: outdated only after more than two intervals', () => {
    const dropped = state({ lastCurrent: at(10) });
    expect(judgeFreshness('c', dropped, at(20), INTERVAL_MS)).toMatchObject({
      ageSeconds: 10,
      stale: false,
      outdated: false,
    });
    expect(judgeFreshness('c', dropped, at(21), INTERVAL_MS)).toMatchObject({
      ageSeconds: 11,
      stale: true,
      outdated: true,
      error: { message: 'no answer from cluster c for 11 s (interval 5 s)' },
    });
  });

  it('keeps the failure that made the data stale, and judges a never-synced kind from its start', () => {
    const error = {
      message: 'cluster c is unreachable: ECONNREFUSED',
      at: at(3),
    };
    expect(
      judgeFreshness(
        'c',
        state({ synced: false, mode: 'starting', error }),
        at(4),
        INTERVAL_MS,
      ),
    ).toEqual({
      cluster: 'c',
      mode: 'starting',
      synced: false,
      stale: true,
      outdated: false,
      error,
    });
    expect(
      judgeFreshness(
        'c',
        state({ synced: false, mode: 'starting' }),
        at(11),
        INTERVAL_MS,
      ).outdated,
    ).toBe(true);
  });

  it('calls a kind the cluster does not serve current while discovery answers', () => {
    const notServed = state({
      mode: 'not-served',
      lastCurrent: at(0),
      note: 'cluster c does not serve openreports.io/v1alpha1 reports',
    });
    expect(judgeFreshness('c', notServed, at(600), INTERVAL_MS)).toMatchObject({
      stale: false,
      outdated: false,
      ageSeconds: 0,
    });
  });
});

describe('worstFreshness', () => {
  it('takes the worst of every kind: least live mode, oldest success, any stale or outdated', () => {
    const watching = judgeFreshness(
      'c',
      state({ watching: true }),
      at(30),
      INTERVAL_MS,
    );
    const polling = judgeFreshness(
      'c',
      state({
        mode: 'poll',
        lastCurrent: at(25),
        note: 'watch refused (403): polling every 5 s',
      }),
      at(30),
      INTERVAL_MS,
    );
    const notServed = judgeFreshness(
      'c',
      state({ mode: 'not-served' }),
      at(30),
      INTERVAL_MS,
    );
    expect(worstFreshness('c', [watching, polling, notServed])).toEqual({
      cluster: 'c',
      mode: 'poll',
      synced: true,
      lastSuccess: at(25),
      ageSeconds: 5,
      stale: false,
      outdated: false,
      note: 'watch refused (403): polling every 5 s',
    });
    const dropped = judgeFreshness(
      'c',
      state({ lastCurrent: at(10) }),
      at(30),
      INTERVAL_MS,
    );
    expect(worstFreshness('c', [watching, dropped])).toMatchObject({
      mode: 'watch',
      stale: true,
      outdated: true,
      lastSuccess: at(10),
      ageSeconds: 20,
    });
  });

  it('says nothing is known of a cluster no kind is registered for', () => {
    expect(worstFreshness('c', [])).toEqual({
      cluster: 'c',
      mode: 'starting',
      synced: false,
      stale: false,
      outdated: false,
    });
  });
});
