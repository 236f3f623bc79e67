import fs from 'node:fs';
import path from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitCommandError, redactCredentials, runGit } from '../git';
import { gitAuthArgs } from './auth';
import { GitopsConfig } from './config';
import { openPullRequest } from './pullRequest';
import { jitteredBackoffMs, PushQueue } from './PushQueue';

/**
 * The few log calls the repository makes; Backstage's LoggerService and the sandbox's logger
 * both fit.
 *
 * @public
 */
export interface GitLogger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * A commit's author: the task's user.
 *
 * @public
 */
export interface GitAuthor {
  name: string;
  email: string;
}

/**
 * Options of {@link GitRepository}.
 *
 * @public
 */
export interface GitRepositoryOptions {
  /** Any remote the git CLI accepts; a local path should be absolute. */
  remote: string;
  /** The branch writers commit to (or open pull requests against) and followers follow. */
  branch: string;
  /** `-c` arguments that authenticate the remote (see gitAuthArgs). */
  authArgs?: string[];
  /** How long a commit retries pushes the remote rejects; 120 s by default. */
  pushDeadlineMs?: number;
  /** The first retry waits about this long, doubling up to 2 s; 50 ms by default. */
  backoffMs?: number;
  /** Serializes pushes per remote; the process-wide queue by default. */
  queue?: PushQueue;
  /** Where pull requests are opened (the remote's `integrations.github` entry). */
  integrations?: ScmIntegrationRegistry;
}

/**
 * A task's own clone of the repository: render, policy check and commit all use it.
 *
 * @public
 */
export interface WorkingCopy {
  /** The clone's directory. */
  dir: string;
  /** The commit it was cloned at (what the task rendered on). */
  base: string;
}

/**
 * What {@link GitRepository.commitAndPush} commits.
 *
 * @public
 */
export interface CommitRequest {
  /** Repo-relative directory the change is confined to, e.g. `K8s/teams/payments`. */
  targetPath: string;
  /** A directory whose content replaces `targetPath` (files it lacks are removed). */
  sourceDir: string;
  message: string;
  author: GitAuthor;
  /** Whether `targetPath` may exist already (an update); creating only by default. */
  allowUpdate?: boolean;
  /** The branch pushed to; the configured branch by default (a pull request's branch else). */
  pushBranch?: string;
  /**
   * Runs on the working copy after every rebase onto a newer head, before pushing (e.g. the
   * policy check on the rebased result); throwing fails the commit with nothing pushed.
   */
  recheck?: (dir: string) => Promise<void> | void;
  logger?: GitLogger;
}

/**
 * What {@link GitRepository.commitAndPush} did.
 *
 * @public
 */
export interface CommitResult {
  /** The pushed commit; the head the task rendered on when there was nothing to change. */
  commitSha: string;
  changed: boolean;
  /** How often the commit was rebased onto a head that moved meanwhile. */
  rebases: number;
  /** How many pushes the remote rejected before one landed. */
  rejectedPushes: number;
  /** ms the commit waited for earlier pushes of this process to the same remote. */
  queuedMs: number;
  /** ms from its turn in the queue until the push landed (fetch, rebase, recheck, push). */
  landingMs: number;
}

/** Set in every clone this class makes, so it never resets a directory it did not make. */
const MARKER_KEY = 'idp-portal.checkout';
/** Markers of clones made by earlier versions (catalog and sandbox checkouts on disk). */
const LEGACY_MARKER_KEY = 'idp-portal.catalogCheckout';

/** git's ways of saying that the remote branch moved between fetch and push. */
const REJECTED =
  /\[rejected\]|Updates were rejected|non-fast-forward|fetch first|failed to update ref|cannot lock ref|incorrect old value|stale info/i;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const short = (sha: string) => sha.slice(0, 7);

/**
 * Rejects repo-relative paths that could escape the repository or touch git internals.
 *
 * @public
 * @param p - the path as given
 * @param field - the input's name, for the error message
 * @returns the path normalized (no trailing slash)
 */
