import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runGit } from '@internal/gitops-repo';
import { GitRemote, localRemotePath } from './GitRemote';
import { tempDir, TestClone, writeTree } from './__testUtils__/testRepo';

describe('GitRemote', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir('idp-sandbox-git-');
    writeTree(path.join(tmp.dir, 'seed'), {
      'apps/team-a/api/deployment.yaml': 'kind: Deployment\n',
      'policies/README.md': '# policies\n',
    });
  });
  afterEach(() => tmp.cleanup());

  const remoteUrl = () => pathToFileURL(path.join(tmp.dir, 'remote.git')).href;

  it('seeds a missing local remote with one commit under K8s/ and syncs it', async () => {
    // no global identity: HOME points to an empty dir for git during this test
    const git = new GitRemote({
      remoteUrl: remoteUrl(),
      workDir: path.join(tmp.dir, 'checkout'),
      seedFrom: path.join(tmp.dir, 'seed'),
    });
    const home = process.env.HOME;
    process.env.HOME = tmp.dir;
    try {
      await git.ensureRemote();
    } finally {
      process.env.HOME = home;
    }
    const remotePath = path.join(tmp.dir, 'remote.git');
    expect(fs.existsSync(path.join(remotePath, 'HEAD'))).toBe(true);
    expect(
      (
        await runGit(['rev-list', '--count', 'main'], { cwd: remotePath })
      ).trim(),
    ).toBe('1');
    expect(
      (await runGit(['symbolic-ref', 'HEAD'], { cwd: remotePath })).trim(),
    ).toBe('refs/heads/main');

    const { revision, checkoutDir } = await git.sync();
    expect(revision).toMatch(/^[0-9a-f]{40}$/);
    expect(
      fs.readFileSync(
        path.join(checkoutDir, 'K8s/apps/team-a/api/deployment.yaml'),
        'utf8',
      ),
    ).toBe('kind: Deployment\n');

    const metadata = await git.revisionMetadata(revision);
    expect(metadata).toEqual({
      author: 'IDP Portal Sandbox <sandbox@idp-portal.local>',
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      message: 'Seed the GitOps repository from K8s/',
    });
    expect(
      await git.revisionMetadata('0123456789abcdef0123456789abcdef01234567'),
    ).toBeUndefined();
    expect(await git.revisionMetadata('--help')).toBeUndefined();

    // ensureRemote leaves an existing remote alone
    await git.ensureRemote();
    expect(
      (
        await runGit(['rev-list', '--count', 'main'], { cwd: remotePath })
      ).trim(),
    ).toBe('1');
  });

  it('follows new commits and tells which commit last changed a path', async () => {
    const git = new GitRemote({
      remoteUrl: remoteUrl(),
      workDir: path.join(tmp.dir, 'checkout'),
      seedFrom: path.join(tmp.dir, 'seed'),
    });
    await git.ensureRemote();
    const { revision: seeded } = await git.sync();

    const clone = await TestClone.of(remoteUrl());
    clone.write({
      'K8s/apps/team-b/web/deployment.yaml': 'kind: Deployment\n',
    });
    const added = await clone.commitAndPush(
      'Add team-b web',
      'Jane Doe <jane@example.com>',
    );
    await runGit(['tag', 'v1.0.0'], { cwd: clone.dir });
    await runGit(['push', '--quiet', 'origin', 'v1.0.0'], { cwd: clone.dir });
    clone.write({ 'K8s/apps/team-a/api/deployment.yaml': null });
    const removed = await clone.commitAndPush('Remove team-a api');
    clone.remove();

    const { revision, checkoutDir } = await git.sync();
    expect(revision).toBe(removed);
    expect(fs.existsSync(path.join(checkoutDir, 'K8s/apps/team-a/api'))).toBe(
      false,
    );
    expect(
      fs.existsSync(
        path.join(checkoutDir, 'K8s/apps/team-b/web/deployment.yaml'),
      ),
    ).toBe(true);

    expect(await git.lastRevisionForPath('K8s/apps/team-b/web', revision)).toBe(
      added,
    );
    expect(
      await git.lastRevisionForPath('K8s/apps/team-b/web/', revision),
    ).toBe(added);
    expect(await git.lastRevisionForPath('K8s/policies', revision)).toBe(
      seeded,
    );
    expect(await git.lastRevisionForPath('K8s/apps/team-a/api', revision)).toBe(
      removed,
    );
    expect(await git.revisionMetadata(added)).toMatchObject({
      author: 'Jane Doe <jane@example.com>',
      message: 'Add team-b web',
      tags: ['v1.0.0'],
    });
  });

  it('fails clearly when the remote is unreachable and recovers when it returns', async () => {
    const git = new GitRemote({
      remoteUrl: remoteUrl(),
      workDir: path.join(tmp.dir, 'checkout'),
      seedFrom: path.join(tmp.dir, 'seed'),
    });
    await git.ensureRemote();
    const { revision } = await git.sync();
    const remotePath = path.join(tmp.dir, 'remote.git');
    fs.renameSync(remotePath, `${remotePath}.away`);
    await expect(git.sync()).rejects.toThrow(
      /^GitOps remote file:\/\/.*remote\.git unreachable: git fetch .* failed \(128\): fatal: /,
    );
    fs.renameSync(`${remotePath}.away`, remotePath);
    await expect(git.sync()).resolves.toMatchObject({ revision });
  });

  it('refuses a work dir that holds something else', async () => {
    const workDir = path.join(tmp.dir, 'busy');
    writeTree(workDir, { 'file.txt': 'x' });
    const git = new GitRemote({
      remoteUrl: remoteUrl(),
      workDir,
      seedFrom: path.join(tmp.dir, 'seed'),
    });
    await git.ensureRemote();
    await expect(git.sync()).rejects.toThrow(/is not a git checkout/);
  });

  it('recognizes local remotes', () => {
    expect(localRemotePath('file:///tmp/x.git')).toBe('/tmp/x.git');
    expect(localRemotePath('/tmp/x.git')).toBe('/tmp/x.git');
    expect(localRemotePath('https://github.com/org/repo.git')).toBeUndefined();
    expect(localRemotePath('git@github.com:org/repo.git')).toBeUndefined();
  });
});
