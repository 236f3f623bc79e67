import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '../git';
import { createSeededBareRemote } from './bareRemote';
import { CommitRequest, GitRepository, WorkingCopy } from './GitRepository';
import { PushQueue } from './PushQueue';

const author = { name: 'Alice', email: 'alice@example.com' };

// real git against real bare remotes: seconds each on a busy two-core machine
jest.setTimeout(60_000);

describe('GitRepository', () => {
  let root: string;
  let remote: string;
  let seed: string;
  const bare = (...args: string[]) =>
    runGit(['--git-dir', remote, ...args]).then(s => s.trim());
  const write = (dir: string, files: Record<string, string>) => {
    for (const [f, c] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), c);
    }
    return dir;
  };
  /** Another writer (another backend process) commits straight to main. */
  async function pushFromElsewhere(files: Record<string, string>) {
    const other = fs.mkdtempSync(path.join(root, 'other-'));
    await runGit(['clone', '--quiet', remote, other]);
    write(other, files);
    await runGit(['add', '--all'], { cwd: other });
    await runGit(
      [
        '-c',
        'user.name=Bob',
        '-c',
        'user.email=bob@x',
        'commit',
        '-qm',
        'other',
      ],
      { cwd: other },
    );
    await runGit(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: other });
    return (await runGit(['rev-parse', 'HEAD'], { cwd: other })).trim();
  }

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-repository-'));
    remote = path.join(root, 'gitops.git');
    seed = write(path.join(root, 'seed'), { 'teams/README.md': '# teams\n' });
    await createSeededBareRemote({
      remotePath: remote,
      seedFrom: seed,
      author,
      message: 'seed',
    });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const repository = (
    extra: Partial<ConstructorParameters<typeof GitRepository>[0]> = {},
  ) => new GitRepository({ remote, branch: 'main', backoffMs: 5, ...extra });
  const rendered = (name: string, files: Record<string, string>) =>
    write(path.join(root, 'rendered', name), files);
  /** The task's commit in most tests: its files as K8s/teams/team-a. */
  const commitTeamA = (
    repo: GitRepository,
    wc: WorkingCopy,
    files: Record<string, string>,
    extra: Partial<CommitRequest> = {},
  ) =>
    repo.commitAndPush(wc, {
      targetPath: 'K8s/teams/team-a',
      sourceDir: rendered('a', files),
      message: 'x',
      author,
      ...extra,
    });

  it('clones a working copy once, reuses it, and commits as the user', async () => {
    const repo = repository();
    const wc = await repo.openWorkingCopy(path.join(root, 'ws/.gitops'));
    expect(wc.base).toBe(await bare('rev-parse', 'main'));
    // a later step of the same task gets the same clone and base, even after the remote moved
    await pushFromElsewhere({ 'K8s/other/a.yaml': 'a: 1\n' });
    const again = await repo.openWorkingCopy(wc.dir);
    expect(again).toEqual(wc);

    const result = await repo.commitAndPush(again, {
      targetPath: 'K8s/teams/team-a',
      sourceDir: rendered('a', { 'ns.yaml': 'kind: Namespace\n' }),
      message: 'Onboard team-a',
      author,
    });
    expect(result).toMatchObject({
      changed: true,
      rebases: 1,
      rejectedPushes: 0,
    });
    expect(await bare('rev-parse', 'main')).toBe(result.commitSha);
    expect(await bare('log', '-1', '--format=%an <%ae> %s', 'main')).toBe(
      'Alice <alice@example.com> Onboard team-a',
    );
    // rebased, not merged: the other writer's commit is the parent
    expect(await bare('rev-list', '--count', '--merges', 'main')).toBe('0');
  });

  it('an empty source directory removes the path: every file is committed as deleted', async () => {
    const repo = repository();
    await commitTeamA(
      repo,
      await repo.openWorkingCopy(path.join(root, 'ws1/.gitops')),
      { 'ns.yaml': 'kind: Namespace\n', 'docs/index.md': '# a\n' },
    );
    // decommission and offboard hand the commit an empty directory (allowUpdate)
    const empty = path.join(root, 'rendered', 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const result = await repo.commitAndPush(
      await repo.openWorkingCopy(path.join(root, 'ws2/.gitops')),
      {
        targetPath: 'K8s/teams/team-a',
        sourceDir: empty,
        message: 'Offboard team-a',
        author,
        allowUpdate: true,
      },
    );
    expect(result.changed).toBe(true);
    expect(
      (await bare('show', '--format=', '--name-status', 'main')).split('\n'),
    ).toEqual([
      'D\tK8s/teams/team-a/docs/index.md',
      'D\tK8s/teams/team-a/ns.yaml',
    ]);
    // only the path went: the rest of the directory above it stays
    expect(await bare('ls-tree', '--name-only', 'main', 'K8s/teams/')).toBe(
      'K8s/teams/README.md',
    );
  });

  it('rechecks after a rebase; a check that fails only then pushes nothing', async () => {
    const repo = repository();
    const wc = await repo.openWorkingCopy(path.join(root, 'ws/.gitops'));
    // another change adds a rule the task's files break; the task rendered before it existed
    const other = await pushFromElsewhere({ 'K8s/rules/no-foo': 'foo\n' });
    const recheck = jest.fn((dir: string) => {
      if (
        fs.existsSync(path.join(dir, 'K8s/rules/no-foo')) &&
        fs
          .readFileSync(path.join(dir, 'K8s/teams/team-a/x.yaml'), 'utf8')
          .includes('foo')
      ) {
        throw new Error('K8s/teams/team-a/x.yaml breaks rule no-foo');
      }
    });
    await expect(
      repo.commitAndPush(wc, {
        targetPath: 'K8s/teams/team-a',
        sourceDir: rendered('a', { 'x.yaml': 'foo: 1\n' }),
        message: 'x',
        author,
        recheck,
      }),
    ).rejects.toThrow('K8s/teams/team-a/x.yaml breaks rule no-foo');
    expect(recheck).toHaveBeenCalledTimes(1);
    expect(await bare('rev-parse', 'main')).toBe(other);
    // the working copy is back at its base, ready for another attempt
    expect((await runGit(['rev-parse', 'HEAD'], { cwd: wc.dir })).trim()).toBe(
      wc.base,
    );
    expect(fs.existsSync(path.join(wc.dir, 'K8s/teams/team-a'))).toBe(false);
  });

  it('names the path when another change created it meanwhile', async () => {
    const repo = repository();
    const wc = await repo.openWorkingCopy(path.join(root, 'ws/.gitops'));
    await pushFromElsewhere({ 'K8s/teams/team-a/ns.yaml': 'theirs\n' });
    const head = await bare('rev-parse', 'main');
    await expect(
      commitTeamA(repo, wc, { 'ns.yaml': 'mine\n' }),
    ).rejects.toThrow(
      /^K8s\/teams\/team-a was created in the GitOps repository by another change meanwhile/,
    );
    expect(await bare('rev-parse', 'main')).toBe(head);
  });

  it('names the conflicting file when an update conflicts with a change made meanwhile', async () => {
    await pushFromElsewhere({ 'K8s/teams/team-a/ns.yaml': 'v1\n' });
    const repo = repository();
    const wc = await repo.openWorkingCopy(path.join(root, 'ws/.gitops'));
    await pushFromElsewhere({ 'K8s/teams/team-a/ns.yaml': 'v2 theirs\n' });
    await expect(
      commitTeamA(repo, wc, { 'ns.yaml': 'v2 mine\n' }, { allowUpdate: true }),
    ).rejects.toThrow(
      /^K8s\/teams\/team-a conflicts with a change made meanwhile .* in K8s\/teams\/team-a\/ns.yaml; nothing was pushed/,
    );
  });

  it('refuses when the base it rendered on was rewritten away', async () => {
    const repo = repository();
    const wc = await repo.openWorkingCopy(path.join(root, 'ws/.gitops'));
    // history rewritten: main replaced by an unrelated commit
    const other = fs.mkdtempSync(path.join(root, 'rewrite-'));
    await runGit(['init', '--quiet', '--initial-branch=main', other]);
    write(other, { 'K8s/x': 'x\n' });
    await runGit(['add', '--all'], { cwd: other });
    await runGit(
      [
        '-c',
        'user.name=B',
        '-c',
        'user.email=b@x',
        'commit',
        '-qm',
        'new root',
      ],
      {
        cwd: other,
      },
    );
    await runGit(['push', '--quiet', '--force', remote, 'HEAD:main'], {
      cwd: other,
    });
    await expect(commitTeamA(repo, wc, { 'ns.yaml': 'x\n' })).rejects.toThrow(
      /was rendered on [0-9a-f]{7}, which main no longer contains/,
    );
  });

  it('under contention from two processes (two queues) lands every commit, fsck clean', async () => {
    // each queue stands for one backend process; within one, pushes never race
    const processes = [new PushQueue(), new PushQueue()].map(queue =>
      repository({ queue }),
    );
    const before = Number(await bare('rev-list', '--count', 'main'));
    const results = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const repo = processes[i % 2];
        const wc = await repo.openWorkingCopy(
          path.join(root, `ws${i}/.gitops`),
        );
        return repo.commitAndPush(wc, {
          targetPath: `K8s/teams/team-${i}`,
          sourceDir: rendered(`${i}`, { 'ns.yaml': `i: ${i}\n` }),
          message: `Onboard team-${i}`,
          author,
        });
      }),
    );
    expect(Number(await bare('rev-list', '--count', 'main')) - before).toBe(16);
    const teams = await bare('ls-tree', '--name-only', 'main', 'K8s/teams/');
    for (let i = 0; i < 16; i++) expect(teams).toContain(`K8s/teams/team-${i}`);
    await bare('fsck', '--strict');
    expect(results.every(r => r.changed)).toBe(true);
    // the tasks rendered on the same head, so all but the first were rebased
    expect(results.filter(r => r.rebases > 0).length).toBeGreaterThanOrEqual(
      15,
    );
  }, 120_000);

  it('serializes pushes of one process: no push is ever rejected', async () => {
    const queue = new PushQueue();
    const repo = repository({ queue });
    const results = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const wc = await repo.openWorkingCopy(
          path.join(root, `ws${i}/.gitops`),
        );
        return repo.commitAndPush(wc, {
          targetPath: `K8s/teams/t-${i}`,
          sourceDir: rendered(`${i}`, { 'ns.yaml': `i: ${i}\n` }),
          message: `t-${i}`,
          author,
        });
      }),
    );
    expect(results.map(r => r.rejectedPushes)).toEqual(Array(8).fill(0));
    expect(queue.busyKeys).toBe(0);
  }, 60_000);

  it('gives up at the deadline naming the path and the config key, with nothing pushed', async () => {
    // the server refuses every ref update as a lock conflict would
    const hook = path.join(remote, 'hooks/update');
    fs.writeFileSync(
      hook,
      '#!/bin/sh\necho "cannot lock ref \'$1\'" >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    );
    const head = await bare('rev-parse', 'main');
    const repo = repository({ pushDeadlineMs: 300 });
    const wc = await repo.openWorkingCopy(path.join(root, 'ws/.gitops'));
    await expect(commitTeamA(repo, wc, { 'ns.yaml': 'x\n' })).rejects.toThrow(
      /^K8s\/teams\/team-a was not pushed: .* rejected \d+ pushes in 0 s \(gitops.pushDeadlineSeconds\)/,
    );
    expect(await bare('rev-parse', 'main')).toBe(head);
  });

  it('follows the branch into a checkout and refuses directories it did not make', async () => {
    const repo = repository();
    const dir = path.join(root, 'follow');
    const first = await repo.follow(dir);
    expect(fs.readFileSync(path.join(dir, 'K8s/teams/README.md'), 'utf8')).toBe(
      '# teams\n',
    );
    const next = await pushFromElsewhere({ 'K8s/apps/a/b/c.yaml': 'c\n' });
    expect(await repo.follow(dir)).toBe(next);
    expect(await repo.listFiles(dir, next)).toEqual(
      expect.arrayContaining(['K8s/apps/a/b/c.yaml', 'K8s/teams/README.md']),
    );
    expect(first).not.toBe(next);
    // the remote's default branch, with tags
    expect(await repo.follow(dir, { branch: null, tags: true })).toBe(next);

    const busy = write(path.join(root, 'busy'), { 'precious.txt': 'keep' });
    await expect(repo.follow(busy)).rejects.toThrow(
      /not a git checkout made by the portal/,
    );
    const foreign = path.join(root, 'foreign');
    await runGit(['clone', '--quiet', remote, foreign]);
    await expect(repo.follow(foreign)).rejects.toThrow(/did not create/);
    // unless told that clones of this remote are its own (the sandbox's older checkouts)
    await expect(repo.follow(foreign, { adoptClones: true })).resolves.toBe(
      next,
    );
  });
});
