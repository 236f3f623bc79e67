import {
  durationMs,
  firstLine,
  formatAbsolute,
  formatDuration,
  formatRelative,
  revisionOf,
  shortSha,
  toDeployments,
  type ArgoCDApplication,
  type ArgoCDHistoryEntry,
} from './deploymentHistory';

const SHA_1 = '0123456789abcdef0123456789abcdef01234567';
const SHA_2 = 'fedcba9876543210fedcba9876543210fedcba98';

const entry = (
  id: number,
  revision: string,
  deployStartedAt: string,
  deployedAt: string,
): ArgoCDHistoryEntry => ({ id, revision, deployStartedAt, deployedAt });

const app = (
  name: string,
  history: ArgoCDHistoryEntry[],
  instance?: string,
): ArgoCDApplication => ({
  metadata: {
    name,
    namespace: 'argocd',
    instance: instance ? { name: instance, url: undefined } : undefined,
  },
  status: {
    sync: { status: 'Synced' },
    health: { status: 'Healthy' },
    operationState: undefined,
    history,
  },
});

describe('durationMs', () => {
  it('is deployedAt minus deployStartedAt, never negative', () => {
    expect(durationMs('2025-03-12T14:00:00Z', '2025-03-12T14:01:05Z')).toBe(
      65_000,
    );
    expect(
      durationMs('2025-03-12T14:01:05Z', '2025-03-12T14:00:00Z'),
    ).toBeUndefined();
  });

  it('is unknown without both times', () => {
    expect(durationMs(undefined, '2025-03-12T14:01:05Z')).toBeUndefined();
    expect(durationMs('2025-03-12T14:00:00Z', undefined)).toBeUndefined();
    expect(durationMs('not a date', '2025-03-12T14:00:00Z')).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [12_000, '12 s'],
    [12_400, '12 s'],
    [60_000, '1 min'],
    [65_000, '1 min 5 s'],
    [3_600_000, '1 h'],
    [3_780_000, '1 h 3 min'],
  ])('%d ms is %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('shortSha', () => {
  it('keeps 7 characters of a commit SHA', () => {
    expect(shortSha(SHA_1)).toBe('0123456');
  });

  it('leaves a chart version alone', () => {
    expect(shortSha('1.2.3')).toBe('1.2.3');
  });
});

describe('firstLine', () => {
  it("is a commit message's subject", () => {
    expect(firstLine('Fix the thing\n\nLonger explanation')).toBe(
      'Fix the thing',
    );
    expect(firstLine('\n  Only line  \r\nmore')).toBe('Only line');
    expect(firstLine(undefined)).toBeUndefined();
    expect(firstLine('  ')).toBeUndefined();
  });
});

describe('revisionOf', () => {
  it('reads a single source, the first of several, or a revision object', () => {
    expect(revisionOf(entry(1, SHA_1, '', ''))).toBe(SHA_1);
    expect(
      revisionOf({ ...entry(1, '', '', ''), revisions: [SHA_2, SHA_1] }),
    ).toBe(SHA_2);
    expect(
      revisionOf({
        id: 1,
        revision: {
          revisionID: 7,
          author: undefined,
          date: undefined,
          message: undefined,
        },
        deployStartedAt: undefined,
        deployedAt: undefined,
      }),
    ).toBe('7');
  });
});

describe('toDeployments', () => {
  const older = entry(1, SHA_1, '2025-03-10T10:00:00Z', '2025-03-10T10:00:12Z');
  const newer = entry(2, SHA_2, '2025-03-12T14:00:00Z', '2025-03-12T14:01:05Z');

  it('orders newest first and marks only the newest as current', () => {
    const deployments = toDeployments([app('web', [older, newer])]);
    expect(deployments.map(d => [d.revision, d.current])).toEqual([
      [SHA_2, true],
      [SHA_1, false],
    ]);
    expect(deployments[0]).toMatchObject({
      app: 'web',
      appNamespace: 'argocd',
      deployStartedAt: '2025-03-12T14:00:00Z',
      deployedAt: '2025-03-12T14:01:05Z',
    });
  });

  it('keeps revisionsToLoad entries per application, all when not positive', () => {
    const history = [older, newer];
    expect(toDeployments([app('web', history)], 1)).toHaveLength(1);
    expect(toDeployments([app('web', history)], 1)[0].revision).toBe(SHA_2);
    expect(toDeployments([app('web', history)], -1)).toHaveLength(2);
    expect(toDeployments([app('web', history)], undefined)).toHaveLength(2);
  });

  it('merges applications newest first, each with its own current entry', () => {
    const api = entry(5, SHA_1, '2025-03-11T09:00:00Z', '2025-03-11T09:00:30Z');
    const deployments = toDeployments([
      app('web', [older, newer], 'prod'),
      app('api', [api], 'staging'),
    ]);
    expect(deployments.map(d => [d.app, d.instance, d.current])).toEqual([
      ['web', 'prod', true],
      ['api', 'staging', true],
      ['web', 'prod', false],
    ]);
    expect(new Set(deployments.map(d => d.key)).size).toBe(3);
  });

  it('orders by history id when deploy times are missing', () => {
    const deployments = toDeployments([
      app('web', [
        { ...older, deployedAt: undefined },
        { ...newer, deployedAt: undefined },
      ]),
    ]);
    expect(deployments.map(d => d.revision)).toEqual([SHA_2, SHA_1]);
  });

  it('recognises a Helm chart source', () => {
    const [chart] = toDeployments([
      app('cert-manager', [
        { ...entry(1, '1.14.4', '', ''), source: { chart: 'cert-manager' } },
      ]),
    ]);
    expect(chart).toMatchObject({ chart: 'cert-manager', revision: '1.14.4' });
  });

  it('is empty without history', () => {
    expect(toDeployments([app('web', [])])).toEqual([]);
  });
});

describe('formatRelative', () => {
  const now = new Date('2025-03-12T14:00:00Z');
  it.each([
    ['2025-03-12T13:59:30Z', '30 seconds ago'],
    ['2025-03-12T13:55:00Z', '5 minutes ago'],
    ['2025-03-12T11:00:00Z', '3 hours ago'],
    ['2025-03-11T12:00:00Z', 'yesterday'],
  ])('%s is %s', (iso, expected) => {
    expect(formatRelative(iso, now)).toBe(expected);
  });
});

describe('formatAbsolute', () => {
  it('shows day, month, year and time', () => {
    expect(formatAbsolute('2025-03-12T14:03:00Z', 'UTC')).toBe(
      '12 Mar 2025, 14:03',
    );
  });
});
