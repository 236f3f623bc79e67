import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSeededBareRemote,
  GitRepository,
  runGit,
} from '@internal/gitops-repo';
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
 * it is a missing local path) and a checkout that follows the remote's default branch, both
 * through the portal's one GitRepository; plus the reads ArgoCD's API answers with.
 */
export class GitRemote {
  private readonly remoteUrl: string;
  private readonly repository: GitRepository;
  private readonly workDir: string;
  private readonly seedFrom?: string;
  private readonly logger: Logger;
  private syncing: Promise<unknown> = Promise.resolve();
  private readonly pathRevisions = new Map<string, string>();

  constructor(opts: GitRemoteOptions) {
    this.remoteUrl = opts.remoteUrl;
    // the branch is only the fallback: sync follows the remote's default branch
    this.repository = new GitRepository({
      remote: opts.remoteUrl,
      branch: 'main',
    });
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
    await createSeededBareRemote({
      remotePath,
      seedFrom: this.seedFrom,
      author: SANDBOX_GIT_IDENTITY,
      message: 'Seed the GitOps repository from K8s/',
    });
    this.logger.info(
      `created GitOps remote ${remotePath} seeded from ${
        this.seedFrom ?? '(nothing)'
      }`,
    );
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
      // checkouts made before the shared GitRepository carry no marker: they are this sandbox's
      const revision = await this.repository.follow(this.workDir, {
        branch: null,
        tags: true,
        adoptClones: true,
      });
      return { revision, checkoutDir: this.workDir };
    } catch (e) {
      throw new Error(
        `GitOps remote ${this.repository.shownRemote} unreachable: ${
          (e as Error).message
        }`,
      );
    }
  }
}
