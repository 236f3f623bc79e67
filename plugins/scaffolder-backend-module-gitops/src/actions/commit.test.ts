import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { runGit } from '@internal/gitops-repo';
import {
  createSeededRemote,
  remoteHead,
  testDeps,
  userEntity,
} from '../testing/remote';
import { createGitopsCommitAction } from './commit';

const catalog = catalogServiceMock({
  entities: [
    userEntity('alice', ['team-a']),
    userEntity('bob', ['team-b']),
    userEntity('root', ['platform-team']),
  ],
});

function setup(remote: string, extra: Record<string, unknown> = {}) {
  return createGitopsCommitAction(
    testDeps(
      {
        remote,
        browseUrlTemplate: 'https://git.example/{sha}/{path}',
        ...extra,
      },
      catalog,
    ),
  );
}

function context(
  workspacePath: string,
  input: Record<string, unknown>,
  user = 'alice',
  taskId = 'task-1',
) {
  const ctx = createMockActionContext({
    workspacePath,
    input: input as any,
    user: { ref: `user:default/${user}` },
    task: { id: taskId },
    templateInfo: {
      baseUrl: 'file:///t',
      entityRef: 'template:default/onboard-team',
      entity: { metadata: { name: 'onboard-team' } },
    },
  });
  ctx.getInitiatorCredentials = async () =>
    mockCredentials.user(`user:default/${user}`);
  return ctx;
}

function writeRendered(ws: string, rel: string, files: Record<string, string>) {
  for (const [f, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, rel, f)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel, f), c);
  }
}

