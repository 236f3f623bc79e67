import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactCredentials, runGit } from '@internal/gitops-repo';
import { Logger, silentLogger } from '../reconciler/types';

/** The identity the sandbox commits with, so no global git identity is needed. */
export const SANDBOX_GIT_IDENTITY = {
  name: 'IDP Portal Sandbox',
  email: 'sandbox@idp-portal.local',
};

/** Options of {@link GitRemote}. */
export interface GitRemoteOptions {
  /** The GitOps repository: a local path, a `file://` URL or any URL git can fetch. */
  remoteUrl: string;
  /** Where the checkout lives (cloned on first sync). */
  workDir: string;
  /** A directory whose content seeds a missing local remote under `K8s/`. */
  seedFrom?: string;
  logger?: Logger;
}

/** What ArgoCD's revision metadata endpoint returns for a commit. */
export interface RevisionMetadata {
  author: string;
  date: string;
  message: string;
  tags?: string[];
}

const SHA_PATTERN = /^[0-9a-f]{4,64}$/i;
const MAX_CACHED_PATH_REVISIONS = 10_000;

/** The local filesystem path of a remote, or undefined when it is not local. */
export function localRemotePath(remoteUrl: string): string | undefined {
  if (remoteUrl.startsWith('file://')) return fileURLToPath(remoteUrl);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(remoteUrl)) return undefined;
  // scp-like syntax (git@host:org/repo.git) is remote, as git treats it
  if (/^[^/]*@[^/]*:/.test(remoteUrl) || /^[a-z0-9.-]+:(?!\\)/i.test(remoteUrl))
    return undefined;
  return path.resolve(remoteUrl);
}

/**
 * The GitOps repository as the reconciler sees it: a remote (created and seeded from `K8s/` when
 * it is a missing local path) and a checkout that follows the remote's default branch.
 */
export class GitRemote {
  private readonly remoteUrl: string;
  private readonly workDir: string;
  private readonly seedFrom?: string;
  private readonly logger: Logger;
  private syncing: Promise<unknown> = Promise.resolve();
  private readonly pathRevisions = new Map<string, string>();
  /** The commit this instance last checked out (a re-checkout of it is skipped). */
  private checkedOut?: string;

  constructor(opts: GitRemoteOptions) {
    this.remoteUrl = opts.remoteUrl;
    this.workDir = path.resolve(opts.workDir);
    this.seedFrom = opts.seedFrom;
    this.logger = opts.logger ?? silentLogger;
  }

  /**
   * If the remote is a local path or `file://` URL that does not exist: creates a bare repository
   * there whose `main` branch holds one commit (author "IDP Portal Sandbox") with `seedFrom`'s
   * content under `K8s/`. Does nothing for existing or non-local remotes.
   */
  async ensureRemote(): Promise<void> {
    const remotePath = localRemotePath(this.remoteUrl);
    if (!remotePath || fs.existsSync(remotePath)) return;
    fs.mkdirSync(path.dirname(remotePath), { recursive: true });
    // Build the repository beside its final place and rename it in, so a crash never leaves a
    // half-seeded remote that would then be taken as existing.
    const building = `${remotePath}.seeding-${process.pid}`;
    const seedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idp-sandbox-seed-'));
    try {
      fs.rmSync(building, { recursive: true, force: true });
      await runGit([
        'init',
        '--quiet',
        '--bare',
        '--initial-branch=main',
        building,
      ]);
      await runGit(['init', '--quiet', '--initial-branch=main', seedDir]);
      if (this.seedFrom) {
        fs.cpSync(this.seedFrom, path.join(seedDir, 'K8s'), {
          recursive: true,
          filter: source => path.basename(source) !== '.git',
        });
      }
      await runGit(['add', '--all'], { cwd: seedDir });
      await runGit(
        [
          '-c',
          `user.name=${SANDBOX_GIT_IDENTITY.name}`,
          '-c',
          `user.email=${SANDBOX_GIT_IDENTITY.email}`,
          'commit',
          '--quiet',
          '--allow-empty',
          '-m',
          'Seed the GitOps repository from K8s/',
        ],
        { cwd: seedDir },
      );
      await runGit(['push', '--quiet', building, 'HEAD:refs/heads/main'], {
        cwd: seedDir,
      });
      fs.renameSync(building, remotePath);
      this.logger.info(
        `created GitOps remote ${remotePath} seeded from ${
          this.seedFrom ?? '(nothing)'
        }`,
      );
    } finally {
      fs.rmSync(seedDir, { recursive: true, force: true });
      fs.rmSync(building, { recursive: true, force: true });
    }
  }