export function assertSafeRepoPath(p: string, field = 'path'): string {
  const normalized = path.posix.normalize(p.replace(/\/+$/, ''));
  if (
    p.length === 0 ||
    p.length > 200 ||
    path.posix.isAbsolute(p) ||
    p.includes('\\') ||
    // eslint-disable-next-line no-control-regex
    /[\0-\x1f\x7f]/.test(p) ||
    normalized !== p.replace(/\/+$/, '') ||
    normalized === '.' ||
    normalized.split('/').some(s => s === '..' || s === '.git' || s === '')
  ) {
    throw new InputError(
      `${field} '${p}' must be a relative path inside the repository without '..', '.git' or '//'`,
    );
  }
  return normalized;
}

/**
 * The GitOps repository for every writer and reader of the portal: the scaffolder's actions
 * (one working copy per task, commit as the user, push through a per-remote queue with
 * rebase-and-retry until a deadline), the catalog provider and the sandbox's reconciler (a
 * checkout that follows the branch).
 *
 * @public
 */
export class GitRepository {
  readonly remote: string;
  readonly branch: string;
  private readonly authArgs: string[];
  private readonly pushDeadlineMs: number;
  private readonly backoffMs: number;
  private readonly queue: PushQueue;
  private readonly integrations?: ScmIntegrationRegistry;
  /** Per followed directory: the commit checked out last (a re-checkout of it is skipped). */
  private readonly followed = new Map<string, string>();

  /** The repository of `gitops.*`, authenticated through the host's `integrations` entry. */
  static fromConfig(
    config: GitopsConfig,
    integrations: ScmIntegrationRegistry,
  ): GitRepository {
    return new GitRepository({
      remote: config.remote,
      branch: config.branch,
      authArgs: gitAuthArgs(integrations, config.remote),
      pushDeadlineMs: config.pushDeadlineSeconds * 1000,
      integrations,
    });
  }

  constructor(options: GitRepositoryOptions) {
    // neither may be mistaken for a git option
    if (options.remote.startsWith('-')) {
      throw new InputError(`invalid git remote '${options.remote}'`);
    }
    if (
      !/^[A-Za-z0-9._/-]+$/.test(options.branch) ||
      /^[-/]/.test(options.branch)
    ) {
      throw new InputError(`invalid git branch '${options.branch}'`);
    }
    this.remote = options.remote;
    this.branch = options.branch;
    this.authArgs = options.authArgs ?? [];
    this.pushDeadlineMs = options.pushDeadlineMs ?? 120_000;
    this.backoffMs = options.backoffMs ?? 50;
    this.queue = options.queue ?? PushQueue.shared;
    this.integrations = options.integrations;
  }

  /** The remote as it may be shown (credentials in the URL hidden). */
  get shownRemote(): string {
    return redactCredentials(this.remote);
  }

  /** Runs git with the remote's authentication. */
  git(args: string[], cwd?: string): Promise<string> {
    return runGit([...this.authArgs, ...args], { cwd });
  }

  // ---- writers: one working copy per task ----