describe('gitops:commit', () => {
  let r: Awaited<ReturnType<typeof createSeededRemote>>;
  let ws: string;
  beforeEach(async () => {
    r = await createSeededRemote();
    ws = path.join(r.root, 'ws');
    fs.mkdirSync(ws);
  });
  afterEach(() => r.cleanup());

  it('commits as the catalog user, only under the target path, and outputs sha and url', async () => {
    writeRendered(ws, 'K8s/apps/team-a/web', { 'a.yaml': 'a: 1\n' });
    const ctx = context(ws, {
      path: 'K8s/apps/team-a/web',
      message: 'Add web',
    });
    await setup(r.remote).handler(ctx);
    const sha = await remoteHead(r.remote);
    expect(ctx.output).toHaveBeenCalledWith('commitSha', sha);
    expect(ctx.output).toHaveBeenCalledWith(
      'browseUrl',
      `https://git.example/${sha}/K8s/apps/team-a/web`,
    );
    const log = await runGit([
      '--git-dir',
      r.remote,
      'log',
      '-1',
      '--format=%an <%ae>%n%B',
      'main',
    ]);
    expect(log).toContain('alice Display <alice@example.com>');
    expect(log).toContain('Template: onboard-team');
    expect(log).toContain('Entity: web');
    const files = await runGit([
      '--git-dir',
      r.remote,
      'show',
      '--name-only',
      '--format=',
      'main',
    ]);
    expect(files.trim()).toBe('K8s/apps/team-a/web/a.yaml');
    // the task's one checkout (removed with the workspace) is at the pushed commit
    expect(fs.readdirSync(ws).filter(f => f.startsWith('.gitops'))).toEqual([
      '.gitops-checkout',
    ]);
    expect(
      (
        await runGit(['rev-parse', 'HEAD'], {
          cwd: path.join(ws, '.gitops-checkout'),
        })
      ).trim(),
    ).toBe(sha);
  });

  it('refuses an existing target unless allowUpdate', async () => {
    writeRendered(ws, 'K8s/apps/team-a/web', { 'a.yaml': 'a: 1\n' });
    await setup(r.remote).handler(
      context(ws, { path: 'K8s/apps/team-a/web', message: 'one' }),
    );
    const head = await remoteHead(r.remote);
    await expect(
      setup(r.remote).handler(
        context(
          ws,
          { path: 'K8s/apps/team-a/web', message: 'two' },
          'alice',
          't2',
        ),
      ),
    ).rejects.toThrow(/already exists/);
    expect(await remoteHead(r.remote)).toBe(head);
    writeRendered(ws, 'K8s/apps/team-a/web', { 'a.yaml': 'a: 2\n' });
    await setup(r.remote).handler(
      context(
        ws,
        { path: 'K8s/apps/team-a/web', message: 'two', allowUpdate: true },
        'alice',
        't3',
      ),
    );
    expect(await remoteHead(r.remote)).not.toBe(head);
  });

  it.each([
    ['../escape'],
    ['K8s/apps/team-a/../../policies'],
    ['/etc'],
    ['K8s/.git/x'],
    ['K8s//apps'],
  ])('refuses path %s with nothing committed', async p => {
    const head = await remoteHead(r.remote);
    await expect(
      setup(r.remote).handler(context(ws, { path: p, message: 'x' })),
    ).rejects.toThrow(/relative path/);
    expect(await remoteHead(r.remote)).toBe(head);
  });

  it('refuses a user who is not in the target team', async () => {
    writeRendered(ws, 'K8s/apps/team-b/api', { 'a.yaml': 'a: 1\n' });
    const head = await remoteHead(r.remote);
    await expect(
      setup(r.remote).handler(
        context(ws, { path: 'K8s/apps/team-b/api', message: 'x' }),
      ),
    ).rejects.toThrow(/not a member of team 'team-b'/);
    expect(await remoteHead(r.remote)).toBe(head);
    // platform-team may
    await setup(r.remote).handler(
      context(ws, { path: 'K8s/apps/team-b/api', message: 'x' }, 'root'),
    );
    expect(await remoteHead(r.remote)).not.toBe(head);
  });

  it('lets only platform-team onboard unless selfServiceOnboarding', async () => {
    writeRendered(ws, 'K8s/teams/team-new', { 'a.yaml': 'a: 1\n' });
    const input = { path: 'K8s/teams/team-new', message: 'x' };
    await expect(setup(r.remote).handler(context(ws, input))).rejects.toThrow(
      /requires membership of group:default\/platform-team/,
    );
    await setup(r.remote, { selfServiceOnboarding: true }).handler(
      context(ws, input),
    );
    expect(
      await runGit([
        '--git-dir',
        r.remote,
        'ls-tree',
        '--name-only',
        'main',
        'K8s/teams/',
      ]),
    ).toContain('team-new');
  });

  it('fails with the git error when the remote is down and leaves it untouched', async () => {
    writeRendered(ws, 'K8s/apps/team-a/web', { 'a.yaml': 'a: 1\n' });
    const head = await remoteHead(r.remote);
    const moved = `${r.remote}.down`;
    fs.renameSync(r.remote, moved);
    await expect(
      setup(r.remote).handler(
        context(ws, { path: 'K8s/apps/team-a/web', message: 'x' }),
      ),
    ).rejects.toThrow(
      /git .*clone.* failed.*(does not appear|not exist|not found)/s,
    );
    fs.renameSync(moved, r.remote);
    expect(await remoteHead(r.remote)).toBe(head);
  });

  it('does not commit twice when a task is retried (checkpoint)', async () => {
    writeRendered(ws, 'K8s/apps/team-a/web', { 'a.yaml': 'a: 1\n' });
    const store = new Map<string, unknown>();
    const action = setup(r.remote);
    const run = async () => {
      const ctx = context(ws, { path: 'K8s/apps/team-a/web', message: 'x' });
      ctx.checkpoint = (async ({ key, fn }: any) => {
        if (!store.has(key)) store.set(key, await fn());
        return store.get(key);
      }) as any;
      await action.handler(ctx);
      return ctx;
    };
    await run();
    const head = await remoteHead(r.remote);
    const retried = await run();
    expect(await remoteHead(r.remote)).toBe(head);
    expect(retried.output).toHaveBeenCalledWith('commitSha', head);
    const count = await runGit([
      '--git-dir',
      r.remote,
      'rev-list',
      '--count',
      'main',
    ]);
    expect(count.trim()).toBe('2');
  });

  it('lands 20 concurrent commits for 20 teams, none lost, fsck clean', async () => {
    const action = setup(r.remote, { selfServiceOnboarding: true });
    const before = Number(
      (
        await runGit(['--git-dir', r.remote, 'rev-list', '--count', 'main'])
      ).trim(),
    );
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const w = path.join(r.root, `ws${i}`);
        writeRendered(w, `K8s/teams/team-${i}`, {
          'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: team-${i}\n`,
        });
        await action.handler(
          context(
            w,
            { path: `K8s/teams/team-${i}`, message: `Onboard team-${i}` },
            'alice',
            `t${i}`,
          ),
        );
      }),
    );
    const count = Number(
      (
        await runGit(['--git-dir', r.remote, 'rev-list', '--count', 'main'])
      ).trim(),
    );
    expect(count - before).toBe(20);
    const teams = await runGit([
      '--git-dir',
      r.remote,
      'ls-tree',
      '--name-only',
      'main',
      'K8s/teams/',
    ]);
    for (let i = 0; i < 20; i++)
      expect(teams).toContain(`K8s/teams/team-${i}\n`);
    await runGit(['--git-dir', r.remote, 'fsck', '--strict']);
  }, 120_000);
});
