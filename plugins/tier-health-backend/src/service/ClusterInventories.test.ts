import type { ClusterFreshness } from '@internal/cluster-client';
import { worstFreshness } from './ClusterInventories';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
const kind = (overrides: Partial<ClusterFreshness>): ClusterFreshness => ({
  cluster: 'c',
  mode: 'watch',
  synced: true,
  lastSuccess: at(30),
  ageSeconds: 0,
  stale: false,
  outdated: false,
  ...overrides,
});

describe('worstFreshness', () => {
  it('is as current as the kinds when they all are', () => {
    expect(worstFreshness('c', [kind({}), kind({})])).toMatchObject({
      cluster: 'c',
      mode: 'watch',
      synced: true,
      lastSuccess: at(30),
      stale: false,
      outdated: false,
    });
  });

  it('takes the oldest data, any failure and the least live mode', () => {
    const error = { message: 'cluster c refused pods', at: at(40) };
    const worst = worstFreshness('c', [
      kind({}),
      kind({
        mode: 'poll',
        lastSuccess: at(10),
        ageSeconds: 30,
        stale: true,
        outdated: true,
        error,
        note: 'watch refused (403): polling every 10 s',
      }),
    ]);
    expect(worst).toMatchObject({
      mode: 'poll',
      lastSuccess: at(10),
      ageSeconds: 30,
      stale: true,
      outdated: true,
      error,
      note: 'watch refused (403): polling every 10 s',
    });
  });

  it('has no data until every kind has been listed', () => {
    const worst = worstFreshness('c', [
      kind({}),
      kind({ mode: 'starting', synced: false, lastSuccess: undefined }),
    ]);
    expect(worst).toMatchObject({ mode: 'starting', synced: false });
    expect(worst.lastSuccess).toBeUndefined();
    expect(worst.ageSeconds).toBeUndefined();
  });
});