  /**
   * The working copy in `dir`: cloned at the branch head on first use, reused as it is after
   * (so render, policy check and commit of one task see the same base).
   */
  async openWorkingCopy(dir: string): Promise<WorkingCopy> {
    if (fs.existsSync(path.join(dir, '.git'))) {
      await this.assertOwnClone(dir);
    } else {
      if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
        throw new InputError(
          `${dir} exists and is not a git checkout made by the portal; refusing to use it`,
        );
      }
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      await this.git([
        'clone',
        '--quiet',
        '--no-tags',
        '--single-branch',
        '--branch',
        this.branch,
        '--',
        this.remote,
        dir,
      ]);
      await this.git(['config', MARKER_KEY, 'working-copy'], dir);
    }
    const base = (await this.git(['rev-parse', 'HEAD'], dir)).trim();
    return { dir, base };
  }

  /**
   * Commits `sourceDir` as `targetPath` on the working copy's head, as the author, and pushes.
   * Pushes to one remote wait for each other in this process; when another process moved the
   * branch meanwhile, the commit is rebased onto the new head (which must still contain the
   * head it was made on), `recheck` runs on the result, and the push is retried with jittered
   * backoff until the deadline. Any failure leaves the remote untouched and the working copy
   * at its base.
   *
   * @throws ConflictError naming the path when the path was taken meanwhile, the rebase
   *   conflicts, the branch was rewritten or the deadline passed; InputError for changes
   *   outside the path
   */
  async commitAndPush(
    wc: WorkingCopy,
    req: CommitRequest,
  ): Promise<CommitResult> {
    const { dir } = wc;
    const targetPath = assertSafeRepoPath(req.targetPath, 'targetPath');
    const base = (await this.git(['rev-parse', 'HEAD'], dir)).trim();
    if (!req.allowUpdate && (await this.existsAt(dir, base, targetPath))) {
      throw new ConflictError(
        `${targetPath} already exists in the GitOps repository (at ${short(
          base,
        )}); this template creates new paths only`,
      );
    }
    if (
      !fs.existsSync(req.sourceDir) ||
      !fs.statSync(req.sourceDir).isDirectory()
    ) {
      throw new InputError(`nothing rendered at ${req.sourceDir}`);
    }
    const target = path.join(dir, targetPath);
    // replace, not merge: an update must also remove files the new render no longer has
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(req.sourceDir, target, {
      recursive: true,
      filter: src => path.basename(src) !== '.git',
    });
    try {
      const outside = await this.changesOutside(dir, targetPath);
      if (outside.length > 0) {
        throw new InputError(
          `refusing to commit changes outside ${targetPath}: ${outside.join(
            ', ',
          )}`,
        );
      }
      await this.git(['add', '--all', '--', targetPath], dir);
      const staged = (
        await this.git(['diff', '--cached', '--name-only'], dir)
      ).trim();
      if (!staged) {
        req.logger?.info(`${targetPath} is unchanged; nothing to commit`);
        return {
          commitSha: base,
          changed: false,
          rebases: 0,
          rejectedPushes: 0,
          queuedMs: 0,
          landingMs: 0,
        };
      }
      await this.git(
        [
          ...this.identity(req.author),
          'commit',
          '--quiet',
          '--no-verify',
          '-m',
          req.message,
        ],
        dir,
      );
      const queuedAt = Date.now();
      const deadline = queuedAt + this.pushDeadlineMs;
      return await this.queue.run(this.remote, async () => {
        const turn = Date.now();
        const landed = await this.land(dir, base, targetPath, req, deadline);
        return {
          ...landed,
          queuedMs: turn - queuedAt,
          landingMs: Date.now() - turn,
        };
      });
    } catch (error) {
      // the working copy goes back to what the task rendered on; nothing was pushed
      await this.git(['rebase', '--abort'], dir).catch(() => {});
      await this.git(['reset', '--quiet', '--hard', base], dir).catch(() => {});
      await this.git(['clean', '-ffdq', '--', targetPath], dir).catch(() => {});
      throw error;
    }
  }

  /** Fetch, rebase when the head moved, recheck, push; retried until the deadline. */
  private async land(
    dir: string,
    renderedOn: string,
    targetPath: string,
    req: CommitRequest,
    deadline: number,
  ): Promise<Omit<CommitResult, 'queuedMs' | 'landingMs'>> {
    const pushBranch = req.pushBranch ?? this.branch;
    const tracking = `refs/remotes/origin/${this.branch}`;
    let base = renderedOn;
    let rebases = 0;
    for (let attempt = 0; ; attempt++) {
      await this.git(
        [
          'fetch',
          '--quiet',
          '--no-tags',
          'origin',
          `+refs/heads/${this.branch}:${tracking}`,
        ],
        dir,
      );
      const head = (
        await this.git(['rev-parse', '--verify', `${tracking}^{commit}`], dir)
      ).trim();
      if (head !== base) {
        await this.rebaseOnto(dir, base, head, targetPath, req);
        base = head;
        rebases++;
        if (req.recheck) await req.recheck(dir);
      }
      const pushRef = `HEAD:refs/heads/${pushBranch}`;
      try {
        // a pull request's branch belongs to this task: a retried task may replace it
        await this.git(
          [
            'push',
            '--quiet',
            'origin',
            pushBranch === this.branch ? pushRef : `+${pushRef}`,
          ],
          dir,
        );
        const commitSha = (await this.git(['rev-parse', 'HEAD'], dir)).trim();
        return { commitSha, changed: true, rebases, rejectedPushes: attempt };
      } catch (error) {
        if (
          !(error instanceof GitCommandError) ||
          !REJECTED.test(error.stderr)
        ) {
          throw error;
        }
        const delay = jitteredBackoffMs(attempt, this.backoffMs, 2000);
        if (Date.now() + delay > deadline) {
          throw new ConflictError(
            `${targetPath} was not pushed: ${this.shownRemote} rejected ${
              attempt + 1
            } pushes in ${Math.round(
              this.pushDeadlineMs / 1000,
            )} s (gitops.pushDeadlineSeconds) because other writers kept moving ${
              this.branch
            }; nothing was pushed. Last answer: ${error.stderr.trim()}`,
          );
        }
        req.logger?.info(
          `push of ${targetPath} rejected (${this.branch} moved on); rebasing and retrying in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  }

  /** Rebases the task's commit from `base` onto `head`, or says why it cannot be. */
  private async rebaseOnto(
    dir: string,
    base: string,
    head: string,
    targetPath: string,
    req: CommitRequest,
  ): Promise<void> {
    const contained = await this.git(
      ['merge-base', '--is-ancestor', base, head],
      dir,
    ).then(
      () => true,
      () => false,
    );
    if (!contained) {
      throw new ConflictError(
        `${targetPath} was rendered on ${short(base)}, which ${
          this.branch
        } no longer contains (its history was rewritten, now at ${short(
          head,
        )}); nothing was pushed, run the task again`,
      );
    }
    if (!req.allowUpdate && (await this.existsAt(dir, head, targetPath))) {
      throw new ConflictError(
        `${targetPath} was created in the GitOps repository by another change meanwhile (${short(
          head,
        )}); nothing was pushed`,
      );
    }
    try {
      await this.git(
        [...this.identity(req.author), 'rebase', '--quiet', head],
        dir,
      );
    } catch (error) {
      const conflicts = (
        await this.git(['diff', '--name-only', '--diff-filter=U'], dir).catch(
          () => '',
        )
      )
        .split('\n')
        .filter(Boolean);
      await this.git(['rebase', '--abort'], dir).catch(() => {});
      throw new ConflictError(
        `${targetPath} conflicts with a change made meanwhile in the GitOps repository (${short(
          head,
        )})${
          conflicts.length ? ` in ${conflicts.join(', ')}` : ''
        }; nothing was pushed: ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }

  private identity(author: GitAuthor): string[] {
    return [
      '-c',
      `user.name=${author.name}`,
      '-c',
      `user.email=${author.email}`,
    ];
  }

  private async existsAt(dir: string, rev: string, p: string) {
    return this.git(['cat-file', '-e', `${rev}:${p}`], dir).then(
      () => true,
      () => false,
    );
  }

  /** Paths the working tree changed outside `targetPath` (scope check before committing). */
  private async changesOutside(dir: string, targetPath: string) {
    const status = await this.git(
      ['status', '--porcelain', '--untracked-files=all', '-z'],
      dir,
    );
    return status
      .split('\0')
      .filter(Boolean)
      .map(line => line.slice(3))
      .filter(p => p !== targetPath && !p.startsWith(`${targetPath}/`));
  }

  /**
   * Opens a pull request from `head` (a branch commitAndPush pushed) against the configured
   * branch, through the API of the remote's `integrations.github` entry.
   *
   * @returns the pull request's URL
   */
  async openPullRequest(req: {
    head: string;
    title: string;
    body: string;
    fetchImpl?: typeof fetch;
  }): Promise<string> {
    if (!this.integrations) {
      throw new InputError(
        `no integrations configured for ${this.shownRemote}; pull requests need an integrations.github entry`,
      );
    }
    return openPullRequest(this.integrations, {
      ...req,
      remote: this.remote,
      base: this.branch,
    });
  }

  // ---- followers: a checkout that follows the branch ----

  /**
   * Fetches the branch (the remote's default branch when `branch` is null) into `dir` and
   * checks its head out detached, discarding anything else in the checkout; the clone is made
   * on first use.
   *
   * @returns the checked-out commit
   */
  async follow(
    dir: string,
    opts: {
      branch?: string | null;
      tags?: boolean;
      /** Also take over a clone of this remote made without the marker (older versions). */
      adoptClones?: boolean;
    } = {},
  ): Promise<string> {
    await this.ensureFollowClone(dir, opts.adoptClones ?? false);
    // following the remote's default branch: every branch is fetched, then HEAD asked for
    const heads = opts.branch === null ? '*' : opts.branch ?? this.branch;
    await this.git(
      [
        'fetch',
        '--quiet',
        '--prune',
        '--force',
        ...(opts.tags ? [] : ['--no-tags']),
        'origin',
        `+refs/heads/${heads}:refs/remotes/origin/${heads}`,
        ...(opts.tags ? ['+refs/tags/*:refs/tags/*'] : []),
      ],
      dir,
    );
    const branch =
      opts.branch === null ? await this.remoteDefaultBranch(dir) : heads;
    const tracking = `refs/remotes/origin/${branch}`;
    const sha = (
      await this.git(['rev-parse', '--verify', `${tracking}^{commit}`], dir)
    ).trim();
    if (this.followed.get(dir) !== sha) {
      this.followed.delete(dir);
      await this.git(['checkout', '--quiet', '--force', '--detach', sha], dir);
      await this.git(['clean', '-ffdqx'], dir);
      this.followed.set(dir, sha);
    }
    return sha;
  }

  /** The repository-relative paths of all files at a commit of a clone. */
  async listFiles(dir: string, sha: string): Promise<string[]> {
    const out = await this.git(
      ['ls-tree', '-r', '-z', '--name-only', sha],
      dir,
    );
    return out.split('\0').filter(Boolean);
  }

  /** The branch the remote's HEAD points at (`main` when it does not say). */
  private async remoteDefaultBranch(dir: string): Promise<string> {
    const out = await this.git(
      ['ls-remote', '--symref', 'origin', 'HEAD'],
      dir,
    );
    return /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(out)?.[1] ?? this.branch;
  }

  private async ensureFollowClone(
    dir: string,
    adoptClones: boolean,
  ): Promise<void> {
    if (fs.existsSync(path.join(dir, '.git'))) {
      await this.assertOwnClone(dir, adoptClones);
      await this.git(['remote', 'set-url', 'origin', this.remote], dir);
      return;
    }
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      throw new InputError(
        `${dir} exists and is not a git checkout made by the portal; refusing to use it (remove it or choose another directory)`,
      );
    }
    fs.mkdirSync(dir, { recursive: true });
    this.followed.delete(dir);
    await this.git(['init', '--quiet'], dir);
    await this.git(['config', MARKER_KEY, 'follow'], dir);
    await this.git(['remote', 'add', 'origin', this.remote], dir);
  }

  /** Refuses a git directory this class did not make (it would reset someone's work). */
  private async assertOwnClone(
    dir: string,
    adoptClones = false,
  ): Promise<void> {
    const config = async (key: string) =>
      (await this.git(['config', '--get', key], dir).catch(() => '')).trim();
    if (await config(MARKER_KEY)) return;
    const adopt =
      (await config(LEGACY_MARKER_KEY)) === 'true' ||
      (adoptClones && (await config('remote.origin.url')) === this.remote);
    if (!adopt) {
      throw new InputError(
        `${dir} is a git repository the portal did not create; refusing to reset it`,
      );
    }
    await this.git(['config', MARKER_KEY, 'follow'], dir);
    if (!(await config('remote.origin.url'))) {
      await this.git(['remote', 'add', 'origin', this.remote], dir);
    }
  }
}
