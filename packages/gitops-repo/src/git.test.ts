import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  GitCommandError,
  normalizeGitRemote,
  redactCredentials,
  runGit,
} from './git';

describe('runGit', () => {
  let tmp: string;
  /** A HOME whose global config would break every test below if runGit did not override it. */
  let hostileEnv: Record<string, string>;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-repo-git-'));
    const home = path.join(tmp, 'home');
    const hooks = path.join(home, 'hooks');
    fs.mkdirSync(hooks, { recursive: true });
    fs.writeFileSync(path.join(hooks, 'pre-commit'), '#!/bin/sh\nexit 1\n', {
      mode: 0o755,
    });
    fs.writeFileSync(
      path.join(home, '.gitconfig'),
      [
        '[init]',
        '\tdefaultBranch = master',
        '[commit]',
        '\tgpgsign = true',
        '[gpg]',
        '\tprogram = false',
        '[core]',
        `\thooksPath = ${hooks}`,
        '[user]',
        '\tuseConfigOnly = true',
        '',
      ].join('\n'),
    );
    hostileEnv = { HOME: home, XDG_CONFIG_HOME: home };
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('returns stdout', async () => {
    await expect(runGit(['--version'])).resolves.toMatch(/^git version \d/);
  });

  it('passes arguments without a shell and applies options.env', async () => {
    const repo = path.join(tmp, 'repo');
    await runGit(['init', '--quiet', repo]);
    const literal = '$(echo injected); echo `id` > /dev/null';
    await runGit(['config', 'test.value', literal], { cwd: repo });
    expect(await runGit(['config', '--get', 'test.value'], { cwd: repo })).toBe(
      `${literal}\n`,
    );
    expect(
      await runGit(['config', '--get', 'test.fromenv'], {
        cwd: repo,
        env: {
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: 'test.fromenv',
          GIT_CONFIG_VALUE_0: 'yes',
        },
      }),
    ).toBe('yes\n');
  });

  it('throws a GitCommandError with git stderr and exit code', async () => {
    const error = await runGit(['rev-parse', '--verify', 'HEAD'], {
      cwd: tmp,
      env: { GIT_CEILING_DIRECTORIES: tmp },
    }).catch(e => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect(error.name).toBe('GitCommandError');
    expect(error.args).toEqual(['rev-parse', '--verify', 'HEAD']);
    expect(error.exitCode).toBe(128);
    expect(error.stderr).toMatch(/not a git repository/);
    expect(error.message).toMatch(
      /^git rev-parse --verify HEAD failed \(128\): fatal: not a git repository/,
    );
  });

  it('keeps credentials out of the error', async () => {
    const error: GitCommandError = await runGit([
      '-c',
      'http.extraHeader=Authorization: Basic c2VjcmV0LXRva2Vu',
      'ls-remote',
      'nosuchscheme://bot:s3cret@example.invalid/repo.git',
    ]).catch(e => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect(error.message).toMatch(
      /^git ls-remote nosuchscheme:\/\/\*\*\*@example\.invalid\/repo\.git failed \(\d+\): /,
    );
    const everything = JSON.stringify({
      message: error.message,
      args: error.args,
      stderr: error.stderr,
    });
    expect(everything).not.toContain('s3cret');
    expect(everything).not.toContain('c2VjcmV0LXRva2Vu');
    expect(error.args).toEqual([
      '-c',
      'http.extraHeader=***',
      'ls-remote',
      'nosuchscheme://***@example.invalid/repo.git',
    ]);
  });

  it('makes git independent of the global config', async () => {
    const repo = path.join(tmp, 'repo');
    const opts = { cwd: repo, env: hostileEnv };
    await runGit(['init', '--quiet', repo], { env: hostileEnv });
    expect(await runGit(['symbolic-ref', 'HEAD'], opts)).toBe(
      'refs/heads/main\n',
    );
    fs.writeFileSync(path.join(repo, 'a.txt'), 'a\n');
    await runGit(['add', '--all'], opts);
    // without an identity the global user.useConfigOnly refuses to commit
    await expect(
      runGit(['commit', '--quiet', '-m', 'no identity'], opts),
    ).rejects.toThrow(GitCommandError);
    // with one, neither the failing hook nor the failing gpg program is run
    await runGit(
      [
        '-c',
        'user.name=Test Person',
        '-c',
        'user.email=test@example.com',
        'commit',
        '--quiet',
        '-m',
        'first',
      ],
      opts,
    );
    expect(await runGit(['log', '-1', '--format=%an <%ae> %s'], opts)).toBe(
      'Test Person <test@example.com> first\n',
    );
  });

  it('stops git after timeoutMs', async () => {
    const repo = path.join(tmp, 'repo');
    await runGit(['init', '--quiet', repo]);
    // waits for stdin, which runGit never closes
    const error = await runGit(['cat-file', '--batch'], {
      cwd: repo,
      timeoutMs: 200,
    }).catch(e => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect(error.exitCode).toBe('SIGTERM');
    expect(error.message).toMatch(
      /^git cat-file --batch failed \(SIGTERM\): stopped by SIGTERM \(timeout 200 ms\)$/,
    );
  });
});

describe('GitCommandError', () => {
  it('formats a redacted message', () => {
    const error = new GitCommandError(
      [
        '-c',
        'http.extraheader=Authorization: Bearer tok',
        'push',
        'https://x-access-token:tok@github.com/acme/gitops.git',
        'HEAD:refs/heads/main',
      ],
      "\nfatal: unable to access 'https://x-access-token:tok@github.com/acme/gitops.git/'\n\n",
      128,
    );
    expect(error.message).toBe(
      "git push https://***@github.com/acme/gitops.git HEAD:refs/heads/main failed (128): fatal: unable to access 'https://***@github.com/acme/gitops.git/'",
    );
    expect(error.stderr).not.toContain('tok@');
    expect(error.exitCode).toBe(128);
  });

  it('leaves out an unknown exit code', () => {
    expect(new GitCommandError(['status'], 'boom').message).toBe(
      'git status failed: boom',
    );
  });
});

describe('redactCredentials', () => {
  it.each([
    ['https://user:pass@host/x.git', 'https://***@host/x.git'],
    ['https://token@host/x.git', 'https://***@host/x.git'],
    ['ssh://git@host/x.git', 'ssh://***@host/x.git'],
    [
      'see HTTP://a:b@h/ and git+ssh://c@d/e',
      'see HTTP://***@h/ and git+ssh://***@d/e',
    ],
    ['https://host/x.git', 'https://host/x.git'],
    ['git@github.com:acme/gitops.git', 'git@github.com:acme/gitops.git'],
    ['mail me at a@b.c', 'mail me at a@b.c'],
  ])('%s', (text, expected) => {
    expect(redactCredentials(text)).toBe(expected);
  });
});

describe('normalizeGitRemote', () => {
  it.each([
    [
      'https://github.com/acme/gitops.git',
      'https://github.com/acme/gitops.git',
    ],
    ['ssh://git@host:22/acme/gitops.git', 'ssh://git@host:22/acme/gitops.git'],
    ['file:///srv/gitops.git', 'file:///srv/gitops.git'],
    ['git@github.com:acme/gitops.git', 'git@github.com:acme/gitops.git'],
    ['/srv/gitops.git', '/srv/gitops.git'],
    ['../../.sandbox/gitops.git', '/repo/.sandbox/gitops.git'],
    ['gitops.git', '/repo/packages/backend/gitops.git'],
    ['./dir/with@sign:colon', '/repo/packages/backend/dir/with@sign:colon'],
  ])('%s', (remote, expected) => {
    expect(normalizeGitRemote(remote, '/repo/packages/backend')).toBe(expected);
  });

  it('resolves against the working directory by default', () => {
    expect(normalizeGitRemote('gitops.git')).toBe(
      path.resolve(process.cwd(), 'gitops.git'),
    );
  });
});
