import fs from 'node:fs';
import path from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { GitCommandError, runGit } from '@internal/gitops-repo';

/** The commit identity: the task's user. */
export interface GitAuthor {
  name: string;
  email: string;
}

export interface CommitRequest {
  /** An empty directory the clone goes into (removed by the caller). */
  workDir: string;
  /** Repo-relative directory the change is confined to, e.g. `K8s/teams/payments`. */
  targetPath: string;
  /** Directory whose content becomes `targetPath`. */
  sourceDir: string;
  message: string;
  author: GitAuthor;
  allowUpdate: boolean;
  /** Branch to push to; in pull-request mode a new branch, else the configured one. */
  pushBranch: string;
  /** Branch to start from (the configured one). */
  baseBranch: string;
  logger?: LoggerService;
}

export interface CommitResult {
  /** The pushed commit; the remote's head when there was nothing to change. */
  commitSha: string;
  changed: boolean;
}

/**
 * Rejects repo-relative paths that could escape the repository or touch git internals.
 * Pure: used by the actions before any IO.
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

const REJECTED =
  /\[rejected\]|Updates were rejected|non-fast-forward|fetch first|failed to update ref|cannot lock ref|incorrect old value|stale info/i;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The GitOps repository as the scaffolder writes it: clone, confine a change to one directory,
 * commit, push. Pushes rejected because another task pushed first are retried after
 * fetch + rebase, with exponential backoff and jitter so 20 concurrent tasks spread out.
 */
export class GitopsRemote {
  constructor(
    private readonly remote: string,
    private readonly authArgs: string[] = [],
    private readonly pushRetries = 5,
    private readonly backoffMs = 50,
  ) {}

  private git(args: string[], cwd?: string) {
    return runGit([...this.authArgs, ...args], { cwd });
  }

  /** Clones `branch` into `dir`; fails with git's error when the remote is unreachable. */
  async clone(dir: string, branch: string, shallow = false): Promise<void> {
    await this.git([
      'clone',
      '--quiet',
      '--no-tags',
      '--single-branch',
      '--branch',
      branch,
      ...(shallow ? ['--depth', '1'] : []),
      '--',
      this.remote,
      dir,
    ]);
  }

  async commitAndPush(req: CommitRequest): Promise<CommitResult> {
    const { workDir, targetPath, baseBranch, pushBranch, logger } = req;
    await this.clone(workDir, baseBranch);
    const target = path.join(workDir, targetPath);
    if (fs.existsSync(target) && !req.allowUpdate) {
      throw new ConflictError(
        `${targetPath} already exists in the GitOps repository; this template does not update existing paths`,
      );
    }
    if (
      !fs.existsSync(req.sourceDir) ||
      !fs.statSync(req.sourceDir).isDirectory()
    ) {
      throw new InputError(`nothing rendered at ${req.sourceDir}`);
    }
    // Replace, not merge: an update must also remove files the new render no longer has.
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(req.sourceDir, target, {
      recursive: true,
      filter: src => path.basename(src) !== '.git',
    });

    const outside = await this.changesOutside(workDir, targetPath);
    if (outside.length > 0) {
      throw new InputError(
        `refusing to commit changes outside ${targetPath}: ${outside.join(
          ', ',
        )}`,
      );
    }
    await this.git(['add', '--all', '--', targetPath], workDir);
    const staged = (
      await this.git(['diff', '--cached', '--name-only'], workDir)
    ).trim();
    if (!staged) {
      const head = (await this.git(['rev-parse', 'HEAD'], workDir)).trim();
      logger?.info(`${targetPath} is unchanged; nothing to commit`);
      return { commitSha: head, changed: false };
    }
    const { name, email } = req.author;
    const identity = ['-c', `user.name=${name}`, '-c', `user.email=${email}`];
    await this.git(
      [...identity, 'commit', '--quiet', '--no-verify', '-m', req.message],
      workDir,
    );

    for (let attempt = 0; ; attempt++) {
      try {
        await this.git(
          ['push', '--quiet', 'origin', `HEAD:refs/heads/${pushBranch}`],
          workDir,
        );
        break;
      } catch (e) {
        if (
          !(e instanceof GitCommandError) ||
          !REJECTED.test(e.message) ||
          attempt >= this.pushRetries ||
          pushBranch !== baseBranch
        ) {
          throw e;
        }
        // capped: with many concurrent writers the exponent would otherwise reach minutes
        const delay =
          Math.min(this.backoffMs * 2 ** attempt, 1000) +
          Math.floor(Math.random() * this.backoffMs * 4);
        logger?.info(
          `push of ${targetPath} rejected (remote moved on); rebasing and retrying in ${delay} ms (${
            attempt + 1
          }/${this.pushRetries})`,
        );
        await sleep(delay);
        await this.git(['fetch', '--quiet', 'origin', baseBranch], workDir);
        if (
          !req.allowUpdate &&
          (await this.existsAt(workDir, 'FETCH_HEAD', targetPath))
        ) {
          throw new ConflictError(
            `${targetPath} was created in the GitOps repository by someone else meanwhile`,
          );
        }
        try {
          await this.git(
            [...identity, 'rebase', '--quiet', 'FETCH_HEAD'],
            workDir,
          );
        } catch (rebaseError) {
          await this.git(['rebase', '--abort'], workDir).catch(() => {});
          throw new ConflictError(
            `${targetPath} changed in the GitOps repository meanwhile and cannot be rebased: ${
              (rebaseError as Error).message
            }`,
          );
        }
      }
    }
    const commitSha = (await this.git(['rev-parse', 'HEAD'], workDir)).trim();
    return { commitSha, changed: true };
  }

  private async existsAt(cwd: string, rev: string, p: string) {
    try {
      await this.git(['cat-file', '-e', `${rev}:${p}`], cwd);
      return true;
    } catch {
      return false;
    }
  }

  /** Paths the working tree changed outside `targetPath` (scope check before committing). */
  private async changesOutside(cwd: string, targetPath: string) {
    const status = await this.git(
      ['status', '--porcelain', '--untracked-files=all', '-z'],
      cwd,
    );
    return status
      .split('\0')
      .filter(Boolean)
      .map(line => line.slice(3))
      .filter(p => p !== targetPath && !p.startsWith(`${targetPath}/`));
  }
}