  /**
   * Fetches the remote into the work dir (cloning on first use) and checks out the head of the
   * remote's default branch, discarding anything else in the checkout.
   *
   * @returns the checked-out commit SHA and the checkout directory
   * @throws Error naming the remote when it cannot be reached
   */
  sync(): Promise<{ revision: string; checkoutDir: string }> {
    const run = this.syncing.then(() => this.syncOnce());
    this.syncing = run.catch(() => undefined);
    return run;
  }

  /**
   * Author (`Name <email>`), date, message and tags of a commit in the checkout, as ArgoCD's
   * `revisions/{rev}/metadata` reports them; undefined when the commit is unknown.
   */
  async revisionMetadata(sha: string): Promise<RevisionMetadata | undefined> {
    if (!SHA_PATTERN.test(sha) || !this.hasCheckout()) return undefined;
    try {
      const out = await runGit(
        ['log', '-1', '--format=%an <%ae>%x00%aI%x00%B', sha, '--'],
        { cwd: this.workDir },
      );
      const [author, date, ...message] = out.split('\0');
      const tags = (
        await runGit(['tag', '--points-at', sha], { cwd: this.workDir })
      )
        .split('\n')
        .filter(Boolean);
      return {
        author,
        date,
        message: message.join('\0').trim(),
        ...(tags.length > 0 ? { tags } : {}),
      };
    } catch {
      return undefined;
    }
  }

  /**
   * The last commit at or before `revision` that changed `repoPath` (a path relative to the
   * repository root); `revision` itself when no commit touched it.
   */
  async lastRevisionForPath(
    repoPath: string,
    revision: string,
  ): Promise<string> {
    if (!SHA_PATTERN.test(revision))
      throw new Error(`not a commit SHA: ${revision}`);
    const normalized =
      repoPath.replace(/^\.?\/+/, '').replace(/\/+$/, '') || '.';
    const key = `${revision}\0${normalized}`;
    const cached = this.pathRevisions.get(key);
    if (cached) return cached;
    const out = await runGit(
      ['log', '-1', '--format=%H', revision, '--', normalized],
      { cwd: this.workDir },
    );
    const found = out.trim() || revision;
    // commits never change, so the answer can be kept; the bound only limits memory
    if (this.pathRevisions.size >= MAX_CACHED_PATH_REVISIONS)
      this.pathRevisions.clear();
    this.pathRevisions.set(key, found);
    return found;
  }

  private hasCheckout(): boolean {
    return fs.existsSync(path.join(this.workDir, '.git'));
  }

  private async syncOnce(): Promise<{ revision: string; checkoutDir: string }> {
    const shownUrl = redactCredentials(this.remoteUrl);
    if (
      !this.hasCheckout() &&
      fs.existsSync(this.workDir) &&
      fs.readdirSync(this.workDir).length > 0
    ) {
      throw new Error(
        `${this.workDir} exists and is not a git checkout; remove it or choose another workDir`,
      );
    }
    try {
      if (!this.hasCheckout()) {
        fs.mkdirSync(path.dirname(this.workDir), { recursive: true });
        this.checkedOut = undefined;
        await runGit([
          'clone',
          '--quiet',
          '--no-checkout',
          '--',
          this.remoteUrl,
          this.workDir,
        ]);
      } else {
        await runGit(['remote', 'set-url', 'origin', this.remoteUrl], {
          cwd: this.workDir,
        });
        await runGit(
          [
            'fetch',
            '--quiet',
            '--prune',
            '--force',
            'origin',
            '+refs/heads/*:refs/remotes/origin/*',
            '+refs/tags/*:refs/tags/*',
          ],
          { cwd: this.workDir },
        );
      }
      const branch = await this.defaultBranch();
      const revision = (
        await runGit(
          ['rev-parse', '--verify', `refs/remotes/origin/${branch}^{commit}`],
          { cwd: this.workDir },
        )
      ).trim();
      if (revision !== this.checkedOut) {
        this.checkedOut = undefined;
        await runGit(['checkout', '--quiet', '--force', '--detach', revision], {
          cwd: this.workDir,
        });
        await runGit(['clean', '-ffdqx'], { cwd: this.workDir });
        this.checkedOut = revision;
      }
      return { revision, checkoutDir: this.workDir };
    } catch (e) {
      throw new Error(
        `GitOps remote ${shownUrl} unreachable: ${(e as Error).message}`,
      );
    }
  }

  /** The branch the remote's HEAD points at (usually main). */
  private async defaultBranch(): Promise<string> {
    const out = await runGit(['ls-remote', '--symref', 'origin', 'HEAD'], {
      cwd: this.workDir,
    });
    const match = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(out);
    if (match) return match[1];
    const branches = (
      await runGit(['branch', '--remotes', '--format=%(refname:lstrip=3)'], {
        cwd: this.workDir,
      })
    )
      .split('\n')
      .filter(b => b && b !== 'HEAD');
    if (branches.includes('main')) return 'main';
    if (branches.length === 0) throw new Error('the remote has no branches');
    return branches[0];
  }
}
